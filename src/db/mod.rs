//! Everything diesel touches lives here. Handlers call the async `run` helper, which moves
//! the work onto the blocking pool and never holds a connection across an await.
//!
//! One binary speaks SQLite (the embedded default) or PostgreSQL (several instances on one
//! server, with the `postgres` feature), chosen at run time by the database URL. Queries
//! are written once against `DbConnection`; where the two differ, `dialect` decides.

pub mod admin;
pub mod catalogue;
pub mod dialect;
pub mod maintenance;
pub mod outbox;
pub mod plans;
pub mod practice;
pub mod profiles;
pub mod reminders;
pub mod schema;
pub mod sessions;
pub mod users;

use std::time::Duration;

use diesel::prelude::*;
use diesel::r2d2::{CustomizeConnection, ManageConnection, Pool, PooledConnection};
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
#[cfg(feature = "postgres")]
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// A connection to whichever database the URL named.
#[cfg(feature = "postgres")]
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(SqliteConnection),
    Pg(diesel::pg::PgConnection),
}

/// A connection to whichever database the URL named (this build: SQLite only).
#[cfg(not(feature = "postgres"))]
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(SqliteConnection),
}

pub type DbPool = Pool<Manager>;
pub type DbConn = PooledConnection<Manager>;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database connection unavailable: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("database query failed: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("database migration failed: {0}")]
    Migration(String),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error("database task did not finish: {0}")]
    Task(String),
    #[error("{0}")]
    Url(String),
    #[error("cannot connect to the database: {0}")]
    Connect(String),
}

/// Why the database could not take a write just now, for a "try again" page instead of
/// a generic failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unavailable {
    /// Another writer held the lock past the busy timeout, or every connection was in use.
    Busy,
    /// The disk (or the database's size cap) is full.
    Full,
}

impl DbError {
    /// `Some` when the failure is the database being busy or full rather than a bug: the
    /// statement was refused whole, so nothing of it was written.
    pub fn unavailable(&self) -> Option<Unavailable> {
        match self {
            Self::Pool(_) => Some(Unavailable::Busy),
            Self::Query(diesel::result::Error::DatabaseError(_, info)) => {
                let message = info.message();
                if message.contains("database is locked")
                    || message.contains("database table is locked")
                    || message.contains("lock timeout")
                {
                    Some(Unavailable::Busy)
                } else if message.contains("database or disk is full")
                    || message.contains("No space left on device")
                    || message.contains("could not extend file")
                {
                    Some(Unavailable::Full)
                } else {
                    None
                }
            }
            _ => None,
        }
    }
}

/// Which database a URL names. Decided from the scheme, never by trying: SQLite would
/// accept any string as a file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A file path (or `:memory:` in unit tests).
    Sqlite(String),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, DbError> {
        let url = url.trim();
        if url.is_empty() {
            return Err(DbError::Url("CAREERSWITCH_DATABASE_URL is empty".into()));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return if cfg!(feature = "postgres") {
                Ok(Self::Postgres(url.to_owned()))
            } else {
                Err(DbError::Url(
                    "this build has no PostgreSQL support; build it with `--features postgres`"
                        .into(),
                ))
            };
        }
        if let Some(path) = url.strip_prefix("sqlite://") {
            return Ok(Self::Sqlite(path.to_owned()));
        }
        if let Some(path) = url.strip_prefix("sqlite:") {
            return Ok(Self::Sqlite(path.to_owned()));
        }
        if let Some((scheme, _)) = url.split_once("://") {
            return Err(DbError::Url(format!(
                "CAREERSWITCH_DATABASE_URL uses {scheme}://, which is not supported: use a file path, sqlite://PATH or postgres://USER@HOST/DB"
            )));
        }
        Ok(Self::Sqlite(url.to_owned()))
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, Self::Sqlite(_))
    }

    /// The SQLite file, if this is one.
    pub fn sqlite_path(&self) -> Option<&str> {
        match self {
            Self::Sqlite(path) => Some(path),
            Self::Postgres(_) => None,
        }
    }

    /// A form safe to print: a PostgreSQL password is hidden.
    pub fn display(&self) -> String {
        match self {
            Self::Sqlite(path) => path.clone(),
            Self::Postgres(url) => match (url.find("://"), url.rfind('@')) {
                (Some(scheme), Some(at)) if url[scheme + 3..at].contains(':') => {
                    let user_end = scheme + 3 + url[scheme + 3..at].find(':').unwrap_or(0);
                    format!("{}:***{}", &url[..user_end], &url[at..])
                }
                _ => url.clone(),
            },
        }
    }
}

/// Opens connections of the kind the URL names, for r2d2.
#[derive(Debug)]
pub struct Manager {
    url: DatabaseUrl,
}

impl Manager {
    fn establish(&self) -> Result<DbConnection, ConnectionError> {
        match &self.url {
            DatabaseUrl::Sqlite(path) => {
                SqliteConnection::establish(path).map(DbConnection::Sqlite)
            }
            #[cfg(feature = "postgres")]
            DatabaseUrl::Postgres(url) => {
                diesel::pg::PgConnection::establish(url).map(DbConnection::Pg)
            }
            #[cfg(not(feature = "postgres"))]
            DatabaseUrl::Postgres(_) => Err(ConnectionError::BadConnection(
                "this build has no PostgreSQL support".into(),
            )),
        }
    }
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConnection, Self::Error> {
        self.establish()
            .map_err(diesel::r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), Self::Error> {
        diesel::sql_query("SELECT 1")
            .execute(conn)
            .map(|_| ())
            .map_err(diesel::r2d2::Error::QueryError)
    }

    /// A connection whose transaction state diesel could not restore (a failed
    /// rollback) is not handed out again.
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        std::thread::panicking() || diesel::r2d2::R2D2Connection::is_broken(conn)
    }
}

/// Per-connection settings, on SQLite only. `busy_timeout` comes first so the others wait
/// for locks instead of failing.
#[derive(Debug)]
struct SqlitePragmas {
    busy_timeout: Duration,
}

/// How long a write waits for another writer's lock before giving up (SQLite).
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

impl CustomizeConnection<DbConnection, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        match conn {
            // `batch_execute`: a prepared `sql_query` runs only the first statement of
            // several, which left these connections without WAL and foreign keys.
            DbConnection::Sqlite(conn) => diesel::connection::SimpleConnection::batch_execute(
                conn,
                &format!(
                    "PRAGMA busy_timeout = {}; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                    self.busy_timeout.as_millis()
                ),
            )
            .map_err(diesel::r2d2::Error::QueryError),
            #[cfg(feature = "postgres")]
            DbConnection::Pg(_) => Ok(()),
        }
    }
}

/// A pool for the database the URL names, with the default busy timeout.
pub fn pool(database_url: &str) -> Result<DbPool, DbError> {
    pool_with_busy_timeout(database_url, DEFAULT_BUSY_TIMEOUT)
}

/// A pool for the database the URL names. One connection is made first, so a bad URL or
/// an unreachable server is one clear error rather than a pool time-out.
pub fn pool_with_busy_timeout(
    database_url: &str,
    busy_timeout: Duration,
) -> Result<DbPool, DbError> {
    let url = DatabaseUrl::parse(database_url)?;
    let manager = Manager { url };
    manager.establish().map_err(|e| {
        // libpq's messages run over several lines; a start-up error is one line.
        let reason = e
            .to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        DbError::Connect(format!("{}: {reason}", manager.url.display()))
    })?;
    Ok(Pool::builder()
        .max_size(8)
        .connection_timeout(Duration::from_secs(10))
        .connection_customizer(Box::new(SqlitePragmas { busy_timeout }))
        .build(manager)?)
}

/// Applies the pending migrations of this connection's backend.
pub fn migrate(conn: &mut DbConnection) -> Result<(), DbError> {
    let result = match conn {
        DbConnection::Sqlite(conn) => conn.run_pending_migrations(SQLITE_MIGRATIONS).map(drop),
        #[cfg(feature = "postgres")]
        DbConnection::Pg(conn) => conn.run_pending_migrations(POSTGRES_MIGRATIONS).map(drop),
    };
    result.map_err(|e| DbError::Migration(e.to_string()))
}

/// Whether every migration this binary knows has been applied (for `/readyz`).
pub fn migrations_applied(conn: &mut DbConnection) -> Result<bool, DbError> {
    let pending = match conn {
        DbConnection::Sqlite(conn) => conn
            .has_pending_migration(SQLITE_MIGRATIONS)
            .map_err(|e| DbError::Migration(e.to_string()))?,
        #[cfg(feature = "postgres")]
        DbConnection::Pg(conn) => conn
            .has_pending_migration(POSTGRES_MIGRATIONS)
            .map_err(|e| DbError::Migration(e.to_string()))?,
    };
    Ok(!pending)
}

/// Runs `f` with a pooled connection on the blocking thread pool, keeping the caller's
/// tracing span.
pub async fn run<T, F>(pool: &DbPool, f: F) -> Result<T, DbError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, DbError> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    crate::telemetry::spawn_blocking_with_span(move || {
        let mut conn = pool.get()?;
        f(&mut conn)
    })
    .await
    .map_err(|e| DbError::Task(e.to_string()))?
}

/// Cheap liveness check of the database for `/readyz`.
pub fn ping(conn: &mut DbConnection) -> Result<(), DbError> {
    diesel::sql_query("SELECT 1").execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(diesel::QueryableByName)]
    struct Setting {
        #[diesel(sql_type = diesel::sql_types::Text)]
        value: String,
    }

    fn setting(conn: &mut DbConnection, pragma: &str) -> String {
        // Each pragma names its one column after itself, except busy_timeout.
        let column = pragma.strip_prefix("busy_").unwrap_or(pragma);
        diesel::sql_query(format!(
            "SELECT CAST({column} AS TEXT) AS value FROM pragma_{pragma}"
        ))
        .get_result::<Setting>(conn)
        .unwrap()
        .value
    }

    #[test]
    fn every_pooled_sqlite_connection_has_wal_foreign_keys_and_the_busy_timeout() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.db");
        let pool =
            pool_with_busy_timeout(path.to_str().unwrap(), Duration::from_millis(250)).unwrap();
        let mut held: Vec<_> = (0..3).map(|_| pool.get().unwrap()).collect();
        for conn in &mut held {
            assert_eq!(setting(conn, "journal_mode"), "wal");
            assert_eq!(setting(conn, "foreign_keys"), "1");
            assert_eq!(setting(conn, "busy_timeout"), "250");
            // NORMAL
            assert_eq!(setting(conn, "synchronous"), "1");
        }
    }

    #[test]
    fn the_scheme_decides_the_backend() {
        assert_eq!(
            DatabaseUrl::parse("./data/careerswitch.db").unwrap(),
            DatabaseUrl::Sqlite("./data/careerswitch.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///tmp/x.db").unwrap(),
            DatabaseUrl::Sqlite("/tmp/x.db".into())
        );
        assert!(DatabaseUrl::parse("mysql://root@localhost/db").is_err());
        assert!(DatabaseUrl::parse(" ").is_err());
        let pg = DatabaseUrl::parse("postgres://app:s3cret@db.internal/careers");
        if cfg!(feature = "postgres") {
            let pg = pg.unwrap();
            assert!(!pg.is_sqlite());
            assert_eq!(pg.display(), "postgres://app:***@db.internal/careers");
        } else {
            assert!(pg.unwrap_err().to_string().contains("--features postgres"));
        }
    }
}
