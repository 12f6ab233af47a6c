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
                    <DbConnection as Connection>::TransactionManager::rollback_transaction(conn)?;
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
