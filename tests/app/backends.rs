//! The two databases behave as one product: several instances on one database act as one
//! site, and both migration sets build the same tables.

use crate::helpers::{spawn_app_with_smtp, visible_text};

const PASSWORD: &str = "violet harbour lantern";

/// On PostgreSQL (`TEST_DATABASE_URL`) this is the load-balanced set-up: two instances,
/// two ports, one database. On SQLite it is two processes' worth of servers on one file.
#[tokio::test]
async fn two_instances_on_one_database_behave_as_one_site() {
    let (a, smtp) = spawn_app_with_smtp(&[("CAREERSWITCH_RATE_LIMITS", "sign-in=1000/min")]).await;
    let b = a
        .sibling(&[("CAREERSWITCH_RATE_LIMITS", "sign-in=1000/min")])
        .await;
    assert_ne!(a.address, b.address);
    let email = "twin@example.com";
    let on_a = a.browser();
    on_a.register(email, PASSWORD).await;
    assert!(!smtp.to(email).await.is_empty());
    assert_eq!(on_a.sign_in(email, PASSWORD).await.status, 303);
    let cookie = on_a
        .client
        .get(format!("{}/account", a.address))
        .send()
        .await
        .unwrap();
    assert_eq!(cookie.status(), 200);

    // The same browser (same cookie jar) on instance B is signed in too.
    let on_b = crate::helpers::Browser {
        base: b.address.clone(),
        client: on_a.client.clone(),
    };
    let page = on_b.get("/account").await;
    assert_eq!(page.status, 200, "a session made on A is valid on B");
    assert!(page.text().contains(email));

    // Signing out on B ends it on A.
    assert_eq!(on_b.sign_out().await.status, 303);
    assert!(!on_a.is_signed_in().await, "signed out everywhere");

    // The per-address lockout counts attempts made on both.
    let stranger_a = a.browser();
    let stranger_b = crate::helpers::Browser {
        base: b.address.clone(),
        client: a.browser().client,
    };
    for n in 0..10 {
        let on = if n % 2 == 0 { &stranger_a } else { &stranger_b };
        assert_eq!(on.sign_in(email, "not the password").await.status, 422);
    }
    for on in [&stranger_a, &stranger_b] {
        let locked = on.sign_in(email, PASSWORD).await;
        assert_eq!(locked.status, 429);
        assert!(visible_text(&locked.html).contains("too many failed attempts"));
    }
}

#[cfg(feature = "postgres")]
mod migrations {
    use diesel::prelude::*;
    use diesel::sql_types::{Bool, Text};

    #[derive(QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord)]
    struct Column {
        #[diesel(sql_type = Text)]
        table_name: String,
        #[diesel(sql_type = Text)]
        column_name: String,
        #[diesel(sql_type = Bool)]
        nullable: bool,
    }

    /// Both migration folders, applied to empty databases, give the same tables, columns
    /// and nullability. Needs a PostgreSQL server: `TEST_DATABASE_URL`, or the local one.
    #[test]
    fn sqlite_and_postgres_migrations_build_the_same_tables() {
        let dir = tempfile::tempdir().unwrap();
        let sqlite = careerswitch::db::pool(dir.path().join("m.db").to_str().unwrap()).unwrap();
        let mut conn = sqlite.get().unwrap();
        careerswitch::db::migrate(&mut conn).unwrap();
        let mut on_sqlite: Vec<Column> = diesel::sql_query(
            "SELECT m.name AS table_name, p.name AS column_name, (p.\"notnull\" = 0 AND p.pk = 0) AS nullable \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
             AND m.name <> '__diesel_schema_migrations'",
        )
        .load(&mut conn)
        .unwrap();
        drop(conn);

        let server = crate::database::server_url()
            .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
        let name = format!("cs_migrations_{:016x}", rand::random::<u64>());
        let mut admin = diesel::pg::PgConnection::establish(&server).expect("a PostgreSQL server");
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .unwrap();
        let pg = careerswitch::db::pool(&crate::database::with_database(&server, &name)).unwrap();
        let mut conn = pg.get().unwrap();
        careerswitch::db::migrate(&mut conn).unwrap();
        let mut on_postgres: Vec<Column> = diesel::sql_query(
            "SELECT table_name::text AS table_name, column_name::text AS column_name, \
             (is_nullable = 'YES') AS nullable FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
        )
        .load(&mut conn)
        .unwrap();
        drop(conn);
        drop(pg);
        diesel::sql_query(format!("DROP DATABASE {name} WITH (FORCE)"))
            .execute(&mut admin)
            .unwrap();

        on_sqlite.sort();
        on_postgres.sort();
        assert!(on_sqlite.len() > 40, "{on_sqlite:?}");
        assert_eq!(on_sqlite, on_postgres);
    }
}

/// A database URL that cannot work stops the start with one line saying why, never a
/// panic or a page of backtrace.
#[test]
fn a_bad_database_url_is_one_clear_line_at_start() {
    let dir = tempfile::tempdir().unwrap();
    for (url, expect) in [
        ("mysql://root@localhost/careers", "not supported"),
        (
            "postgres://nobody@127.0.0.1:1/none",
            if cfg!(feature = "postgres") {
                "cannot connect to the database"
            } else {
                "--features postgres"
            },
        ),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_careerswitch"))
            .arg("migrate")
            .env("CAREERSWITCH_DATA_DIR", dir.path())
            .env("CAREERSWITCH_DATABASE_URL", url)
            .env("RUST_LOG", "off")
            .output()
            .expect("the binary runs");
        assert_eq!(out.status.code(), Some(1), "{url}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
        assert!(stderr.contains(expect), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}
