//! The database and the process under faults: a write lock held past the busy timeout, a
//! database that cannot grow (SQLITE_FULL through `PRAGMA max_page_count` on the real
//! file), and a graceful stop (SIGTERM) with a request and a mail batch in flight.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use careerswitch::db;
use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;

use crate::helpers::{Browser, TestApp, spawn_app_configured};
use crate::outbox::{queue, rows};
use crate::smtp::{Answer, TestSmtp};

const PASSWORD: &str = "violet harbour lantern";
const LOCKED: &str = "locked@example.com";
const FULL: &str = "full@example.com";
const GUIDE: &str = "/careers/cloud-engineer-to-backend-developer";

async fn signed_in(app: &TestApp, email: &str) -> Browser {
    let b = app.browser();
    assert_eq!(b.register(email, PASSWORD).await.status, 200);
    assert_eq!(b.sign_in(email, PASSWORD).await.status, 303);
    b
}

fn user_id(app: &TestApp, email: &str) -> i32 {
    let mut conn = app.state.pool.get().unwrap();
    db::users::find_by_email(&mut conn, email)
        .unwrap()
        .expect("account exists")
        .id
}

/// The moves this person has saved, as stored.
fn saved_count(app: &TestApp, email: &str) -> usize {
    let id = user_id(app, email);
    let mut conn = app.state.pool.get().unwrap();
    db::plans::list_saved(&mut conn, id).unwrap().len()
}

/// The practice answers stored for this person.
fn attempt_count(app: &TestApp, email: &str) -> usize {
    let id = user_id(app, email);
    let mut conn = app.state.pool.get().unwrap();
    db::practice::attempts_of(&mut conn, id).unwrap().len()
}

async fn save_move(b: &Browser) -> crate::helpers::Page {
    b.submit(
        GUIDE,
        "/saved",
        &[
            ("from", "cloud-engineer"),
            ("to", "backend-developer"),
            ("note", "try in spring"),
        ],
    )
    .await
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Check {
    #[diesel(sql_type = diesel::sql_types::Text)]
    integrity_check: String,
}

fn pragma_number(conn: &mut SqliteConnection, pragma: &str) -> i64 {
    diesel::sql_query(format!("SELECT {pragma} AS n FROM pragma_{pragma}"))
        .get_result::<Count>(conn)
        .unwrap()
        .n
}

/// Runs `sql` on every connection of the app's pool (all of them checked out at once, so
/// none is missed): how a test changes a per-connection SQLite setting under the app.
async fn on_every_pooled_connection(app: &TestApp, sql: String) {
    let pool = app.state.pool.clone();
    tokio::task::spawn_blocking(move || {
        let mut held: Vec<_> = (0..pool.max_size()).map(|_| pool.get().unwrap()).collect();
        for conn in &mut held {
            diesel::sql_query(&sql).execute(&mut **conn).unwrap();
        }
    })
    .await
    .unwrap();
}

#[actix_web::test]
async fn a_write_lock_held_past_the_busy_timeout_gives_a_clean_503_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let app = spawn_app_configured(dir, &[("CAREERSWITCH_SQLITE_BUSY_TIMEOUT_MS", "200")]).await;
    if app.on_postgres() {
        // SQLite's single-writer lock is the fault under test; PostgreSQL locks rows.
        return;
    }
    let b = signed_in(&app, LOCKED).await;

    // Another process's writer takes the database's write lock and keeps it.
    let mut other = SqliteConnection::establish(&app.database_url).unwrap();
    diesel::sql_query("BEGIN EXCLUSIVE")
        .execute(&mut other)
        .unwrap();

    let page = save_move(&b).await;
    assert_eq!(page.status, 503, "{}", page.text());
    let text = page.text();
    assert!(text.contains("database was busy"), "{text}");
    assert!(text.contains("Nothing was changed"), "{text}");
    assert!(page.html.contains("/assets/site.css"), "the styled page");
    // Reading goes on while the lock is held (WAL): visitors still get guides.
    assert_eq!(b.get(GUIDE).await.status, 200);
    assert_eq!(b.get("/dashboard").await.status, 200);

    diesel::sql_query("ROLLBACK").execute(&mut other).unwrap();
    assert_eq!(saved_count(&app, LOCKED), 0, "nothing was half written");
    // Sent again once the lock is gone, it works.
    let page = save_move(&b).await;
    assert_eq!(page.status, 303, "{}", page.text());
    assert_eq!(saved_count(&app, LOCKED), 1);
}

#[actix_web::test]
async fn a_full_database_gives_a_clean_error_page_and_keeps_what_was_there() {
    let app = spawn_app_configured(tempfile::tempdir().unwrap(), &[]).await;
    if app.on_postgres() {
        // `max_page_count` is SQLite's; this fault is provoked on the real SQLite file.
        return;
    }
    let b = signed_in(&app, FULL).await;
    assert_eq!(save_move(&b).await.status, 303);
    let question = {
        let mut conn = app.state.pool.get().unwrap();
        db::practice::questions_for(&mut conn, "backend-developer").unwrap()[0].id
    };
    let practice = format!("/practice/backend-developer?q={question}");
    let answer = |text: String| {
        let b = &b;
        let practice = practice.clone();
        async move {
            b.submit(
                &practice,
                "/practice/backend-developer",
                &[("question", &question.to_string()), ("answer", &text)],
            )
            .await
        }
    };
    let first =
        answer("I built a REST API in Go with Postgres and wrote tests for it.".into()).await;
    assert_eq!(first.status, 200, "{}", first.text());
    assert_eq!(attempt_count(&app, FULL), 1);

    // The file may not grow by one more page: compact it, then cap it at its size.
    let pages = {
        let mut conn = SqliteConnection::establish(&app.database_url).unwrap();
        diesel::sql_query("VACUUM").execute(&mut conn).unwrap();
        assert_eq!(pragma_number(&mut conn, "freelist_count"), 0);
        pragma_number(&mut conn, "page_count")
    };
    on_every_pooled_connection(&app, format!("PRAGMA max_page_count = {pages}")).await;

    // A long answer needs new pages for its text.
    let long: String = (0..900)
        .map(|i| format!("step{i} "))
        .collect::<String>()
        .chars()
        .take(7_900)
        .collect();
    let refused = answer(long.clone()).await;
    assert_eq!(refused.status, 503, "{}", refused.text());
    let text = refused.text();
    assert!(text.contains("storage is full"), "{text}");
    assert!(text.contains("Nothing was changed"), "{text}");
    assert!(refused.html.contains("/assets/site.css"), "the styled page");

    // Earlier rows are intact and the file is sound.
    assert_eq!(
        attempt_count(&app, FULL),
        1,
        "the refused answer left nothing behind"
    );
    assert_eq!(saved_count(&app, FULL), 1);
    let dashboard = b.get("/dashboard").await;
    assert_eq!(dashboard.status, 200);
    assert!(dashboard.text().contains("Backend Developer"));
    let mut conn = SqliteConnection::establish(&app.database_url).unwrap();
    let check: Vec<Check> = diesel::sql_query("PRAGMA integrity_check")
        .load(&mut conn)
        .unwrap();
    let results: Vec<&str> = check.iter().map(|c| c.integrity_check.as_str()).collect();
    assert_eq!(results, ["ok"]);

    // With room again, the same answer goes through.
    on_every_pooled_connection(&app, "PRAGMA max_page_count = 1073741823".into()).await;
    let accepted = answer(long).await;
    assert_eq!(accepted.status, 200, "{}", accepted.text());
    assert_eq!(attempt_count(&app, FULL), 2);
}

/// The real binary, serving on `port`, with this data folder and database.
fn serve(app: &TestApp, port: u16, smtp: &TestSmtp, log: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_careerswitch"))
        .env("CAREERSWITCH_BIND", format!("127.0.0.1:{port}"))
        .env("CAREERSWITCH_DATA_DIR", app.data_dir.path())
        .env("CAREERSWITCH_DATABASE_URL", &app.database_url)
        .env("CAREERSWITCH_SMTP_URL", smtp.url())
        .env("CAREERSWITCH_SMTP_TIMEOUT_SECS", "2")
        .env("CAREERSWITCH_WORKERS", "2")
        .env("RUST_LOG", "info")
        .stdout(std::fs::File::create(log).unwrap())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the server starts")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One HTTP/1.1 response with a Content-Length body, read off a kept-alive connection.
fn read_response(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).unwrap();
        head.push(byte[0]);
    }
    let head = String::from_utf8(head).unwrap();
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap())
        })
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).unwrap();
    head + &String::from_utf8_lossy(&body)
}

/// Polls until `ready` holds: readiness of another process, bounded by `limit`.
fn until(limit: Duration, what: &str, mut ready: impl FnMut() -> bool) {
    let started = Instant::now();
    while !ready() {
        assert!(started.elapsed() < limit, "{what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[actix_web::test]
async fn sigterm_answers_the_request_in_flight_and_the_worker_hands_back_its_batch() {
    let smtp = TestSmtp::start();
    let app = spawn_app_configured(tempfile::tempdir().unwrap(), &[]).await;
    let ids = queue(&app, 200).await;
    let port = free_port();
    let log = app.data_dir.path().join("server.log");
    let mut server = serve(&app, port, &smtp, &log);
    until(Duration::from_secs(30), "the server did not start", || {
        TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    // The account is made through the in-process app on the same data folder and
    // database, so the only connection to the stopping server is the one under test.
    assert_eq!(
        app.browser()
            .register("leaving@example.com", PASSWORD)
            .await
            .status,
        200
    );

    // The worker is mid-batch: 20 messages are through and the rest are held in flight.
    smtp.wait_for(20);
    smtp.answer(Answer::Hold);

    // A sign-in whose body is only half sent when the stop comes.
    let form = app
        .client
        .get(format!("{}/sign-in", app.address))
        .send()
        .await
        .unwrap();
    let cookies: Vec<String> = form
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap().split(';').next().unwrap().to_owned())
        .collect();
    let token = crate::helpers::csrf_token(&form.text().await.unwrap()).unwrap();
    let body = format!(
        "email=leaving%40example.com&password={}&csrf_token={}",
        PASSWORD.replace(' ', "+"),
        careerswitch::web::urlencode(&token)
    );
    let (first_half, second_half) = body.split_at(body.len() / 2);
    let mut request = TcpStream::connect(("127.0.0.1", port)).unwrap();
    // A first request on the connection proves a worker has taken it (a connection still
    // in the listen queue is simply closed at shutdown, as it never reached us).
    write!(
        request,
        "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )
    .unwrap();
    let health = read_response(&mut request);
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    write!(
        request,
        "POST /sign-in HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {}\r\n\
         Connection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{first_half}",
        cookies.join("; "),
        body.len()
    )
    .unwrap();
    request.flush().unwrap();

    let status = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    // Once it stops taking new connections, the stop is under way.
    until(
        Duration::from_secs(10),
        "the server kept accepting connections",
        || TcpStream::connect(("127.0.0.1", port)).is_err(),
    );
    let sent = request.write_all(second_half.as_bytes());
    let mut response = String::new();
    let read = request.read_to_string(&mut response);

    let mut exit = None;
    until(Duration::from_secs(40), "the server did not exit", || {
        exit = server.try_wait().unwrap();
        exit.is_some()
    });
    assert!(
        sent.is_ok() && read.is_ok() && response.starts_with("HTTP/1.1 303"),
        "the request in flight was answered: {sent:?} {read:?} {response}\n{}",
        std::fs::read_to_string(&log).unwrap()
    );
    smtp.answer(Answer::Accept);
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(exit.unwrap().success(), "clean exit: {log}");
    assert!(log.contains("background work finished"), "{log}");

    // Nothing is left leased to the stopped worker: every row is sent or back in the
    // queue, the released ones with their attempt taken back.
    let rows = rows(&app);
    assert!(
        ids.iter()
            .all(|id| rows.iter().any(|r| &r.message_id == id))
    );
    assert!(
        rows.iter()
            .all(|r| r.status == "sent" || r.status == "pending"),
        "{:?}",
        rows.iter().map(|r| &r.status).collect::<Vec<_>>()
    );
    assert!(rows.iter().all(|r| r.lease_until.is_none()));
    let released = rows
        .iter()
        .filter(|r| r.status == "pending" && r.attempts == 0 && r.last_error.is_none())
        .count();
    assert!(released > 0, "the rest of the batch was handed back");
    let sent = rows.iter().filter(|r| r.status == "sent").count();
    assert_eq!(sent, smtp.received().len(), "sent means the server has it");
}
