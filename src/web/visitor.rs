//! Extractors: who is asking (`Visitor`, `SignedIn`, `Admin`) and POST forms that must
//! carry this session's CSRF token (`CsrfForm`).

use std::future::Future;
use std::pin::Pin;

use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::AppState;
use crate::auth::csrf;
use crate::auth::session_store::USER_ID_KEY;
use crate::db::{self, users::User};
use crate::error::AppError;

/// Anyone: the session (which may be empty) and the account, if signed in. A request
/// without a session cookie costs no database query.
pub struct Visitor {
    pub session: Session,
    pub user: Option<User>,
}

impl Visitor {
    pub fn user_id(session: &Session) -> Option<i32> {
        session.get::<i32>(USER_ID_KEY).ok().flatten()
    }
}

fn state(req: &HttpRequest) -> Result<web::Data<AppState>, AppError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("application state missing")))
}

async fn load_visitor(req: HttpRequest) -> Result<Visitor, AppError> {
    let session = req.get_session();
    let Some(user_id) = Visitor::user_id(&session) else {
        return Ok(Visitor {
            session,
            user: None,
        });
    };
    let state = state(&req)?;
    let user = db::run(&state.pool, move |conn| db::users::find(conn, user_id)).await?;
    match user {
        Some(user) if user.disabled_at.is_none() => Ok(Visitor {
            session,
            user: Some(user),
        }),
        // The account was deleted or disabled: whatever the cookie says, this is a stranger.
        _ => {
            session.purge();
            Ok(Visitor {
                session,
                user: None,
            })
        }
    }
}

impl FromRequest for Visitor {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(load_visitor(req.clone()))
    }
}

/// A signed-in account; anyone else is sent to sign in and brought back afterwards.
pub struct SignedIn {
    pub session: Session,
    pub user: User,
}

impl SignedIn {
    /// The same person as a `Visitor`, for code shared with signed-out pages.
    pub fn visitor(&self) -> Visitor {
        Visitor {
            session: self.session.clone(),
            user: Some(self.user.clone()),
        }
    }
}

impl FromRequest for SignedIn {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(require_user(req.clone(), |_| true))
    }
}

/// The signed-in account if `allowed` accepts it; a 403 if not; sign-in for strangers.
async fn require_user(req: HttpRequest, allowed: fn(&User) -> bool) -> Result<SignedIn, AppError> {
    let visitor = load_visitor(req.clone()).await?;
    match visitor.user {
        Some(user) if allowed(&user) => Ok(SignedIn {
            session: visitor.session,
            user,
        }),
        Some(_) => Err(AppError::Forbidden(
            "This part of CareerSwitch is for its admins. Your account does not have admin rights."
                .to_owned(),
        )),
        None => Err(AppError::SignInRequired(req.path().to_owned())),
    }
}

/// An admin account; other accounts get a 403 and strangers the sign-in page.
pub struct Admin {
    pub session: Session,
    pub user: User,
}

impl Admin {
    pub fn visitor(&self) -> Visitor {
        Visitor {
            session: self.session.clone(),
            user: Some(self.user.clone()),
        }
    }

    pub fn actor(&self) -> crate::db::admin::Actor {
        crate::db::admin::Actor::from(&self.user)
    }
}

impl FromRequest for Admin {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let fut = require_user(req.clone(), |user| user.is_admin);
        Box::pin(async move {
            let me = fut.await?;
            Ok(Admin {
                session: me.session,
                user: me.user,
            })
        })
    }
}

/// A form that carries `csrf_token`.
pub trait HasCsrfToken {
    fn csrf_token(&self) -> &str;
}

/// A urlencoded POST body, accepted only with this session's CSRF token and, when the
/// browser names one, our own Origin. Anything else is a 403 before the handler runs.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned + HasCsrfToken + 'static> FromRequest for CsrfForm<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        // Read under the same limit as forms (PayloadConfig, see web::routes).
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let body =
                body.await
                    .map_err(|e| match e.as_error::<actix_web::error::PayloadError>() {
                        Some(p) if super::request_limits::is_timeout(p) => {
                            AppError::RequestTimeout.into()
                        }
                        Some(actix_web::error::PayloadError::Overflow) => {
                            AppError::PayloadTooLarge.into()
                        }
                        _ => e,
                    })?;
            let mut body = Payload::from(without_nul(body));
            // FormConfig (see web::routes) turns body errors into readable 400/413 pages.
            let form = web::Form::<T>::from_request(&req, &mut body)
                .await?
                .into_inner();
            let state = state(&req)?;
            let session = req.get_session();
            csrf::check(&req, &session, &state.form_key, Some(form.csrf_token()), &state.settings.base_url).map_err(|failure| {
                tracing::info!(?failure, path = %crate::telemetry::redact_path(req.path()), "refused a POST without a valid CSRF token");
                AppError::Forbidden(
                    "This form has expired or did not come from this site. Go back, reload the page and try again."
                        .to_owned(),
                )
            })?;
            Ok(CsrfForm(form))
        })
    }
}

/// The body without NUL characters, encoded (`%00`) or raw. No one types one, PostgreSQL
/// refuses them in text, and elsewhere they only truncate or hide what follows; a literal
/// "%00" typed into a field arrives as `%2500` and is kept.
fn without_nul(body: web::Bytes) -> web::Bytes {
    if !body.contains(&0) && !body.windows(3).any(|w| w == b"%00") {
        return body;
    }
    let mut kept = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        if body[i..].starts_with(b"%00") {
            i += 3;
        } else {
            if body[i] != 0 {
                kept.push(body[i]);
            }
            i += 1;
        }
    }
    web::Bytes::from(kept)
}

/// A submitted form as its list of fields: for forms with numbered or named rows (an admin's
/// skills and routes, a profile's levels), which a fixed struct cannot hold, and which never
/// fail to parse, so the account check after them always runs.
#[derive(Deserialize)]
#[serde(transparent)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    /// The first value of `name`, or "" when it was not sent.
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    pub fn checked(&self, name: &str) -> bool {
        !self.get(name).is_empty()
    }

    /// How many numbered rows `prefix_0`, `prefix_1`, … were sent.
    pub fn rows(&self, prefix: &str) -> usize {
        let start = format!("{prefix}_");
        self.0
            .iter()
            .filter_map(|(k, _)| k.strip_prefix(&start)?.parse::<usize>().ok())
            .map(|i| i + 1)
            .max()
            .unwrap_or(0)
            .min(MAX_ROWS)
    }

    pub fn row(&self, prefix: &str, i: usize) -> &str {
        self.get(&format!("{prefix}_{i}"))
    }

    /// Whether the admin pressed "Preview" rather than "Publish".
    pub fn previewing(&self) -> bool {
        self.get("action") == "preview"
    }
}

impl HasCsrfToken for Fields {
    fn csrf_token(&self) -> &str {
        self.get("csrf_token")
    }
}

/// No form has more rows than this; more is someone else's form.
pub const MAX_ROWS: usize = 40;

/// A POST whose form is read and its CSRF token checked before `Who` (the account) is
/// extracted, so a refused request has still had its body consumed and its connection can
/// carry the answer and the next request. Extractors side by side are polled together, and
/// a quick refusal would otherwise answer before the body arrived.
pub struct FormFirst<T, Who> {
    pub who: Who,
    pub form: T,
}

/// A signed-in account's POST.
pub type SignedInForm<T> = FormFirst<T, SignedIn>;
/// An admin's POST.
pub type AdminForm<T> = FormFirst<T, Admin>;

impl<T, Who> FromRequest for FormFirst<T, Who>
where
    T: DeserializeOwned + HasCsrfToken + 'static,
    Who: FromRequest + 'static,
    actix_web::Error: From<Who::Error>,
{
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let form = CsrfForm::<T>::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let CsrfForm(form) = form.await?;
            let who = Who::from_request(&req, &mut Payload::None).await?;
            Ok(FormFirst { who, form })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_characters_are_dropped_from_form_bodies_and_a_typed_percent_00_is_kept() {
        let clean = |s: &[u8]| without_nul(web::Bytes::copy_from_slice(s));
        assert_eq!(clean(b"note=a%00b&x=%00"), &b"note=ab&x="[..]);
        assert_eq!(clean(b"note=a\0b"), &b"note=ab"[..]);
        assert_eq!(clean(b"note=100%2500"), &b"note=100%2500"[..]);
        assert_eq!(clean(b"plain=text"), &b"plain=text"[..]);
    }
}
