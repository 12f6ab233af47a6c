//! Where SQLite and PostgreSQL differ, decided here and nowhere else in `db/`.

use diesel::connection::{AnsiTransactionManager, Connection, TransactionManager};

use super::{DbConnection, DbError};

/// Runs `f` in a transaction that takes the write lock at its start: `BEGIN IMMEDIATE` on
/// SQLite, so two writers queue on the busy timeout instead of one failing when it tries
/// to upgrade a read lock; an ordinary transaction on PostgreSQL, whose row locks make
/// that unnecessary. Inside an open transaction it becomes a savepoint.
pub fn write_transaction<T, F>(conn: &mut DbConnection, f: F) -> Result<T, DbError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, DbError>,
{
    match conn {
        DbConnection::Sqlite(sqlite) => {
            let depth = AnsiTransactionManager::transaction_manager_status_mut(sqlite)
                .transaction_depth()
                .map_err(DbError::Query)?;
            if depth.is_some() {
                return conn.transaction(f);
            }
            AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?;
            match f(conn) {
                Ok(value) => {
                    <DbConnection as Connection>::TransactionManager::commit_transaction(conn)?;
                    Ok(value)
                }
                Err(e) => {
                    // After SQLITE_FULL or SQLITE_BUSY, SQLite may have rolled the
                    // transaction back itself, so ROLLBACK finds none: the caller still
                    // hears why it failed, and the pool drops the connection, whose
                    // transaction state diesel now calls broken.
                    if let Err(rollback) =
                        <DbConnection as Connection>::TransactionManager::rollback_transaction(conn)
                    {
                        tracing::debug!(error = %rollback, "rollback after a failed write");
                    }
                    Err(e)
                }
            }
        }
        #[cfg(feature = "postgres")]
        DbConnection::Pg(_) => conn.transaction(f),
    }
}

/// Whether this connection is to SQLite (for the few callers that must say so, such as
/// the backup command).
pub fn is_sqlite(conn: &DbConnection) -> bool {
    matches!(conn, DbConnection::Sqlite(_))
}

/// Claims due outbox rows for one worker. SQLite: inside `BEGIN IMMEDIATE`, which makes
/// writers take turns, so two workers can never read the same due row as free.
/// PostgreSQL: `FOR UPDATE SKIP LOCKED`, so concurrent workers each take different rows
/// without waiting on one another.
pub fn claim_outbox(
    conn: &mut DbConnection,
    now: chrono::NaiveDateTime,
    lease_until: chrono::NaiveDateTime,
    limit: i64,
) -> Result<Vec<super::outbox::OutboxRow>, DbError> {
    use super::outbox::{OutboxRow, due};
    use super::schema::mail_outbox;
    use diesel::prelude::*;

    // Each claimed row becomes this worker's until `lease_until`, and the attempt counts.
    macro_rules! take {
        ($conn:expr, $ids:expr) => {
            diesel::update(mail_outbox::table.filter(mail_outbox::id.eq_any($ids)))
                .set((
                    mail_outbox::status.eq("sending"),
                    mail_outbox::lease_until.eq(Some(lease_until)),
                    mail_outbox::attempts.eq(mail_outbox::attempts + 1),
                ))
                .execute($conn)
        };
    }
    match conn {
        DbConnection::Sqlite(_) => write_transaction(conn, |conn| {
            let rows: Vec<OutboxRow> = mail_outbox::table
                .filter(due(now))
                .order((mail_outbox::next_attempt_at, mail_outbox::id))
                .limit(limit)
                .select(OutboxRow::as_select())
                .load(conn)?;
            let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
            take!(conn, &ids)?;
            Ok(rows)
        }),
        #[cfg(feature = "postgres")]
        DbConnection::Pg(pg) => Ok(pg.transaction(|pg| {
            let rows: Vec<OutboxRow> = mail_outbox::table
                .filter(due(now))
                .order((mail_outbox::next_attempt_at, mail_outbox::id))
                .limit(limit)
                .for_update()
                .skip_locked()
                .select(OutboxRow::as_select())
                .load(pg)?;
            let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
            // Still inside the transaction that holds the row locks.
            take!(pg, &ids)?;
            Ok::<_, diesel::result::Error>(rows)
        })?),
    }
}

/// Locks one account's row until the transaction ends, so per-account checks that read
/// then write (a daily allowance) take turns. SQLite needs nothing more: `BEGIN
/// IMMEDIATE` already lets one writer in at a time.
pub fn lock_user(conn: &mut DbConnection, user_id: i32) -> Result<(), DbError> {
    match conn {
        DbConnection::Sqlite(_) => {
            let _ = user_id;
            Ok(())
        }
        #[cfg(feature = "postgres")]
        DbConnection::Pg(pg) => {
            use super::schema::users;
            use diesel::prelude::*;
            users::table
                .find(user_id)
                .select(users::id)
                .for_update()
                .first::<i32>(pg)
                .optional()?;
            Ok(())
        }
    }
}
