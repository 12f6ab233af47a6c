//! Accounts, single-use email tokens and failed sign-in records.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;
use serde::Serialize;

use super::DbError;
use super::schema::{email_log, email_tokens, sessions, sign_in_failures, users};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i32,
    pub email: String,
    #[serde(skip)]
    pub password_hash: String,
    pub time_zone: String,
    pub email_verified_at: Option<NaiveDateTime>,
    pub is_admin: bool,
    pub disabled_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl User {
    pub fn is_verified(&self) -> bool {
        self.email_verified_at.is_some()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    Verify,
    Reset,
    ChangeEmail,
}

impl TokenPurpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::Verify => "verify",
            Self::Reset => "reset",
            Self::ChangeEmail => "change_email",
        }
    }
}

pub fn find(conn: &mut SqliteConnection, id: i32) -> Result<Option<User>, DbError> {
    Ok(users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_by_email(conn: &mut SqliteConnection, email: &str) -> Result<Option<User>, DbError> {
    Ok(users::table
        .filter(users::email.eq(email))
        .select(User::as_select())
        .first(conn)
        .optional()?)
}

/// Creates an account unless the address is taken; `None` means it already exists.
pub fn create(
    conn: &mut SqliteConnection,
    email: &str,
    password_hash: &str,
    time_zone: &str,
    is_admin: bool,
    now: NaiveDateTime,
) -> Result<Option<User>, DbError> {
    conn.immediate_transaction(|conn| {
        if find_by_email(conn, email)?.is_some() {
            return Ok(None);
        }
        diesel::insert_into(users::table)
            .values((
                users::email.eq(email),
                users::password_hash.eq(password_hash),
                users::time_zone.eq(time_zone),
                users::is_admin.eq(is_admin),
                users::created_at.eq(now),
                users::updated_at.eq(now),
            ))
            .execute(conn)?;
        find_by_email(conn, email)
    })
}

/// Replaces the password hash and ends every session of the account except `keep`.
pub fn set_password(
    conn: &mut SqliteConnection,
    user_id: i32,
    password_hash: &str,
    keep_session: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    conn.immediate_transaction(|conn| {
        diesel::update(users::table.find(user_id))
            .set((
                users::password_hash.eq(password_hash),
                users::updated_at.eq(now),
            ))
            .execute(conn)?;
        super::sessions::delete_for_user(conn, user_id, keep_session)?;
        Ok(())
    })
}

/// Replaces the password hash and leaves every session as it is.
pub fn set_password_keep_sessions(
    conn: &mut SqliteConnection,
    user_id: i32,
    password_hash: &str,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::update(users::table.find(user_id))
        .set((
            users::password_hash.eq(password_hash),
            users::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_time_zone(
    conn: &mut SqliteConnection,
    user_id: i32,
    time_zone: &str,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::update(users::table.find(user_id))
        .set((users::time_zone.eq(time_zone), users::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// Deletes the account; sessions and tokens go with it (foreign keys cascade).
pub fn delete(conn: &mut SqliteConnection, user_id: i32) -> Result<(), DbError> {
    conn.immediate_transaction(|conn| {
        diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)?;
        diesel::delete(users::table.find(user_id)).execute(conn)?;
        Ok(())
    })
}

/// Marks an account disabled and ends its sessions.
pub fn disable(
    conn: &mut SqliteConnection,
    user_id: i32,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    conn.immediate_transaction(|conn| {
        diesel::update(users::table.find(user_id))
            .set(users::disabled_at.eq(Some(now)))
            .execute(conn)?;
        super::sessions::delete_for_user(conn, user_id, None)?;
        Ok(())
    })
}

/// Gives admin rights to the listed addresses that have accounts. Returns how many changed.
pub fn promote_admins(conn: &mut SqliteConnection, emails: &[String]) -> Result<usize, DbError> {
    if emails.is_empty() {
        return Ok(0);
    }
    Ok(diesel::update(
        users::table
            .filter(users::email.eq_any(emails))
            .filter(users::is_admin.eq(false)),
    )
    .set(users::is_admin.eq(true))
    .execute(conn)?)
}

pub fn create_token(
    conn: &mut SqliteConnection,
    user_id: i32,
    purpose: TokenPurpose,
    token_hash: &str,
    new_email: Option<&str>,
    now: NaiveDateTime,
    valid_for: Duration,
) -> Result<(), DbError> {
    diesel::insert_into(email_tokens::table)
        .values((
            email_tokens::token_hash.eq(token_hash),
            email_tokens::user_id.eq(user_id),
            email_tokens::purpose.eq(purpose.as_str()),
            email_tokens::new_email.eq(new_email),
            email_tokens::created_at.eq(now),
            email_tokens::expires_at.eq(now + valid_for),
        ))
        .execute(conn)?;
    Ok(())
}

/// How many tokens of this purpose the account was sent since `since` (for resend limits).
pub fn tokens_sent_since(
    conn: &mut SqliteConnection,
    user_id: i32,
    purpose: TokenPurpose,
    since: NaiveDateTime,
) -> Result<i64, DbError> {
    Ok(email_tokens::table
        .filter(email_tokens::user_id.eq(user_id))
        .filter(email_tokens::purpose.eq(purpose.as_str()))
        .filter(email_tokens::created_at.gt(since))
        .count()
        .get_result(conn)?)
}

/// The account a live (unused, unexpired) token belongs to, without using it up.
pub fn peek_token(
    conn: &mut SqliteConnection,
    token_hash: &str,
    purpose: TokenPurpose,
    now: NaiveDateTime,
) -> Result<Option<(User, Option<String>)>, DbError> {
    let found: Option<(i32, Option<String>)> = email_tokens::table
        .filter(email_tokens::token_hash.eq(token_hash))
        .filter(email_tokens::purpose.eq(purpose.as_str()))
        .filter(email_tokens::used_at.is_null())
        .filter(email_tokens::expires_at.gt(now))
        .select((email_tokens::user_id, email_tokens::new_email))
        .first(conn)
        .optional()?;
    match found {
        Some((user_id, new_email)) => Ok(find(conn, user_id)?.map(|u| (u, new_email))),
        None => Ok(None),
    }
}

/// Uses up a live token. Must run inside the caller's transaction.
fn consume_token(
    conn: &mut SqliteConnection,
    token_hash: &str,
    purpose: TokenPurpose,
    now: NaiveDateTime,
) -> Result<Option<(User, Option<String>)>, DbError> {
    let Some(found) = peek_token(conn, token_hash, purpose, now)? else {
        return Ok(None);
    };
    diesel::update(email_tokens::table.find(token_hash))
        .set(email_tokens::used_at.eq(Some(now)))
        .execute(conn)?;
    Ok(Some(found))
}

/// Confirms the address a verification link was sent to.
pub fn verify_email(
    conn: &mut SqliteConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> Result<Option<User>, DbError> {
    conn.immediate_transaction(|conn| {
        let Some((user, _)) = consume_token(conn, token_hash, TokenPurpose::Verify, now)? else {
            return Ok(None);
        };
        diesel::update(users::table.find(user.id))
            .set(users::email_verified_at.eq(Some(user.email_verified_at.unwrap_or(now))))
            .execute(conn)?;
        find(conn, user.id)
    })
}

pub enum EmailChange {
    Changed {
        user: User,
        old_email: String,
    },
    /// Someone else took the address between the request and the confirmation.
    Taken,
    InvalidLink,
}

/// Switches an account to the new address its confirmation link was sent to.
pub fn confirm_email_change(
    conn: &mut SqliteConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> Result<EmailChange, DbError> {
    conn.immediate_transaction(|conn| {
        let Some((user, Some(new_email))) =
            consume_token(conn, token_hash, TokenPurpose::ChangeEmail, now)?
        else {
            return Ok(EmailChange::InvalidLink);
        };
        if find_by_email(conn, &new_email)?.is_some() {
            return Ok(EmailChange::Taken);
        }
        diesel::update(users::table.find(user.id))
            .set((
                users::email.eq(&new_email),
                users::email_verified_at.eq(Some(now)),
                users::updated_at.eq(now),
            ))
            .execute(conn)?;
        let changed =
            find(conn, user.id)?.ok_or_else(|| DbError::Corrupt("user vanished".into()))?;
        Ok(EmailChange::Changed {
            user: changed,
            old_email: user.email,
        })
    })
}

/// Sets a new password through a reset link and ends every session of the account.
pub fn reset_password(
    conn: &mut SqliteConnection,
    token_hash: &str,
    password_hash: &str,
    now: NaiveDateTime,
) -> Result<Option<User>, DbError> {
    conn.immediate_transaction(|conn| {
        let Some((user, _)) = consume_token(conn, token_hash, TokenPurpose::Reset, now)? else {
            return Ok(None);
        };
        diesel::update(users::table.find(user.id))
            .set((
                users::password_hash.eq(password_hash),
                users::updated_at.eq(now),
                // Following an emailed link proves the address too.
                users::email_verified_at.eq(Some(user.email_verified_at.unwrap_or(now))),
            ))
            .execute(conn)?;
        super::sessions::delete_for_user(conn, user.id, None)?;
        // Other reset links for the account die with this one.
        diesel::update(
            email_tokens::table
                .filter(email_tokens::user_id.eq(user.id))
                .filter(email_tokens::purpose.eq(TokenPurpose::Reset.as_str()))
                .filter(email_tokens::used_at.is_null()),
        )
        .set(email_tokens::used_at.eq(Some(now)))
        .execute(conn)?;
        Ok(Some(user))
    })
}

pub fn record_sign_in_failure(
    conn: &mut SqliteConnection,
    email_hash: &str,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    conn.immediate_transaction(|conn| {
        diesel::insert_into(sign_in_failures::table)
            .values((
                sign_in_failures::email_hash.eq(email_hash),
                sign_in_failures::failed_at.eq(now),
            ))
            .execute(conn)?;
        // Old records are no use to the limit; keep the table small.
        diesel::delete(
            sign_in_failures::table.filter(sign_in_failures::failed_at.lt(now - Duration::days(1))),
        )
        .execute(conn)?;
        Ok(())
    })
}

pub fn sign_in_failures_since(
    conn: &mut SqliteConnection,
    email_hash: &str,
    since: NaiveDateTime,
) -> Result<Vec<NaiveDateTime>, DbError> {
    Ok(sign_in_failures::table
        .filter(sign_in_failures::email_hash.eq(email_hash))
        .filter(sign_in_failures::failed_at.gt(since))
        .select(sign_in_failures::failed_at)
        .load(conn)?)
}

/// Notes that an email of `kind` was sent (or tried) to an account.
pub fn log_email(
    conn: &mut SqliteConnection,
    user_id: i32,
    kind: &str,
    delivered: bool,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::insert_into(email_log::table)
        .values((
            email_log::user_id.eq(user_id),
            email_log::kind.eq(kind),
            email_log::delivered.eq(delivered),
            email_log::sent_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

#[derive(Serialize, Queryable)]
pub struct EmailExport {
    pub kind: String,
    pub delivered: bool,
    pub sent_at: NaiveDateTime,
}

#[derive(Serialize)]
pub struct SessionExport {
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

#[derive(Serialize)]
pub struct AccountExport {
    pub exported_at: NaiveDateTime,
    pub account: User,
    pub sessions: Vec<SessionExport>,
    pub emails: Vec<EmailExport>,
}

/// Everything stored about one account, for the "download my data" button.
pub fn export(
    conn: &mut SqliteConnection,
    user_id: i32,
    now: NaiveDateTime,
) -> Result<Option<AccountExport>, DbError> {
    let Some(account) = find(conn, user_id)? else {
        return Ok(None);
    };
    let sessions = sessions::table
        .filter(sessions::user_id.eq(user_id))
        .select((sessions::created_at, sessions::expires_at))
        .load::<(NaiveDateTime, NaiveDateTime)>(conn)?
        .into_iter()
        .map(|(created_at, expires_at)| SessionExport {
            created_at,
            expires_at,
        })
        .collect();
    let emails = email_log::table
        .filter(email_log::user_id.eq(user_id))
        .order(email_log::sent_at)
        .select((email_log::kind, email_log::delivered, email_log::sent_at))
        .load::<EmailExport>(conn)?;
    Ok(Some(AccountExport {
        exported_at: now,
        account,
        sessions,
        emails,
    }))
}
