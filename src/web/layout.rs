//! What every page's frame needs: the signed-in state, the CSRF token for its forms and
//! the asset addresses. Built per request and never cached.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;

use super::visitor::Visitor;
use crate::auth::csrf;
use crate::error::AppError;

#[derive(Debug, Clone)]
pub struct SignedInSummary {
    pub email: String,
    pub verified: bool,
    pub is_admin: bool,
}

#[derive(Debug, Clone)]
pub struct Layout {
    /// The request path, for "you are here" in the navigation.
    pub path: String,
    pub css_href: &'static str,
    pub signed_in: Option<SignedInSummary>,
    /// This session's CSRF token, or empty when the page has no forms that need one.
    pub csrf_token: String,
    /// Where "Sign in" should bring the visitor back to, percent-encoded.
    pub return_to: String,
    /// A one-line notice at the top of the page (e.g. "Email sent").
    pub notice: Option<String>,
}

impl Layout {
    pub fn anonymous(path: &str) -> Self {
        Self {
            path: path.to_owned(),
            css_href: super::assets::stylesheet_href(),
            signed_in: None,
            csrf_token: String::new(),
            return_to: return_to(path),
            notice: None,
        }
    }

    /// The frame for a content page: it never starts a session for an anonymous visitor.
    pub fn for_visitor(req: &actix_web::HttpRequest, visitor: &Visitor) -> Self {
        let mut layout = Self::anonymous(req.path());
        if let Some(user) = &visitor.user {
            layout.signed_in = Some(SignedInSummary {
                email: user.email.clone(),
                verified: user.is_verified(),
                is_admin: user.is_admin,
            });
            // Signed-in pages carry forms (sign out, resend): they need the token.
            layout.csrf_token = csrf::token(&visitor.session);
        } else if let Some(token) = csrf::existing_token(&visitor.session) {
            layout.csrf_token = token;
        }
        layout
    }

    /// The frame for a page with a form anyone may submit. An anonymous visitor gets a
    /// signed double-submit token (see `auth::csrf`): no session, no database row.
    pub fn for_form(req: &actix_web::HttpRequest, visitor: &Visitor) -> Self {
        let mut layout = Self::for_visitor(req, visitor);
        if layout.csrf_token.is_empty() {
            layout.csrf_token = anonymous_form_token(req);
        }
        layout
    }

    pub fn with_notice(mut self, notice: impl Into<String>) -> Self {
        self.notice = Some(notice.into());
        self
    }

    /// `aria-current` for a navigation link.
    pub fn current(&self, prefix: &str) -> &'static str {
        let here = if prefix == "/" {
            self.path == "/"
        } else {
            self.path.starts_with(prefix)
        };
        if here { "page" } else { "false" }
    }
}

/// The cookie value a response must set so an anonymous form's token can be checked.
#[derive(Clone)]
pub struct PendingFormCookie(pub String);

/// The form token for this browser's form cookie, making the cookie (set on the way out
/// by `set_form_cookie`) when the browser has none.
fn anonymous_form_token(req: &actix_web::HttpRequest) -> String {
    use actix_web::HttpMessage;
    let Some(state) = req.app_data::<actix_web::web::Data<super::AppState>>() else {
        return String::new();
    };
    let existing = req
        .cookie(csrf::FORM_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| csrf::plausible_cookie(v));
    let pending = req.extensions().get::<PendingFormCookie>().cloned();
    let value = match (existing, pending) {
        (Some(value), _) => value,
        (None, Some(PendingFormCookie(value))) => value,
        (None, None) => {
            let value = csrf::new_form_cookie();
            req.extensions_mut()
                .insert(PendingFormCookie(value.clone()));
            value
        }
    };
    state.form_key.token_for(&value)
}

/// Middleware: sets the anonymous form cookie a page asked for.
pub async fn set_form_cookie(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    use actix_web::HttpMessage;
    let secure = req
        .app_data::<actix_web::web::Data<super::AppState>>()
        .is_some_and(|s| s.settings.is_https());
    let mut res = next.call(req).await?;
    let pending = res
        .request()
        .extensions()
        .get::<PendingFormCookie>()
        .cloned();
    if let Some(PendingFormCookie(value)) = pending {
        let cookie = actix_web::cookie::Cookie::build(csrf::FORM_COOKIE, value)
            .path("/")
            .http_only(true)
            .secure(secure)
            .same_site(actix_web::cookie::SameSite::Lax)
            .finish();
        res.response_mut().add_cookie(&cookie)?;
    }
    Ok(res)
}

/// Pages that make no sense to come back to after signing in send you to your account.
fn return_to(path: &str) -> String {
    let skip = [
        "/sign-in",
        "/sign-out",
        "/register",
        "/forgot-password",
        "/reset-password",
        "/verify-email",
    ];
    if skip.iter().any(|p| path.starts_with(p)) {
        String::new()
    } else {
        super::urlencode(path)
    }
}

pub fn render<T: Template>(status: StatusCode, page: &T) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .body(page.render()?))
}

pub fn ok<T: Template>(page: &T) -> Result<HttpResponse, AppError> {
    render(StatusCode::OK, page)
}
