//! CSRF tokens. A signed-in visitor's forms carry a synchronizer token kept in their
//! session. An anonymous visitor's forms (sign in, register, forgotten password) carry a
//! signed double-submit token instead: a random value in a cookie, and its HMAC under a
//! server key in the form. That needs no database row, so nothing an anonymous visitor
//! can repeat grows the session table.

use actix_session::Session;
use actix_web::HttpRequest;
use actix_web::http::header;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::tokens::{constant_time_eq, new_token};

pub const SESSION_KEY: &str = "csrf";
/// The cookie that holds an anonymous visitor's random form value.
pub const FORM_COOKIE: &str = "careerswitch_form";

/// The server key anonymous form tokens are signed with, derived from the session key so
/// there is one secret to configure.
#[derive(Clone)]
pub struct FormKey([u8; 32]);

impl FormKey {
    pub fn derive(session_key_master: &[u8]) -> Self {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(session_key_master)
            .expect("HMAC takes a key of any length");
        mac.update(b"careerswitch anonymous form tokens v1");
        Self(mac.finalize().into_bytes().into())
    }

    /// The token a form carries for the cookie value `cookie`.
    pub fn token_for(&self, cookie: &str) -> String {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        mac.update(cookie.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }
}

/// A form cookie value this server could have made: 43 URL-safe characters.
pub fn plausible_cookie(value: &str) -> bool {
    value.len() == 43
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A fresh random value for the form cookie.
pub fn new_form_cookie() -> String {
    new_token()
}

/// The session's token, created (which starts a session) if there is none yet.
pub fn token(session: &Session) -> String {
    if let Ok(Some(existing)) = session.get::<String>(SESSION_KEY) {
        return existing;
    }
    let fresh = new_token();
    // Inserting a String cannot fail to serialise.
    let _ = session.insert(SESSION_KEY, &fresh);
    fresh
}

/// The token if the session already has one; never starts a session.
pub fn existing_token(session: &Session) -> Option<String> {
    session.get::<String>(SESSION_KEY).ok().flatten()
}

/// Replaces the token, e.g. when the session changes hands at sign-in.
pub fn rotate(session: &Session) -> String {
    let fresh = new_token();
    let _ = session.insert(SESSION_KEY, &fresh);
    fresh
}

#[derive(Debug, PartialEq, Eq)]
pub enum CsrfFailure {
    ForeignOrigin,
    Missing,
    Mismatch,
}

/// A POST is accepted only from our own origin (when the browser says where it came
/// from) and with the session's token, or the token signed for this browser's form
/// cookie.
pub fn check(
    req: &HttpRequest,
    session: &Session,
    form_key: &FormKey,
    submitted: Option<&str>,
    base_url: &str,
) -> Result<(), CsrfFailure> {
    if let Some(origin) = req.headers().get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        if !origin.eq_ignore_ascii_case(base_url) {
            return Err(CsrfFailure::ForeignOrigin);
        }
    }
    let submitted = submitted
        .filter(|s| !s.is_empty())
        .ok_or(CsrfFailure::Missing)?;
    if let Some(expected) = existing_token(session)
        && constant_time_eq(submitted, &expected)
    {
        return Ok(());
    }
    if let Some(cookie) = req.cookie(FORM_COOKIE)
        && plausible_cookie(cookie.value())
        && constant_time_eq(submitted, &form_key.token_for(cookie.value()))
    {
        return Ok(());
    }
    Err(CsrfFailure::Mismatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_tokens_depend_on_the_key_and_the_cookie() {
        let key = FormKey::derive(&[7u8; 64]);
        let cookie = new_form_cookie();
        assert!(plausible_cookie(&cookie));
        assert_eq!(key.token_for(&cookie), key.token_for(&cookie));
        assert_ne!(key.token_for(&cookie), key.token_for(&new_form_cookie()));
        assert_ne!(
            key.token_for(&cookie),
            FormKey::derive(&[8u8; 64]).token_for(&cookie)
        );
        assert!(!plausible_cookie("short") && !plausible_cookie(&"é".repeat(43)));
    }
}
