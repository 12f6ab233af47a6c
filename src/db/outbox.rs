//! The mail outbox: rows a request adds and a worker sends. See the migration for why.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::schema::mail_outbox;
use super::{DbConnection, DbError};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = mail_outbox)]
pub struct OutboxRow {
    pub id: i32,
    pub idempotency_key: String,
    pub message_id: String,
    pub user_id: Option<i32>,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub list_unsubscribe: Option<String>,
    pub milestone_id: Option<i32>,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub lease_until: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

pub struct NewMail<'a> {
    pub idempotency_key: &'a str,
    pub message_id: &'a str,
    pub user_id: Option<i32>,
    pub kind: &'a str,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub text_body: &'a str,
    pub html_body: &'a str,
    pub list_unsubscribe: Option<&'a str>,
    pub milestone_id: Option<i32>,
    /// When it may go out at the earliest.
    pub not_before: NaiveDateTime,
}

/// Adds an email unless one with the same idempotency key exists. Returns whether it was
/// added.
pub fn enqueue(
    conn: &mut DbConnection,
    mail: &NewMail<'_>,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    let inserted = super::dialect::write_transaction(conn, |conn| {
        let taken: i64 = mail_outbox::table
            .filter(mail_outbox::idempotency_key.eq(mail.idempotency_key))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Ok(false);
        }
        diesel::insert_into(mail_outbox::table)
            .values((
                mail_outbox::idempotency_key.eq(mail.idempotency_key),
                mail_outbox::message_id.eq(mail.message_id),
                mail_outbox::user_id.eq(mail.user_id),
                mail_outbox::kind.eq(mail.kind),
                mail_outbox::recipient.eq(mail.recipient),
                mail_outbox::subject.eq(mail.subject),
                mail_outbox::text_body.eq(mail.text_body),
                mail_outbox::html_body.eq(mail.html_body),
                mail_outbox::list_unsubscribe.eq(mail.list_unsubscribe),
                mail_outbox::milestone_id.eq(mail.milestone_id),
                mail_outbox::status.eq("pending"),
                mail_outbox::attempts.eq(0),
                mail_outbox::next_attempt_at.eq(mail.not_before),
                mail_outbox::created_at.eq(now),
            ))
            .execute(conn)?;
        Ok(true)
    });
    match inserted {
        // Two instances scheduling the same email at the same moment: the loser of the
        // race meets the unique key, which means the email is already queued.
        Err(DbError::Query(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ))) => Ok(false),
        other => other,
    }
}

/// Takes up to `limit` due emails for this worker until `lease_until`: pending ones whose
/// time has come, and ones another worker claimed but whose lease ran out (it crashed).
pub fn claim_due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> Result<Vec<OutboxRow>, DbError> {
    super::dialect::claim_outbox(conn, now, lease_until, limit)
}

/// The filter `claim_outbox` uses on either backend: pending and due, or claimed by a
/// worker whose lease has run out.
#[diesel::dsl::auto_type]
pub(super) fn due(now: NaiveDateTime) -> _ {
    (mail_outbox::status
        .eq("pending")
        .and(mail_outbox::next_attempt_at.le(now)))
    .or(mail_outbox::status
        .eq("sending")
        .and(mail_outbox::lease_until.lt(now)))
}

/// The server took the message. The bodies are emptied: they may hold single-use links.
pub fn mark_sent(conn: &mut DbConnection, id: i32, now: NaiveDateTime) -> Result<(), DbError> {
    diesel::update(mail_outbox::table.find(id))
        .set((
            mail_outbox::status.eq("sent"),
            mail_outbox::sent_at.eq(Some(now)),
            mail_outbox::lease_until.eq(None::<NaiveDateTime>),
            mail_outbox::last_error.eq(None::<String>),
            mail_outbox::text_body.eq(""),
            mail_outbox::html_body.eq(""),
        ))
        .execute(conn)?;
    Ok(())
}

/// Gives a claimed row back unsent, due as before, for any worker to take now. The claim
/// counted an attempt that was never made, so it is taken back.
pub fn release(conn: &mut DbConnection, id: i32) -> Result<(), DbError> {
    diesel::update(
        mail_outbox::table
            .find(id)
            .filter(mail_outbox::status.eq("sending")),
    )
    .set((
        mail_outbox::status.eq("pending"),
        mail_outbox::lease_until.eq(None::<NaiveDateTime>),
        mail_outbox::attempts.eq(mail_outbox::attempts - 1),
    ))
    .execute(conn)?;
    Ok(())
}

/// A temporary failure (refused connection, SMTP 4xx, time-out): try again at `retry_at`.
pub fn mark_retry(
    conn: &mut DbConnection,
    id: i32,
    reason: &str,
    retry_at: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::update(mail_outbox::table.find(id))
        .set((
            mail_outbox::status.eq("pending"),
            mail_outbox::next_attempt_at.eq(retry_at),
            mail_outbox::lease_until.eq(None::<NaiveDateTime>),
            mail_outbox::last_error.eq(Some(reason)),
        ))
        .execute(conn)?;
    Ok(())
}

/// A permanent failure (SMTP 5xx, a bad address, too many attempts): never retried.
pub fn mark_failed(conn: &mut DbConnection, id: i32, reason: &str) -> Result<(), DbError> {
    diesel::update(mail_outbox::table.find(id))
        .set((
            mail_outbox::status.eq("failed"),
            mail_outbox::lease_until.eq(None::<NaiveDateTime>),
            mail_outbox::last_error.eq(Some(reason)),
            mail_outbox::text_body.eq(""),
            mail_outbox::html_body.eq(""),
        ))
        .execute(conn)?;
    Ok(())
}

/// Rows not yet sent or given up on (for /metrics and tests).
pub fn depth(conn: &mut DbConnection) -> Result<i64, DbError> {
    Ok(mail_outbox::table
        .filter(mail_outbox::status.eq_any(["pending", "sending"]))
        .count()
        .get_result(conn)?)
}

/// Sent and failed rows are kept a week for support, then removed.
pub fn purge_finished(conn: &mut DbConnection, now: NaiveDateTime) -> Result<usize, DbError> {
    Ok(diesel::delete(
        mail_outbox::table
            .filter(mail_outbox::status.eq_any(["sent", "failed"]))
            .filter(mail_outbox::created_at.lt(now - Duration::days(7))),
    )
    .execute(conn)?)
}

/// One row, for tests and the admin view.
pub fn find(conn: &mut DbConnection, id: i32) -> Result<Option<OutboxRow>, DbError> {
    Ok(mail_outbox::table
        .find(id)
        .select(OutboxRow::as_select())
        .first(conn)
        .optional()?)
}

/// Every row, oldest first (tests).
pub fn all(conn: &mut DbConnection) -> Result<Vec<OutboxRow>, DbError> {
    Ok(mail_outbox::table
        .order(mail_outbox::id)
        .select(OutboxRow::as_select())
        .load(conn)?)
}

/// Withdraws the reminders about a milestone that have not gone yet (it was completed,
/// re-dated or removed). Returns how many.
pub fn withdraw_for_milestone(
    conn: &mut DbConnection,
    milestone_id: i32,
) -> Result<usize, DbError> {
    Ok(diesel::delete(
        mail_outbox::table
            .filter(mail_outbox::milestone_id.eq(milestone_id))
            .filter(mail_outbox::status.eq("pending")),
    )
    .execute(conn)?)
}

/// Withdraws every reminder to an account that has not gone yet (it unsubscribed).
pub fn withdraw_reminders_for_user(
    conn: &mut DbConnection,
    user_id: i32,
) -> Result<usize, DbError> {
    Ok(diesel::delete(
        mail_outbox::table
            .filter(mail_outbox::user_id.eq(user_id))
            .filter(mail_outbox::list_unsubscribe.is_not_null())
            .filter(mail_outbox::status.eq("pending")),
    )
    .execute(conn)?)
}

/// Removes one row (a reminder no longer worth sending).
pub fn remove(conn: &mut DbConnection, id: i32) -> Result<(), DbError> {
    diesel::delete(mail_outbox::table.find(id)).execute(conn)?;
    Ok(())
}
