//! Housekeeping that keeps the promises of the privacy notice: expired sessions, used or
//! expired links, old sign-in failures and accounts never confirmed are removed.

use super::DbConnection;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::DbError;
use super::schema::{email_tokens, sign_in_failures, users};

/// An account whose address was never confirmed is removed after this long.
pub const UNVERIFIED_ACCOUNT_DAYS: i64 = 30;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub sessions: usize,
    pub tokens: usize,
    pub failures: usize,
    pub unverified_accounts: usize,
    pub finished_mail: usize,
}

pub fn run(conn: &mut DbConnection, now: NaiveDateTime) -> Result<Report, DbError> {
    super::dialect::write_transaction(conn, |conn| {
        let sessions = super::sessions::purge_expired(conn, now)?;
        let tokens = diesel::delete(
            email_tokens::table.filter(email_tokens::expires_at.le(now - Duration::days(1))),
        )
        .execute(conn)?;
        let failures = diesel::delete(
            sign_in_failures::table.filter(sign_in_failures::failed_at.le(now - Duration::days(1))),
        )
        .execute(conn)?;
        let unverified_accounts = diesel::delete(
            users::table
                .filter(users::email_verified_at.is_null())
                .filter(users::created_at.le(now - Duration::days(UNVERIFIED_ACCOUNT_DAYS))),
        )
        .execute(conn)?;
        let finished_mail = super::outbox::purge_finished(conn, now)?;
        Ok(Report {
            sessions,
            tokens,
            failures,
            unverified_accounts,
            finished_mail,
        })
    })
}

/// Writes a consistent copy of a SQLite database to `to` while the app keeps running:
/// `VACUUM INTO` reads one snapshot (WAL lets writers carry on) and writes a compact file.
/// PostgreSQL has its own tools (`pg_dump`), so this refuses there.
pub fn backup(conn: &mut DbConnection, to: &std::path::Path) -> Result<(), DbError> {
    match conn {
        DbConnection::Sqlite(sqlite) => {
            let path = to
                .to_str()
                .ok_or_else(|| DbError::Url("the backup path is not valid UTF-8".into()))?;
            // A string literal: SQLite doubles a quote to escape it.
            let literal = path.replace('\'', "''");
            diesel::sql_query(format!("VACUUM INTO '{literal}'")).execute(sqlite)?;
            Ok(())
        }
        #[cfg(feature = "postgres")]
        DbConnection::Pg(_) => Err(DbError::Url(
            "backup copies SQLite databases; for PostgreSQL use pg_dump".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{self, users};

    #[test]
    fn removes_only_what_has_expired() {
        let dir = tempfile::tempdir().unwrap();
        let pool = db::pool(dir.path().join("t.db").to_str().unwrap()).unwrap();
        let mut conn = pool.get().unwrap();
        db::migrate(&mut conn).unwrap();
        let now = chrono::Utc::now().naive_utc();
        let old = now - Duration::days(31);
        users::create(&mut conn, "stale@example.com", "h", "Europe/London", old).unwrap();
        users::create(&mut conn, "new@example.com", "h", "Europe/London", now).unwrap();
        let kept = users::create(&mut conn, "kept@example.com", "h", "Europe/London", old)
            .unwrap()
            .unwrap();
        diesel::update(crate::db::schema::users::table.find(kept.id))
            .set(crate::db::schema::users::email_verified_at.eq(Some(old)))
            .execute(&mut conn)
            .unwrap();
        users::record_sign_in_failure(&mut conn, "x", now - Duration::hours(30)).unwrap();
        let report = run(&mut conn, now).unwrap();
        assert_eq!(report.unverified_accounts, 1);
        assert!(
            users::find_by_email(&mut conn, "stale@example.com")
                .unwrap()
                .is_none()
        );
        assert!(
            users::find_by_email(&mut conn, "new@example.com")
                .unwrap()
                .is_some(),
            "still has time to confirm"
        );
        assert!(
            users::find_by_email(&mut conn, "kept@example.com")
                .unwrap()
                .is_some(),
            "confirmed accounts stay"
        );
        assert_eq!(report.failures, 1);
    }
}
