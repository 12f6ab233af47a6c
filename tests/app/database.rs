//! A fresh PostgreSQL database per test when `TEST_DATABASE_URL` names a server, so tests
//! run against both backends and never share rows (a shared database with rolled-back
//! transactions would hide the cases where two requests race).

/// A database made for one test, dropped when the test is done.
pub struct TestDatabase {
    pub url: String,
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    name: String,
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    admin_url: String,
}

/// `TEST_DATABASE_URL`, when it names PostgreSQL: the server (and a database on it to
/// connect to while creating others).
pub fn server_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres://") || u.starts_with("postgresql://"))
}

/// `url` with its database name replaced by `name`.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let server = match base[after_scheme..].find('/') {
        Some(slash) => &base[..after_scheme + slash],
        None => base,
    };
    format!("{server}/{name}{query}")
}

impl TestDatabase {
    /// A new empty database on the `TEST_DATABASE_URL` server, or `None` for SQLite.
    #[cfg(feature = "postgres")]
    pub fn create() -> Option<Self> {
        use diesel::{Connection, RunQueryDsl};
        let admin_url = server_url()?;
        let random: u64 = rand::random();
        let name = format!("cs_test_{}_{random:016x}", std::process::id());
        let mut admin = diesel::pg::PgConnection::establish(&admin_url)
            .unwrap_or_else(|e| panic!("TEST_DATABASE_URL {admin_url}: {e}"));
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .expect("create a test database");
        Some(Self {
            url: with_database(&admin_url, &name),
            name,
            admin_url,
        })
    }

    #[cfg(not(feature = "postgres"))]
    pub fn create() -> Option<Self> {
        assert!(
            server_url().is_none(),
            "TEST_DATABASE_URL names PostgreSQL: run the tests with --features postgres"
        );
        None
    }
}

#[cfg(feature = "postgres")]
impl Drop for TestDatabase {
    fn drop(&mut self) {
        use diesel::{Connection, RunQueryDsl};
        // The app's pool still holds connections; FORCE ends them (PostgreSQL 13+).
        if let Ok(mut admin) = diesel::pg::PgConnection::establish(&self.admin_url) {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(&mut admin);
        }
    }
}

#[test]
fn database_names_are_swapped_in_urls() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/postgres", "x"),
        "postgres://postgres@127.0.0.1:5432/x"
    );
    assert_eq!(
        with_database("postgres://u:p@h/db?sslmode=disable", "y"),
        "postgres://u:p@h/y?sslmode=disable"
    );
    assert_eq!(with_database("postgres://h", "z"), "postgres://h/z");
}
