//! Accounts, single-use email tokens and failed sign-in records.

use super::DbConnection;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
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
    /// What an admin wrote when disabling the account; shown to its owner at sign-in.
    pub disabled_reason: String,
    pub last_sign_in_at: Option<NaiveDateTime>,
}

impl User {
    pub fn is_verified(&self) -> bool {
        self.email_verified_at.is_some()
    }

    /// The account's own time zone: its days, reminders and practice allowance follow it.
    pub fn zone(&self) -> chrono_tz::Tz {
        crate::domain::account::zone_or_default(&self.time_zone)
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

pub fn find(conn: &mut DbConnection, id: i32) -> Result<Option<User>, DbError> {
    Ok(users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_by_email(conn: &mut DbConnection, email: &str) -> Result<Option<User>, DbError> {
    Ok(users::table
        .filter(users::email.eq(email))
        .select(User::as_select())
        .first(conn)
        .optional()?)
}

/// Creates an account unless the address is taken; `None` means it already exists.
pub fn create(
    conn: &mut DbConnection,
    email: &str,
    password_hash: &str,
    time_zone: &str,
    now: NaiveDateTime,
) -> Result<Option<User>, DbError> {
    super::dialect::write_transaction(conn, |conn| {
        if find_by_email(conn, email)?.is_some() {
            return Ok(None);
        }
        diesel::insert_into(users::table)
            .values((
                users::email.eq(email),
                users::password_hash.eq(password_hash),
                users::time_zone.eq(time_zone),
                // Admin rights come only from a confirmed address (see `promote_admins`).
                users::is_admin.eq(false),
                users::created_at.eq(now),
                users::updated_at.eq(now),
            ))
            .execute(conn)?;
        find_by_email(conn, email)
    })
}

/// Replaces the password hash and kills every outstanding emailed link of the account
/// (a pending address change included). With `end_other_sessions`, every session but
/// `keep_session` ends too.
pub fn set_password(
    conn: &mut DbConnection,
    user_id: i32,
    password_hash: &str,
    end_other_sessions: bool,
    keep_session: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    super::dialect::write_transaction(conn, |conn| {
        diesel::update(users::table.find(user_id))
            .set((
                users::password_hash.eq(password_hash),
                users::updated_at.eq(now),
            ))
            .execute(conn)?;
        revoke_links(conn, user_id, now)?;
        if end_other_sessions {
            super::sessions::delete_for_user(conn, user_id, keep_session)?;
        }
        Ok(())
    })
}

/// Uses up every live emailed link of the account: reset, verification and address
/// change. Called whenever the account's credentials or address change, so a link sent
/// before the change (perhaps to an attacker's mailbox) cannot undo it.
fn revoke_links(
    conn: &mut DbConnection,
    user_id: i32,
    now: NaiveDateTime,
) -> Result<usize, DbError> {
    Ok(diesel::update(
        email_tokens::table
            .filter(email_tokens::user_id.eq(user_id))
            .filter(email_tokens::used_at.is_null()),
    )
    .set(email_tokens::used_at.eq(Some(now)))
    .execute(conn)?)
}

pub fn set_time_zone(
    conn: &mut DbConnection,
    user_id: i32,
    time_zone: &str,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::update(users::table.find(user_id))
        .set((users::time_zone.eq(time_zone), users::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// Deletes the account; sessions, tokens and the email log go with it (foreign keys
/// cascade), and so do the failed sign-ins recorded against its address.
pub fn delete(conn: &mut DbConnection, user_id: i32, email_hash: &str) -> Result<(), DbError> {
    super::dialect::write_transaction(conn, |conn| {
        diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)?;
        diesel::delete(sign_in_failures::table.filter(sign_in_failures::email_hash.eq(email_hash)))
            .execute(conn)?;
        diesel::delete(users::table.find(user_id)).execute(conn)?;
        Ok(())
    })
}

/// Notes a successful sign-in, for the admin's account list.
pub fn record_sign_in(
    conn: &mut DbConnection,
    user_id: i32,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::update(users::table.find(user_id))
        .set(users::last_sign_in_at.eq(Some(now)))
        .execute(conn)?;
    Ok(())
}

/// Gives admin rights to the listed addresses whose accounts have confirmed them: an
/// address nobody has proved they own never becomes an admin. Returns how many changed.
pub fn promote_admins(conn: &mut DbConnection, emails: &[String]) -> Result<usize, DbError> {
    if emails.is_empty() {
        return Ok(0);
    }
    Ok(diesel::update(
        users::table
            .filter(users::email.eq_any(emails))
            .filter(users::email_verified_at.is_not_null())
            .filter(users::is_admin.eq(false)),
    )
    .set(users::is_admin.eq(true))
    .execute(conn)?)
}

/// Admin rights for one account, whatever its address (the `create-admin` command: the
/// operator vouches for it).
pub fn make_admin(conn: &mut DbConnection, user_id: i32) -> Result<(), DbError> {
    diesel::update(users::table.find(user_id))
        .set(users::is_admin.eq(true))
        .execute(conn)?;
    Ok(())
}

pub fn create_token(
    conn: &mut DbConnection,
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
    conn: &mut DbConnection,
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
    conn: &mut DbConnection,
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
    conn: &mut DbConnection,
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

/// Confirms the address a verification link was sent to. Every session made before the
/// confirmation ends: someone may have registered the address before its owner did and
/// stayed signed in. (A confirming browser already signed in to the account is renewed
/// by the caller, so it stays.)
pub fn verify_email(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> Result<Option<User>, DbError> {
    super::dialect::write_transaction(conn, |conn| {
        let Some((user, _)) = consume_token(conn, token_hash, TokenPurpose::Verify, now)? else {
            return Ok(None);
        };
        diesel::update(users::table.find(user.id))
            .set(users::email_verified_at.eq(Some(user.email_verified_at.unwrap_or(now))))
            .execute(conn)?;
        super::sessions::delete_for_user(conn, user.id, None)?;
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
///
/// Every other link of the account dies (a reset link sent to the old address included),
/// and every session ends (the caller renews the confirming browser's, if it is signed in
/// to the account).
pub fn confirm_email_change(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> Result<EmailChange, DbError> {
    super::dialect::write_transaction(conn, |conn| {
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
        revoke_links(conn, user.id, now)?;
        super::sessions::delete_for_user(conn, user.id, None)?;
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
    conn: &mut DbConnection,
    token_hash: &str,
    password_hash: &str,
    now: NaiveDateTime,
) -> Result<Option<User>, DbError> {
    super::dialect::write_transaction(conn, |conn| {
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
        // Every other link dies with this one: another reset link, a verification link,
        // and above all a pending address change someone else may have asked for.
        revoke_links(conn, user.id, now)?;
        // The owner has proved themselves through their mailbox: the lockout on the
        // address lifts, as the lockout message promises.
        clear_sign_in_failures(conn, &email_hash(&user.email))?;
        Ok(Some(user))
    })
}

/// How an address is kept in `sign_in_failures` and `email_log`: hashed, never in the clear.
pub fn email_hash(address: &str) -> String {
    hex::encode(<sha2::Sha256 as sha2::Digest>::digest(address.as_bytes()))
}

pub fn clear_sign_in_failures(conn: &mut DbConnection, email_hash: &str) -> Result<usize, DbError> {
    Ok(
        diesel::delete(sign_in_failures::table.filter(sign_in_failures::email_hash.eq(email_hash)))
            .execute(conn)?,
    )
}

pub fn record_sign_in_failure(
    conn: &mut DbConnection,
    email_hash: &str,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    super::dialect::write_transaction(conn, |conn| {
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
    conn: &mut DbConnection,
    email_hash: &str,
    since: NaiveDateTime,
) -> Result<Vec<NaiveDateTime>, DbError> {
    Ok(sign_in_failures::table
        .filter(sign_in_failures::email_hash.eq(email_hash))
        .filter(sign_in_failures::failed_at.gt(since))
        .select(sign_in_failures::failed_at)
        .load(conn)?)
}

/// Notes that an email of `kind` about an account was sent (or tried, or held back by
/// the per-recipient cap) to the address hashed as `recipient_hash`.
pub fn log_email(
    conn: &mut DbConnection,
    user_id: i32,
    kind: &str,
    recipient_hash: &str,
    delivered: bool,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::insert_into(email_log::table)
        .values((
            email_log::user_id.eq(user_id),
            email_log::kind.eq(kind),
            email_log::recipient_hash.eq(recipient_hash),
            email_log::delivered.eq(delivered),
            email_log::sent_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Emails of any kind sent (or tried) to one address since `since`, for the
/// per-recipient cap.
pub fn emails_to_since(
    conn: &mut DbConnection,
    recipient_hash: &str,
    since: NaiveDateTime,
) -> Result<i64, DbError> {
    Ok(email_log::table
        .filter(email_log::recipient_hash.eq(recipient_hash))
        .filter(email_log::sent_at.gt(since))
        .count()
        .get_result(conn)?)
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

/// An emailed link: never the token itself (only its hash is stored anyway).
#[derive(Serialize, Queryable)]
pub struct LinkExport {
    pub purpose: String,
    /// The address an address-change link would move the account to.
    pub new_email: Option<String>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

#[derive(Serialize)]
pub struct AccountExport {
    pub exported_at: NaiveDateTime,
    pub account: User,
    pub sessions: Vec<SessionExport>,
    pub emails: Vec<EmailExport>,
    pub emailed_links: Vec<LinkExport>,
    /// When someone failed to sign in with this account's address.
    pub failed_sign_ins: Vec<NaiveDateTime>,
    pub saved_moves: Vec<super::plans::SavedTransition>,
    pub plans: Vec<PlanExport>,
    pub practice: PracticeExport,
    /// None until the user saves their own skills.
    pub skills_profile: Option<crate::domain::profile::Profile>,
}

#[derive(Serialize)]
pub struct PlanExport {
    pub plan: super::plans::Plan,
    pub milestones: Vec<super::plans::Milestone>,
}

#[derive(Serialize)]
pub struct PracticeExport {
    pub premium: bool,
    pub trial_started_at: Option<NaiveDateTime>,
    pub trial_ends_at: Option<NaiveDateTime>,
    pub attempts: Vec<super::practice::Attempt>,
}

/// Everything stored about one account, for the "download my data" button.
pub fn export(
    conn: &mut DbConnection,
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
    let emailed_links = email_tokens::table
        .filter(email_tokens::user_id.eq(user_id))
        .order(email_tokens::created_at)
        .select((
            email_tokens::purpose,
            email_tokens::new_email,
            email_tokens::created_at,
            email_tokens::expires_at,
            email_tokens::used_at,
        ))
        .load::<LinkExport>(conn)?;
    let failed_sign_ins = sign_in_failures::table
        .filter(sign_in_failures::email_hash.eq(email_hash(&account.email)))
        .order(sign_in_failures::failed_at)
        .select(sign_in_failures::failed_at)
        .load(conn)?;
    let saved_moves = super::plans::list_saved(conn, user_id)?;
    let mut plans = Vec::new();
    for plan in super::plans::plans_of(conn, user_id)? {
        let milestones = super::plans::milestones_of(conn, plan.id)?;
        plans.push(PlanExport { plan, milestones });
    }
    let tier = super::practice::subscription(conn, user_id)?;
    let practice = PracticeExport {
        premium: tier.premium,
        trial_started_at: tier.trial_started_at,
        trial_ends_at: tier.trial_ends_at,
        attempts: super::practice::attempts_of(conn, user_id)?,
    };
    Ok(Some(AccountExport {
        exported_at: now,
        account,
        sessions,
        emails,
        emailed_links,
        failed_sign_ins,
        saved_moves,
        plans,
        practice,
        skills_profile: super::profiles::stored(conn, user_id)?,
    }))
}
