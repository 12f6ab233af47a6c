//! The mail outbox under faults: a mail server that is down, silent, answering 4xx or
//! 5xx; two workers at once; a worker process killed mid-batch. Time is the test's: each
//! pass of the worker is run with the moment it should believe it is.

use std::collections::HashMap;
use std::net::TcpListener;

use careerswitch::db;
use careerswitch::email::worker::{MailWorker, PARALLEL_SENDS};
use chrono::{Duration, NaiveDateTime, Utc};

use crate::helpers::{TestApp, spawn_app_configured};
use crate::smtp::{Answer, TestSmtp};

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

async fn app_sending_to(smtp_url: &str, extra: &[(&str, &str)]) -> TestApp {
    let mut vars = vec![("CAREERSWITCH_SMTP_URL", smtp_url)];
    vars.extend_from_slice(extra);
    spawn_app_configured(tempfile::tempdir().unwrap(), &vars).await
}

/// Queues `n` emails, each to its own address; returns their Message-IDs.
pub(crate) async fn queue(app: &TestApp, n: usize) -> Vec<String> {
    let pool = app.state.pool.clone();
    let mailer = app.state.mail_worker.mailer().clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().unwrap();
        (0..n)
            .map(|i| {
                let key = format!("test:{i}:{:x}", rand::random::<u64>());
                let id = mailer.message_id_for(&key.replace(':', "."));
                let to = format!("reader{i}@example.org");
                let added = db::outbox::enqueue(
                    &mut conn,
                    &db::outbox::NewMail {
                        idempotency_key: &key,
                        message_id: &id,
                        user_id: None,
                        kind: "test",
                        recipient: &to,
                        subject: "A test message",
                        text_body: "Plain words.",
                        html_body: "<p>Plain words.</p>",
                        list_unsubscribe: None,
                        milestone_id: None,
                        not_before: now(),
                    },
                    now(),
                )
                .unwrap();
                assert!(added);
                id
            })
            .collect()
    })
    .await
    .unwrap()
}

pub(crate) fn rows(app: &TestApp) -> Vec<db::outbox::OutboxRow> {
    let mut conn = app.state.pool.get().unwrap();
    db::outbox::all(&mut conn).unwrap()
}

#[tokio::test]
async fn scheduling_the_same_email_twice_queues_it_once() {
    let smtp = TestSmtp::start();
    let app = app_sending_to(&smtp.url(), &[]).await;
    let mut conn = app.state.pool.get().unwrap();
    let mail = db::outbox::NewMail {
        idempotency_key: "reminder:1:2:before:2027-01-04",
        message_id: "<same@example.org>",
        user_id: None,
        kind: "test",
        recipient: "once@example.org",
        subject: "Once",
        text_body: "Once.",
        html_body: "<p>Once.</p>",
        list_unsubscribe: None,
        milestone_id: None,
        not_before: now(),
    };
    assert!(db::outbox::enqueue(&mut conn, &mail, now()).unwrap());
    assert!(!db::outbox::enqueue(&mut conn, &mail, now()).unwrap());
    drop(conn);
    assert_eq!(rows(&app).len(), 1);
}

#[tokio::test]
async fn mail_waits_while_the_server_is_down_and_goes_once_it_is_back() {
    // A port with nothing listening: connections are refused.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app = app_sending_to(&format!("smtp://127.0.0.1:{port}"), &[]).await;
    let ids = queue(&app, 2).await;
    let t0 = now();
    let pass = app.state.mail_worker.run_once(t0).await.unwrap();
    assert_eq!((pass.claimed, pass.retried), (2, 2));
    assert!(rows(&app).iter().all(|r| r.status == "pending"
        && r.attempts == 1
        && r.last_error.is_some()
        && r.next_attempt_at > t0));
    // The server comes back on the same port.
    let smtp = TestSmtp::start_on(TcpListener::bind(("127.0.0.1", port)).unwrap());
    let early = app.state.mail_worker.run_once(t0).await.unwrap();
    assert_eq!(early.claimed, 0, "nothing is retried before its time");
    let later = app
        .state
        .mail_worker
        .run_once(t0 + Duration::minutes(2))
        .await
        .unwrap();
    assert_eq!(later.sent, 2);
    let got: Vec<String> = smtp
        .received()
        .iter()
        .filter_map(|m| m.message_id())
        .collect();
    assert_eq!(got.len(), 2);
    assert!(
        ids.iter().all(|id| got.contains(id)),
        "same Message-IDs: {got:?}"
    );
    assert!(
        rows(&app)
            .iter()
            .all(|r| r.status == "sent" && r.text_body.is_empty())
    );
}

#[tokio::test]
async fn a_4xx_is_retried_and_a_5xx_fails_with_its_reason() {
    let smtp = TestSmtp::start();
    let app = app_sending_to(&smtp.url(), &[]).await;
    queue(&app, 1).await;
    let t0 = now();
    smtp.answer(Answer::TryLater);
    let pass = app.state.mail_worker.run_once(t0).await.unwrap();
    assert_eq!(pass.retried, 1);
    assert_eq!(rows(&app)[0].status, "pending");
    smtp.answer(Answer::Refuse);
    let pass = app
        .state
        .mail_worker
        .run_once(t0 + Duration::minutes(2))
        .await
        .unwrap();
    assert_eq!(pass.failed, 1, "{pass:?} {:?}", rows(&app));
    let row = &rows(&app)[0];
    assert_eq!(row.status, "failed");
    assert!(
        row.last_error.as_deref().unwrap_or("").contains("550"),
        "{row:?}"
    );
    let much_later = app
        .state
        .mail_worker
        .run_once(t0 + Duration::days(1))
        .await
        .unwrap();
    assert_eq!(
        much_later.claimed, 0,
        "a permanent failure is never retried"
    );
    assert!(smtp.received().is_empty());
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_and_the_mail_is_retried() {
    // Accepts connections (the kernel completes them) and never says a word.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("smtp://{}", silent.local_addr().unwrap());
    let app = app_sending_to(&url, &[("CAREERSWITCH_SMTP_TIMEOUT_SECS", "1")]).await;
    queue(&app, 1).await;
    let pass = app.state.mail_worker.run_once(now()).await.unwrap();
    assert_eq!(pass.retried, 1);
    let row = &rows(&app)[0];
    assert_eq!(row.status, "pending");
    assert!(
        row.last_error
            .as_deref()
            .unwrap_or("")
            .contains("did not answer"),
        "{row:?}"
    );
    drop(silent);
}

#[tokio::test]
async fn two_workers_at_once_send_each_email_once() {
    let smtp = TestSmtp::start();
    let app = app_sending_to(&smtp.url(), &[]).await;
    let ids = queue(&app, 60).await;
    // A second worker with a pool of its own, as another instance would have.
    let other = MailWorker::new(
        db::pool(&app.database_url).unwrap(),
        app.state.mail_worker.mailer().clone(),
    );
    let t = now();
    let (a, b) = tokio::join!(app.state.mail_worker.drain(t), other.drain(t));
    let (a, b) = (a.unwrap(), b.unwrap());
    // On a loaded machine a send can time out and wait for its retry; finish those.
    let late = app
        .state
        .mail_worker
        .drain(t + Duration::minutes(2))
        .await
        .unwrap();
    assert_eq!(a.sent + b.sent + late.sent, 60, "{a:?} {b:?} {late:?}");
    let mut seen: HashMap<String, usize> = HashMap::new();
    for mail in smtp.received() {
        *seen.entry(mail.message_id().unwrap()).or_default() += 1;
    }
    assert_eq!(seen.len(), 60);
    assert!(seen.values().all(|n| *n == 1), "a duplicate: {seen:?}");
    assert!(ids.iter().all(|id| seen.contains_key(id)));
}

#[tokio::test]
async fn a_worker_killed_mid_batch_loses_nothing_and_repeats_only_what_was_in_flight() {
    let smtp = TestSmtp::start();
    let app = app_sending_to(&smtp.url(), &[]).await;
    let ids = queue(&app, 200).await;
    let command = |now_arg: Option<String>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_careerswitch"));
        cmd.arg("send-reminders")
            .env("CAREERSWITCH_DATA_DIR", app.data_dir.path())
            .env("CAREERSWITCH_DATABASE_URL", &app.database_url)
            .env("CAREERSWITCH_SMTP_URL", smtp.url())
            .env("RUST_LOG", "off")
            .stdout(std::process::Stdio::null());
        if let Some(now) = now_arg {
            cmd.args(["--now", &now]);
        }
        cmd
    };
    let mut child = command(None).spawn().expect("send-reminders starts");
    // Kill it (SIGKILL) as soon as the mail server has counted 20 messages.
    // Blocking here is fine: the mail server and the child are threads and a process of
    // their own.
    smtp.wait_for(20);
    child.kill().unwrap();
    child.wait().unwrap();
    let unfinished = rows(&app).iter().filter(|r| r.status != "sent").count();
    assert!(unfinished > 0, "the kill came mid-batch");
    // Run again once the dead worker's leases have run out.
    let after_leases = (Utc::now() + Duration::minutes(6)).to_rfc3339();
    let status = command(Some(after_leases)).status().unwrap();
    assert!(status.success());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for mail in smtp.received() {
        *seen.entry(mail.message_id().unwrap()).or_default() += 1;
    }
    assert!(
        ids.iter().all(|id| seen.contains_key(id)),
        "every email arrived"
    );
    let repeated = seen.values().filter(|n| **n > 1).count();
    assert!(
        repeated <= PARALLEL_SENDS,
        "{repeated} repeated: only sends in flight at the kill may repeat"
    );
    assert!(rows(&app).iter().all(|r| r.status == "sent"));
}
