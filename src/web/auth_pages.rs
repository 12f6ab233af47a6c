//! Register, verify, sign in and out, forgotten and reset passwords.

use std::sync::LazyLock;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::AppState;
use super::layout::{Layout, render};
use super::visitor::{CsrfForm, Visitor};
use crate::auth::accounts::{LinkOutcome, SignIn, plausible_password};
use crate::auth::csrf;
use crate::auth::rate_limit::Action;
use crate::auth::session_store::USER_ID_KEY;
use crate::db::users::TokenPurpose;
use crate::domain::account::{DEFAULT_TIME_ZONE, Email, Password, TimeZone, safe_next};
use crate::error::AppError;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(register_form)
        .service(register)
        .service(sign_in_form)
        .service(sign_in)
        .service(sign_out)
        .service(forgot_form)
        .service(forgot)
        .service(confirm_link_form)
        .service(confirm_link)
        .service(reset_form)
        .service(reset);
}

/// Every IANA zone chrono-tz knows, for the time-zone picker.
pub static TIME_ZONES: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut zones: Vec<&'static str> = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
    zones.sort_unstable();
    zones
});

macro_rules! csrf_forms {
    ($($form:ty),* $(,)?) => {
        $(impl $crate::web::visitor::HasCsrfToken for $form {
            fn csrf_token(&self) -> &str {
                &self.csrf_token
            }
        })*
    };
}
pub(crate) use csrf_forms;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RegisterForm {
    email: String,
    password: String,
    time_zone: String,
    csrf_token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SignInForm {
    email: String,
    password: String,
    next: String,
    csrf_token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EmailForm {
    email: String,
    csrf_token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewPasswordForm {
    new_password: String,
    csrf_token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenOnlyForm {
    csrf_token: String,
}

csrf_forms!(
    RegisterForm,
    SignInForm,
    EmailForm,
    NewPasswordForm,
    TokenOnlyForm
);

#[derive(Template)]
#[template(path = "account/register.html")]
pub struct RegisterPage {
    pub layout: Layout,
    pub email: String,
    pub time_zone: String,
    pub zones: &'static [&'static str],
    pub email_error: Option<String>,
    pub password_error: Option<String>,
    pub time_zone_error: Option<String>,
}

#[derive(Template)]
#[template(path = "account/sign_in.html")]
pub struct SignInPage {
    pub layout: Layout,
    pub email: String,
    pub next: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "account/forgot.html")]
pub struct ForgotPage {
    pub layout: Layout,
    pub email: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "account/reset.html")]
pub struct ResetPage {
    pub layout: Layout,
    pub token: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "account/confirm_link.html")]
pub struct ConfirmLinkPage {
    pub layout: Layout,
    pub token: String,
}

/// A page that only says something: a result, or why a link no longer works.
#[derive(Template)]
#[template(path = "account/message.html")]
pub struct MessagePage {
    pub layout: Layout,
    pub title: String,
    pub paragraphs: Vec<String>,
    pub link: Option<(String, String)>,
}

pub fn message(
    status: StatusCode,
    layout: Layout,
    title: &str,
    paragraphs: &[&str],
    link: Option<(&str, &str)>,
) -> Result<HttpResponse, AppError> {
    render(
        status,
        &MessagePage {
            layout,
            title: title.to_owned(),
            paragraphs: paragraphs.iter().map(|p| (*p).to_owned()).collect(),
            link: link.map(|(href, label)| (href.to_owned(), label.to_owned())),
        },
    )
}

/// The per-IP limit for `action`, then the submitted address: the status and message to
/// show when either stops the request.
fn limited_email(
    state: &AppState,
    req: &HttpRequest,
    action: Action,
    raw: &str,
) -> Result<Email, (StatusCode, String)> {
    state
        .rate_limit(req, action)
        .map_err(|wait| (StatusCode::TOO_MANY_REQUESTS, wait))?;
    Email::parse(raw).map_err(|e| (StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))
}

pub(crate) fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

fn register_page(layout: Layout) -> RegisterPage {
    RegisterPage {
        layout,
        email: String::new(),
        time_zone: DEFAULT_TIME_ZONE.to_owned(),
        zones: &TIME_ZONES,
        email_error: None,
        password_error: None,
        time_zone_error: None,
    }
}

#[get("/register")]
async fn register_form(req: HttpRequest, visitor: Visitor) -> Result<HttpResponse, AppError> {
    if visitor.user.is_some() {
        return Ok(see_other("/account"));
    }
    render(
        StatusCode::OK,
        &register_page(Layout::for_form(&req, &visitor)),
    )
}

#[post("/register")]
async fn register(
    req: HttpRequest,
    visitor: Visitor,
    state: web::Data<AppState>,
    form: CsrfForm<RegisterForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.0;
    let mut page = register_page(Layout::for_form(&req, &visitor));
    page.email = form.email.trim().to_owned();
    page.time_zone = form.time_zone.clone();
    if let Err(wait) = state.rate_limit(&req, Action::Register) {
        page.email_error = Some(wait);
        return render(StatusCode::TOO_MANY_REQUESTS, &page);
    }
    let email = Email::parse(&form.email);
    let password = Password::parse(
        &form.password,
        &[
            form.email.trim(),
            form.email.split('@').next().unwrap_or(""),
        ],
    );
    let time_zone = TimeZone::parse(&form.time_zone);
    let (Ok(email), Ok(password), Ok(time_zone)) = (&email, &password, &time_zone) else {
        page.email_error = email.err().map(|e| e.to_string());
        page.password_error = password.err().map(|e| e.to_string());
        page.time_zone_error = time_zone.err().map(|e| e.to_string());
        return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    state
        .accounts()
        .register(email, password, time_zone)
        .await?;
    message(
        StatusCode::OK,
        Layout::for_visitor(&req, &visitor),
        "Check your email",
        &[
            &format!(
                "We have sent a message to {email}. Follow the link in it within 24 hours to confirm your address and finish setting up your account."
            ),
            "If nothing arrives in a few minutes, check your spam folder. If you already have an account with this address, the email tells you how to sign in instead.",
        ],
        Some(("/sign-in", "Go to sign in")),
    )
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

#[get("/sign-in")]
async fn sign_in_form(
    req: HttpRequest,
    visitor: Visitor,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, AppError> {
    let next = safe_next(query.next.as_deref(), "/account");
    if visitor.user.is_some() {
        return Ok(see_other(&next));
    }
    render(
        StatusCode::OK,
        &SignInPage {
            layout: Layout::for_form(&req, &visitor),
            email: String::new(),
            next,
            error: None,
        },
    )
}

#[post("/sign-in")]
async fn sign_in(
    req: HttpRequest,
    visitor: Visitor,
    state: web::Data<AppState>,
    form: CsrfForm<SignInForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.0;
    let next = safe_next(Some(&form.next), "/account");
    let mut page = SignInPage {
        layout: Layout::for_form(&req, &visitor),
        email: form.email.trim().to_owned(),
        next: next.clone(),
        error: None,
    };
    let email = match limited_email(&state, &req, Action::SignIn, &form.email) {
        Ok(email) => email,
        Err((status, message)) => {
            page.error = Some(message);
            return render(status, &page);
        }
    };
    if !plausible_password(&form.password) {
        page.error = Some("Enter the email address and password for your account.".to_owned());
        return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    match state.accounts().sign_in(&email, &form.password).await? {
        SignIn::Success(user) => {
            // A new session id at sign-in, so a planted cookie cannot be carried over.
            visitor.session.renew();
            visitor
                .session
                .insert(USER_ID_KEY, user.id)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            csrf::rotate(&visitor.session);
            // A move saved while signed out is saved for this account now.
            super::plans::apply_pending_save(&state, &visitor.session, user.id).await?;
            Ok(see_other(&next))
        }
        SignIn::Refused => {
            state.metrics.sign_in_failures.inc();
            page.error = Some("That email address and password do not match an account. Check both and try again.".to_owned());
            render(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        SignIn::Disabled { reason } => {
            let why = if reason.trim().is_empty() {
                String::new()
            } else {
                format!(
                    " The reason given: {}.",
                    reason.trim().trim_end_matches('.')
                )
            };
            page.error = Some(format!(
                "This account has been disabled by a CareerSwitch admin, so it cannot be signed in to.{why} If you think this is a mistake, reply to any email we have sent you."
            ));
            render(StatusCode::FORBIDDEN, &page)
        }
        SignIn::LockedOut { minutes } => {
            state.metrics.sign_in_failures.inc();
            page.error = Some(format!(
                "There have been too many failed attempts to sign in with this email address. Please try again in {}, or reset your password.",
                crate::domain::text::count(minutes as usize, "minute", "minutes")
            ));
            render(StatusCode::TOO_MANY_REQUESTS, &page)
        }
    }
}

#[post("/sign-out")]
async fn sign_out(visitor: Visitor, _form: CsrfForm<TokenOnlyForm>) -> HttpResponse {
    // Purging deletes the stored session, so a copy of the cookie is worthless afterwards.
    visitor.session.purge();
    see_other("/")
}

#[get("/forgot-password")]
async fn forgot_form(req: HttpRequest, visitor: Visitor) -> Result<HttpResponse, AppError> {
    render(
        StatusCode::OK,
        &ForgotPage {
            layout: Layout::for_form(&req, &visitor),
            email: String::new(),
            error: None,
        },
    )
}

#[post("/forgot-password")]
async fn forgot(
    req: HttpRequest,
    visitor: Visitor,
    state: web::Data<AppState>,
    form: CsrfForm<EmailForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.0;
    let mut page = ForgotPage {
        layout: Layout::for_form(&req, &visitor),
        email: form.email.trim().to_owned(),
        error: None,
    };
    let email = match limited_email(&state, &req, Action::Reset, &form.email) {
        Ok(email) => email,
        Err((status, message)) => {
            page.error = Some(message);
            return render(status, &page);
        }
    };
    state.accounts().request_reset(&email);
    message(
        StatusCode::OK,
        Layout::for_visitor(&req, &visitor),
        "Check your email",
        &[
            &format!(
                "If an account uses {email}, we have sent it a link to choose a new password. The link works once, for one hour."
            ),
            "If nothing arrives, check your spam folder and that you used the address you registered with.",
        ],
        Some(("/sign-in", "Back to sign in")),
    )
}

/// Which emailed link has stopped working, which decides where to get a new one.
enum ExpiredLink {
    Confirmation,
    Reset,
}

fn link_expired(
    req: &HttpRequest,
    visitor: &Visitor,
    link: ExpiredLink,
) -> Result<HttpResponse, AppError> {
    let (what, retry) = match link {
        ExpiredLink::Confirmation => (
            "Sign in to ask for a new confirmation email.",
            ("/sign-in", "Sign in"),
        ),
        ExpiredLink::Reset => (
            "You can ask for a new one.",
            ("/forgot-password", "Reset your password again"),
        ),
    };
    message(
        StatusCode::BAD_REQUEST,
        Layout::for_visitor(req, visitor),
        "This link no longer works",
        &[&format!(
            "The link has expired or has already been used. {what}"
        )],
        Some(retry),
    )
}

/// GET shows a button; only the POST below changes anything.
#[get("/verify-email/{token}")]
async fn confirm_link_form(
    req: HttpRequest,
    visitor: Visitor,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let live = state
        .accounts()
        .peek_link(&token, &[TokenPurpose::Verify, TokenPurpose::ChangeEmail])
        .await?;
    if live.is_none() {
        return link_expired(&req, &visitor, ExpiredLink::Confirmation);
    }
    render(
        StatusCode::OK,
        &ConfirmLinkPage {
            layout: Layout::for_form(&req, &visitor),
            token,
        },
    )
}

#[post("/verify-email/{token}")]
async fn confirm_link(
    req: HttpRequest,
    visitor: Visitor,
    state: web::Data<AppState>,
    token: web::Path<String>,
    _form: CsrfForm<TokenOnlyForm>,
) -> Result<HttpResponse, AppError> {
    let outcome = state.accounts().confirm_link(&token).await?;
    // Every session of the account has just ended. A browser signed in to that account
    // proved both the password and the mailbox, so it stays signed in under a new id.
    let confirmed_id = match &outcome {
        LinkOutcome::Verified(user) | LinkOutcome::EmailChanged(user) => Some(user.id),
        _ => None,
    };
    if let (Some(me), Some(id)) = (&visitor.user, confirmed_id)
        && me.id == id
    {
        visitor.session.renew();
    }
    let layout = Layout::for_visitor(&req, &visitor);
    let next = if visitor.user.is_some() {
        ("/account", "Go to your account")
    } else {
        ("/sign-in", "Sign in")
    };
    match outcome {
        LinkOutcome::Verified(user) => message(
            StatusCode::OK,
            layout,
            "Email address confirmed",
            &[
                &format!(
                    "Thank you. {} is confirmed, so reminders and account emails will reach you.",
                    user.email
                ),
                "For your safety, any other device that was signed in to this account has been signed out. If you did not create this account yourself, reset its password now so only you can use it.",
            ],
            Some(next),
        ),
        LinkOutcome::EmailChanged(user) => message(
            StatusCode::OK,
            layout,
            "Email address changed",
            &[&format!(
                "Your account now uses {}. We have let your previous address know.",
                user.email
            )],
            Some(next),
        ),
        LinkOutcome::AddressTaken => message(
            StatusCode::CONFLICT,
            layout,
            "That address is no longer free",
            &[
                "Another account started using this address before you confirmed it, so your account keeps its current address.",
            ],
            Some(next),
        ),
        LinkOutcome::Invalid => link_expired(&req, &visitor, ExpiredLink::Confirmation),
    }
}

#[get("/reset-password/{token}")]
async fn reset_form(
    req: HttpRequest,
    visitor: Visitor,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let live = state
        .accounts()
        .peek_link(&token, &[TokenPurpose::Reset])
        .await?;
    if live.is_none() {
        return link_expired(&req, &visitor, ExpiredLink::Reset);
    }
    render(
        StatusCode::OK,
        &ResetPage {
            layout: Layout::for_form(&req, &visitor),
            token,
            error: None,
        },
    )
}

#[post("/reset-password/{token}")]
async fn reset(
    req: HttpRequest,
    visitor: Visitor,
    state: web::Data<AppState>,
    token: web::Path<String>,
    form: CsrfForm<NewPasswordForm>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let accounts = state.accounts();
    let Some(user) = accounts.peek_link(&token, &[TokenPurpose::Reset]).await? else {
        return link_expired(&req, &visitor, ExpiredLink::Reset);
    };
    let password = match Password::parse(&form.0.new_password, &[&user.email]) {
        Ok(p) => p,
        Err(e) => {
            let page = ResetPage {
                layout: Layout::for_form(&req, &visitor),
                token,
                error: Some(e.to_string()),
            };
            return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    if accounts.reset_password(&token, &password).await?.is_none() {
        return link_expired(&req, &visitor, ExpiredLink::Reset);
    }
    // Every session of the account has ended, including any in this browser.
    visitor.session.purge();
    message(
        StatusCode::OK,
        Layout::anonymous(req.path()),
        "Password changed",
        &[
            "Your new password is set and every device that was signed in has been signed out. Sign in again with the new password.",
        ],
        Some(("/sign-in", "Sign in")),
    )
}
