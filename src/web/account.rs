//! `/account`: the signed-in person's own details, with forms to change them, a data
//! download and account deletion.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::AppState;
use super::auth_pages::{TIME_ZONES, csrf_forms, message};
use super::layout::{Layout, render};
use super::visitor::{SignedIn, SignedInForm, Visitor};
use crate::auth::accounts::{EmailChangeRequest, PasswordCheck, Resend};
use crate::auth::rate_limit::Action;
use crate::db::users::User;
use crate::domain::account::{Email, Password, TimeZone};
use crate::error::AppError;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(show)
        .service(change_password)
        .service(change_email)
        .service(change_time_zone)
        .service(resend_verification)
        .service(export)
        .service(delete);
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordChangeForm {
    current_password: String,
    new_password: String,
    /// Ticked to stay signed in elsewhere. Signing out every other device is the default
    /// (and what a form without the field gets).
    keep_other_sessions: String,
    csrf_token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EmailChangeForm {
    email: String,
    password: String,
    csrf_token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TimeZoneForm {
    time_zone: String,
    csrf_token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordOnlyForm {
    password: String,
    csrf_token: String,
}

csrf_forms!(
    PasswordChangeForm,
    EmailChangeForm,
    TimeZoneForm,
    PasswordOnlyForm
);

#[derive(Template)]
#[template(path = "account/show.html")]
pub struct AccountPage<'a> {
    pub layout: Layout,
    pub user: &'a User,
    pub joined: String,
    pub zones: &'static [&'static str],
    pub time_zone: String,
    pub new_email: String,
    pub current_password_error: Option<String>,
    pub new_password_error: Option<String>,
    pub email_error: Option<String>,
    pub email_password_error: Option<String>,
    pub time_zone_error: Option<String>,
    pub delete_error: Option<String>,
}

impl<'a> AccountPage<'a> {
    fn new(layout: Layout, user: &'a User) -> Self {
        Self {
            layout,
            user,
            joined: user.created_at.format("%-d %B %Y").to_string(),
            zones: &TIME_ZONES,
            time_zone: user.time_zone.clone(),
            new_email: String::new(),
            current_password_error: None,
            new_password_error: None,
            email_error: None,
            email_password_error: None,
            time_zone_error: None,
            delete_error: None,
        }
    }
}

fn visitor_of(signed_in: &SignedIn) -> Visitor {
    Visitor {
        session: signed_in.session.clone(),
        user: Some(signed_in.user.clone()),
    }
}

fn layout(req: &HttpRequest, me: &SignedIn) -> Layout {
    Layout::for_visitor(req, &visitor_of(me))
}

/// The per-IP sign-in limit, then the password itself (which counts towards the
/// address's lockout): `Err` holds the message for the password field and its status.
async fn check_current_password(
    state: &AppState,
    req: &HttpRequest,
    user: &User,
    candidate: &str,
) -> Result<Result<(), (StatusCode, String)>, AppError> {
    if let Err(wait) = state.rate_limit(req, Action::SignIn) {
        return Ok(Err((StatusCode::TOO_MANY_REQUESTS, wait)));
    }
    Ok(
        match state.accounts().check_password(user, candidate).await? {
            PasswordCheck::Correct => Ok(()),
            PasswordCheck::Wrong => Err((
                StatusCode::UNPROCESSABLE_ENTITY,
                "That is not your current password.".to_owned(),
            )),
            PasswordCheck::LockedOut { minutes } => Err((
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "There have been too many wrong passwords for this account. Please try again in {}, or reset your password.",
                    crate::domain::text::count(minutes as usize, "minute", "minutes")
                ),
            )),
        },
    )
}

#[get("/account")]
async fn show(req: HttpRequest, me: SignedIn) -> Result<HttpResponse, AppError> {
    render(
        StatusCode::OK,
        &AccountPage::new(layout(&req, &me), &me.user),
    )
}

#[post("/account/password")]
async fn change_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInForm { who: me, form }: SignedInForm<PasswordChangeForm>,
) -> Result<HttpResponse, AppError> {
    let mut page = AccountPage::new(layout(&req, &me), &me.user);
    // The new password is checked first, so a weak one is refused without counting as a
    // wrong current password.
    let new_password = match Password::parse(&form.new_password, &[&me.user.email]) {
        Ok(p) => p,
        Err(e) => {
            page.new_password_error = Some(e.to_string());
            return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    if let Err((status, message)) =
        check_current_password(&state, &req, &me.user, &form.current_password).await?
    {
        page.current_password_error = Some(message);
        return render(status, &page);
    }
    let sign_out_others = form.keep_other_sessions.is_empty();
    state
        .accounts()
        .change_password(&me.user, &new_password, sign_out_others)
        .await?;
    // A fresh session id after a credential change; the state (who you are) carries over.
    me.session.renew();
    let notice = if sign_out_others {
        "Your password has been changed and every other device has been signed out."
    } else {
        "Your password has been changed."
    };
    render(
        StatusCode::OK,
        &AccountPage::new(layout(&req, &me).with_notice(notice), &me.user),
    )
}

#[post("/account/email")]
async fn change_email(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInForm { who: me, form }: SignedInForm<EmailChangeForm>,
) -> Result<HttpResponse, AppError> {
    let accounts = state.accounts();
    let mut page = AccountPage::new(layout(&req, &me), &me.user);
    page.new_email = form.email.trim().to_owned();
    let email = match Email::parse(&form.email) {
        Ok(email) if email.as_str() == me.user.email => {
            page.email_error = Some("That is already your email address.".to_owned());
            return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
        Ok(email) => email,
        Err(e) => {
            page.email_error = Some(e.to_string());
            return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    if let Err(wait) = state.rate_limit(&req, Action::EmailChange) {
        page.email_error = Some(wait);
        return render(StatusCode::TOO_MANY_REQUESTS, &page);
    }
    if let Err((status, message)) =
        check_current_password(&state, &req, &me.user, &form.password).await?
    {
        page.email_password_error = Some(message);
        return render(status, &page);
    }
    if let EmailChangeRequest::TooMany = accounts.request_email_change(&me.user, &email).await? {
        page.email_error = Some(
            "You have asked to change your address several times in the last hour. Use the newest link we sent, or try again later."
                .to_owned(),
        );
        return render(StatusCode::TOO_MANY_REQUESTS, &page);
    }
    let notice = format!(
        "We have sent a link to {email}. Your address changes when you follow it, within 24 hours."
    );
    render(
        StatusCode::OK,
        &AccountPage::new(layout(&req, &me).with_notice(notice), &me.user),
    )
}

#[post("/account/time-zone")]
async fn change_time_zone(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInForm { who: me, form }: SignedInForm<TimeZoneForm>,
) -> Result<HttpResponse, AppError> {
    let mut page = AccountPage::new(layout(&req, &me), &me.user);
    let zone = match TimeZone::parse(&form.time_zone) {
        Ok(zone) => zone,
        Err(e) => {
            page.time_zone = form.time_zone.clone();
            page.time_zone_error = Some(e.to_string());
            return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let accounts = state.accounts();
    accounts.set_time_zone(&me.user, &zone).await?;
    let user = accounts
        .find_user(me.user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    render(
        StatusCode::OK,
        &AccountPage::new(
            layout(&req, &me).with_notice("Your time zone has been saved."),
            &user,
        ),
    )
}

#[post("/account/resend-verification")]
async fn resend_verification(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInForm { who: me, .. }: SignedInForm<super::auth_pages::TokenOnlyForm>,
) -> Result<HttpResponse, AppError> {
    if let Err(wait) = state.rate_limit(&req, Action::Resend) {
        return render(
            StatusCode::TOO_MANY_REQUESTS,
            &AccountPage::new(layout(&req, &me).with_notice(wait), &me.user),
        );
    }
    let (status, notice) = match state.accounts().resend_verification(&me.user).await? {
        Resend::Sent => (StatusCode::OK, format!("We have sent a new confirmation link to {}.", me.user.email)),
        Resend::AlreadyVerified => (StatusCode::OK, "Your email address is already confirmed.".to_owned()),
        Resend::TooMany => (
            StatusCode::TOO_MANY_REQUESTS,
            "We have sent several confirmation emails in the last hour. Please use the newest one, or try again later.".to_owned(),
        ),
    };
    render(
        status,
        &AccountPage::new(layout(&req, &me).with_notice(notice), &me.user),
    )
}

/// Everything stored about the account, as a JSON download. Reading changes nothing.
#[get("/account/export")]
async fn export(me: SignedIn, state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let data = state
        .accounts()
        .export(&me.user)
        .await?
        .ok_or(AppError::NotFound)?;
    let body = serde_json::to_string_pretty(&data).map_err(anyhow::Error::from)?;
    Ok(HttpResponse::Ok()
        .content_type("application/json; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"careerswitch-data.json\"",
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

#[post("/account/delete")]
async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInForm { who: me, form }: SignedInForm<PasswordOnlyForm>,
) -> Result<HttpResponse, AppError> {
    if let Err((status, message)) =
        check_current_password(&state, &req, &me.user, &form.password).await?
    {
        let mut page = AccountPage::new(layout(&req, &me), &me.user);
        page.delete_error = Some(if status == StatusCode::UNPROCESSABLE_ENTITY {
            "That is not your current password, so nothing was deleted.".to_owned()
        } else {
            format!("{message} Nothing was deleted.")
        });
        return render(status, &page);
    }
    state.accounts().delete(&me.user).await?;
    me.session.purge();
    message(
        StatusCode::OK,
        Layout::anonymous(req.path()),
        "Your account has been deleted",
        &[
            "Your account and everything saved in it have been removed for good, and every device has been signed out.",
        ],
        Some(("/", "Go to the home page")),
    )
}
