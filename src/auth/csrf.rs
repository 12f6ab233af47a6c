//! Synchronizer tokens: one random token per session, sent back with every POST form.

use actix_session::Session;
use actix_web::HttpRequest;
use actix_web::http::header;

use super::tokens::{constant_time_eq, new_token};

pub const SESSION_KEY: &str = "csrf";

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
/// from) and with the session's token.
pub fn check(
    req: &HttpRequest,
    session: &Session,
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
    let expected = existing_token(session).ok_or(CsrfFailure::Mismatch)?;
    if constant_time_eq(submitted, &expected) {
        Ok(())
    } else {
        Err(CsrfFailure::Mismatch)
    }
}
