//! Server-side session rows behind actix-session's `SessionStore`.

use super::DbConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbError;
use super::schema::sessions;

/// The stored state of a live session.
pub fn load(
    conn: &mut DbConnection,
    id: &str,
    now: NaiveDateTime,
) -> Result<Option<String>, DbError> {
    Ok(sessions::table
        .find(id)
        .filter(sessions::expires_at.gt(now))
        .filter(sessions::absolute_expires_at.gt(now))
        .select(sessions::state)
        .first(conn)
        .optional()?)
}

pub struct NewSession<'a> {
    pub id: &'a str,
    pub user_id: Option<i32>,
    pub state: &'a str,
    pub now: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub absolute_expires_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, s: &NewSession<'_>) -> Result<(), DbError> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(s.id),
            sessions::user_id.eq(s.user_id),
            sessions::state.eq(s.state),
            sessions::created_at.eq(s.now),
            sessions::expires_at.eq(s.expires_at),
            sessions::absolute_expires_at.eq(s.absolute_expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Replaces the state of a live session; returns false when it no longer exists.
pub fn update(
    conn: &mut DbConnection,
    id: &str,
    user_id: Option<i32>,
    state: &str,
    expires_at: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let changed = diesel::update(
        sessions::table
            .find(id)
            .filter(sessions::absolute_expires_at.gt(now)),
    )
    .set((
        sessions::user_id.eq(user_id),
        sessions::state.eq(state),
        sessions::expires_at.eq(expires_at),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Pushes a signed-in session's idle expiry forward, at most once per `granularity` to
/// spare writes. Anonymous sessions are not extended by visits.
pub fn touch(
    conn: &mut DbConnection,
    id: &str,
    expires_at: NaiveDateTime,
    granularity: chrono::Duration,
) -> Result<(), DbError> {
    diesel::update(
        sessions::table
            .find(id)
            .filter(sessions::user_id.is_not_null())
            .filter(sessions::expires_at.lt(expires_at - granularity)),
    )
    .set(sessions::expires_at.eq(expires_at))
    .execute(conn)?;
    Ok(())
}

pub fn delete(conn: &mut DbConnection, id: &str) -> Result<(), DbError> {
    diesel::delete(sessions::table.find(id)).execute(conn)?;
    Ok(())
}

/// Ends every session of an account, except `keep` (the one making the change) if given.
pub fn delete_for_user(
    conn: &mut DbConnection,
    user_id: i32,
    keep: Option<&str>,
) -> Result<usize, DbError> {
    let mine = sessions::table.filter(sessions::user_id.eq(user_id));
    Ok(match keep {
        Some(keep) => diesel::delete(mine.filter(sessions::id.ne(keep))).execute(conn)?,
        None => diesel::delete(mine).execute(conn)?,
    })
}

pub fn count_for_user(conn: &mut DbConnection, user_id: i32) -> Result<i64, DbError> {
    Ok(sessions::table
        .filter(sessions::user_id.eq(user_id))
        .count()
        .get_result(conn)?)
}

pub fn purge_expired(conn: &mut DbConnection, now: NaiveDateTime) -> Result<usize, DbError> {
    Ok(diesel::delete(
        sessions::table.filter(
            sessions::expires_at
                .le(now)
                .or(sessions::absolute_expires_at.le(now)),
        ),
    )
    .execute(conn)?)
}

/// Every stored session, signed in or not (tests and /metrics).
pub fn count_all(conn: &mut DbConnection) -> Result<i64, DbError> {
    Ok(sessions::table.count().get_result(conn)?)
}

/// When each of an account's sessions ends at the latest.
pub fn absolute_expiries_for_user(
    conn: &mut DbConnection,
    user_id: i32,
) -> Result<Vec<NaiveDateTime>, DbError> {
    Ok(sessions::table
        .filter(sessions::user_id.eq(user_id))
        .select(sessions::absolute_expires_at)
        .load(conn)?)
}
