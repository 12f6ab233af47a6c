//! Each account's reminder choices and its unsubscribe token.

use chrono::{NaiveDateTime, Weekday};
use diesel::prelude::*;

use super::schema::reminder_settings;
use super::{DbConnection, DbError};
use crate::domain::reminders::{ReminderPrefs, WEEKDAYS};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = reminder_settings)]
struct Row {
    user_id: i32,
    days_before: i32,
    on_overdue: bool,
    weekly_digest: bool,
    digest_weekday: i32,
    send_hour: i32,
    paused: bool,
    unsubscribe_token: String,
    updated_at: NaiveDateTime,
}

/// Stored choices and the token for the account's unsubscribe links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub prefs: ReminderPrefs,
    pub unsubscribe_token: String,
}

fn weekday_number(day: Weekday) -> i32 {
    day.number_from_monday() as i32
}

impl From<Row> for Stored {
    fn from(r: Row) -> Self {
        let _ = (r.user_id, r.updated_at);
        Self {
            prefs: ReminderPrefs {
                days_before: r.days_before.clamp(0, 14) as u32,
                on_overdue: r.on_overdue,
                weekly_digest: r.weekly_digest,
                digest_weekday: WEEKDAYS[(r.digest_weekday.clamp(1, 7) - 1) as usize],
                send_hour: r.send_hour.clamp(0, 23) as u32,
                paused: r.paused,
            },
            unsubscribe_token: r.unsubscribe_token,
        }
    }
}

/// The account's choices; the defaults (made and kept, with `new_token` as the
/// unsubscribe token) when it has never saved any.
pub fn for_user(
    conn: &mut DbConnection,
    user_id: i32,
    new_token: &str,
    now: NaiveDateTime,
) -> Result<Stored, DbError> {
    super::dialect::write_transaction(conn, |conn| {
        if let Some(row) = find(conn, user_id)? {
            return Ok(row.into());
        }
        let d = ReminderPrefs::default();
        diesel::insert_into(reminder_settings::table)
            .values((
                reminder_settings::user_id.eq(user_id),
                reminder_settings::days_before.eq(d.days_before as i32),
                reminder_settings::on_overdue.eq(d.on_overdue),
                reminder_settings::weekly_digest.eq(d.weekly_digest),
                reminder_settings::digest_weekday.eq(weekday_number(d.digest_weekday)),
                reminder_settings::send_hour.eq(d.send_hour as i32),
                reminder_settings::paused.eq(d.paused),
                reminder_settings::unsubscribe_token.eq(new_token),
                reminder_settings::updated_at.eq(now),
            ))
            .execute(conn)?;
        Ok(find(conn, user_id)?
            .ok_or_else(|| DbError::Corrupt("reminder settings vanished".into()))?
            .into())
    })
}

fn find(conn: &mut DbConnection, user_id: i32) -> Result<Option<Row>, DbError> {
    Ok(reminder_settings::table
        .find(user_id)
        .select(Row::as_select())
        .first(conn)
        .optional()?)
}

/// Saves the account's choices. Pausing withdraws the reminders still waiting to go.
pub fn save(
    conn: &mut DbConnection,
    user_id: i32,
    prefs: &ReminderPrefs,
    new_token: &str,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    super::dialect::write_transaction(conn, |conn| {
        for_user(conn, user_id, new_token, now)?;
        diesel::update(reminder_settings::table.find(user_id))
            .set((
                reminder_settings::days_before.eq(prefs.days_before as i32),
                reminder_settings::on_overdue.eq(prefs.on_overdue),
                reminder_settings::weekly_digest.eq(prefs.weekly_digest),
                reminder_settings::digest_weekday.eq(weekday_number(prefs.digest_weekday)),
                reminder_settings::send_hour.eq(prefs.send_hour as i32),
                reminder_settings::paused.eq(prefs.paused),
                reminder_settings::updated_at.eq(now),
            ))
            .execute(conn)?;
        if prefs.paused {
            super::outbox::withdraw_reminders_for_user(conn, user_id)?;
        }
        Ok(())
    })
}

/// The account an unsubscribe token belongs to.
pub fn user_for_token(conn: &mut DbConnection, token: &str) -> Result<Option<i32>, DbError> {
    Ok(reminder_settings::table
        .filter(reminder_settings::unsubscribe_token.eq(token))
        .select(reminder_settings::user_id)
        .first(conn)
        .optional()?)
}

/// Stops every reminder to the account the token belongs to, at once: the choices are
/// paused and reminders still waiting are withdrawn. `None` for a token nobody holds.
pub fn unsubscribe(
    conn: &mut DbConnection,
    token: &str,
    now: NaiveDateTime,
) -> Result<Option<i32>, DbError> {
    super::dialect::write_transaction(conn, |conn| {
        let Some(user_id) = user_for_token(conn, token)? else {
            return Ok(None);
        };
        diesel::update(reminder_settings::table.find(user_id))
            .set((
                reminder_settings::paused.eq(true),
                reminder_settings::updated_at.eq(now),
            ))
            .execute(conn)?;
        super::outbox::withdraw_reminders_for_user(conn, user_id)?;
        Ok(Some(user_id))
    })
}
