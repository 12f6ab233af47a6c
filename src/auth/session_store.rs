//! actix-session's `SessionStore` over the database, so a session can be ended from the
//! server: sign-out, password reset, account deletion and disabling all remove rows here.

use std::collections::HashMap;

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration as CookieDuration;
use chrono::{Duration, Utc};

use super::tokens::{new_token, sha256_hex};
use crate::db::{self, DbPool, sessions};

/// The session-state key that holds the signed-in account's id.
pub const USER_ID_KEY: &str = "user_id";
/// The session-state key that holds when the session first started (Unix seconds). A
/// renewal (sign-in, password change) stores the state under a new key, and this carries
/// the original start across, so the absolute limit counts from the first start.
const STARTED_KEY: &str = "started_at";

#[derive(Clone)]
pub struct DbSessionStore {
    pool: DbPool,
    /// A session never outlives this, however active it is.
    absolute_ttl: Duration,
}

impl DbSessionStore {
    pub fn new(pool: DbPool, absolute_ttl: Duration) -> Self {
        Self { pool, absolute_ttl }
    }
}

fn to_chrono(ttl: &CookieDuration) -> Duration {
    Duration::seconds(ttl.whole_seconds())
}

/// A session nobody has signed in to (say, one holding a save to apply after sign-in) is
/// kept for hours, not the 30 days a signed-in one gets, so anonymous requests cannot
/// pile up rows for long.
const ANONYMOUS_SESSION_HOURS: i64 = 2;

/// How long a row lives after this write.
fn row_ttl(user_id: Option<i32>, ttl: &CookieDuration) -> Duration {
    let ttl = to_chrono(ttl);
    match user_id {
        Some(_) => ttl,
        None => ttl.min(Duration::hours(ANONYMOUS_SESSION_HOURS)),
    }
}

fn user_id_of(state: &HashMap<String, String>) -> Option<i32> {
    state
        .get(USER_ID_KEY)
        .and_then(|v| serde_json::from_str(v).ok())
}

impl SessionStore for DbSessionStore {
    async fn load(
        &self,
        session_key: &SessionKey,
    ) -> Result<Option<HashMap<String, String>>, LoadError> {
        let id = sha256_hex(session_key.as_ref());
        let now = Utc::now().naive_utc();
        let state = db::run(&self.pool, move |conn| sessions::load(conn, &id, now))
            .await
            .map_err(|e| LoadError::Other(e.into()))?;
        match state {
            // A row that does not parse is treated as no session rather than an error page.
            Some(json) => Ok(serde_json::from_str(&json).ok()),
            None => Ok(None),
        }
    }

    async fn save(
        &self,
        mut session_state: HashMap<String, String>,
        ttl: &CookieDuration,
    ) -> Result<SessionKey, SaveError> {
        let key = new_token();
        let id = sha256_hex(&key);
        let now = Utc::now().naive_utc();
        let started = session_state
            .get(STARTED_KEY)
            .and_then(|v| v.parse::<i64>().ok())
            .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
            .map(|t| t.naive_utc())
            .filter(|t| *t <= now)
            .unwrap_or(now);
        session_state.insert(
            STARTED_KEY.to_owned(),
            started.and_utc().timestamp().to_string(),
        );
        let state = serde_json::to_string(&session_state)
            .map_err(|e| SaveError::Serialization(e.into()))?;
        let user_id = user_id_of(&session_state);
        let expires_at = now + row_ttl(user_id, ttl);
        let absolute_expires_at = started + self.absolute_ttl;
        db::run(&self.pool, move |conn| {
            sessions::insert(
                conn,
                &sessions::NewSession {
                    id: &id,
                    user_id,
                    state: &state,
                    now,
                    expires_at,
                    absolute_expires_at,
                },
            )
        })
        .await
        .map_err(|e| SaveError::Other(e.into()))?;
        SessionKey::try_from(key).map_err(|e| SaveError::Other(e.into()))
    }

    async fn update(
        &self,
        session_key: SessionKey,
        session_state: HashMap<String, String>,
        ttl: &CookieDuration,
    ) -> Result<SessionKey, UpdateError> {
        let id = sha256_hex(session_key.as_ref());
        let state = serde_json::to_string(&session_state)
            .map_err(|e| UpdateError::Serialization(e.into()))?;
        let now = Utc::now().naive_utc();
        let user_id = user_id_of(&session_state);
        let expires_at = now + row_ttl(user_id, ttl);
        let updated = db::run(&self.pool, move |conn| {
            sessions::update(conn, &id, user_id, &state, expires_at, now)
        })
        .await
        .map_err(|e| UpdateError::Other(e.into()))?;
        if updated {
            Ok(session_key)
        } else {
            // The row was removed meanwhile (signed out elsewhere): start a fresh session.
            self.save(session_state, ttl).await.map_err(|e| match e {
                SaveError::Serialization(e) => UpdateError::Serialization(e),
                SaveError::Other(e) => UpdateError::Other(e),
            })
        }
    }

    async fn update_ttl(
        &self,
        session_key: &SessionKey,
        ttl: &CookieDuration,
    ) -> Result<(), anyhow::Error> {
        let id = sha256_hex(session_key.as_ref());
        let expires_at = Utc::now().naive_utc() + to_chrono(ttl);
        // Writing on every request would serialise all traffic on SQLite's one writer;
        // an hour's precision is plenty for a 30-day idle limit. For the same reason a
        // busy or full database does not fail the page: the next visit extends it.
        let touched = db::run(&self.pool, move |conn| {
            sessions::touch(conn, &id, expires_at, Duration::hours(1))
        })
        .await;
        match touched {
            Err(e) if e.unavailable().is_some() => {
                tracing::warn!(error = %e, "session expiry not extended");
                Ok(())
            }
            other => Ok(other?),
        }
    }

    async fn delete(&self, session_key: &SessionKey) -> Result<(), anyhow::Error> {
        let id = sha256_hex(session_key.as_ref());
        db::run(&self.pool, move |conn| sessions::delete(conn, &id)).await?;
        Ok(())
    }
}

/// The database id of the session a key names, used to keep the current session when
/// ending all others.
pub fn session_id_for(key: &str) -> String {
    sha256_hex(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anonymous_rows_live_hours_and_signed_in_rows_the_full_idle_limit() {
        let thirty_days = CookieDuration::days(30);
        assert_eq!(row_ttl(Some(1), &thirty_days), Duration::days(30));
        assert_eq!(row_ttl(None, &thirty_days), Duration::hours(2));
        assert_eq!(
            row_ttl(None, &CookieDuration::minutes(5)),
            Duration::minutes(5)
        );
    }
}
