//! One test per hole an adversarial review found in accounts, sessions and the page
//! cache. Each fails on the code before the fix.

use std::sync::atomic::Ordering;

use careerswitch::db;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{Browser, Mailbox, TestApp, spawn_app, spawn_app_with_smtp};

const PASSWORD: &str = "violet harbour lantern";
const NEW_PASSWORD: &str = "copper kettle meadow";
const ATTACKER_PASSWORD: &str = "saffron glacier tandem";

/// The path of the newest link to `address` whose path starts with `prefix`.
pub(crate) async fn newest_link(
    app: &TestApp,
    smtp: &Mailbox,
    address: &str,
    prefix: &str,
) -> String {
    let mails = smtp.to(address).await;
    let link = mails
        .iter()
        .rev()
        .find_map(|m| m.link(prefix))
        .unwrap_or_else(|| panic!("no {prefix} link to {address}"));
    link.strip_prefix(&app.address).unwrap().to_owned()
}

/// Registers, confirms and signs in `email`.
pub(crate) async fn confirmed_user(app: &TestApp, smtp: &Mailbox, email: &str) -> Browser {
    let b = app.browser();
    assert_eq!(b.register(email, PASSWORD).await.status, 200);
    let path = newest_link(app, smtp, email, "/verify-email/").await;
    assert_eq!(b.submit(&path, &path, &[]).await.status, 200);
    assert_eq!(b.sign_in(email, PASSWORD).await.status, 303);
    b
}

fn user(app: &TestApp, email: &str) -> db::users::User {
    let mut conn = app.state.pool.get().unwrap();
    db::users::find_by_email(&mut conn, email)
        .unwrap()
        .expect("account exists")
}

async fn reset_password_by_email(app: &TestApp, smtp: &Mailbox, email: &str, new_password: &str) {
    let b = app.browser();
    b.submit("/forgot-password", "/forgot-password", &[("email", email)])
        .await;
    let path = newest_link(app, smtp, email, "/reset-password/").await;
    let done = b
        .submit(&path, &path, &[("new_password", new_password)])
        .await;
    assert_eq!(done.status, 200, "{}", done.text());
}

#[tokio::test]
async fn a_reset_ends_a_pending_address_change_and_every_other_link() {
    let (app, smtp) = spawn_app_with_smtp(&[]).await;
    let owner_email = "owner@example.com";
    confirmed_user(&app, &smtp, owner_email).await;
    // Someone who once knew the password asks to move the account to their address.
    let attacker = app.browser();
    attacker.sign_in(owner_email, PASSWORD).await;
    attacker
        .submit(
            "/account",
            "/account/email",
            &[("email", "attacker@example.net"), ("password", PASSWORD)],
        )
        .await;
    let change_link = newest_link(&app, &smtp, "attacker@example.net", "/verify-email/").await;
    // A verification resend and a reset link are outstanding too.
    let stale_reset = {
        app.browser()
            .submit(
                "/forgot-password",
                "/forgot-password",
                &[("email", owner_email)],
            )
            .await;
        newest_link(&app, &smtp, owner_email, "/reset-password/").await
    };
    // The owner resets the password.
    reset_password_by_email(&app, &smtp, owner_email, NEW_PASSWORD).await;
    // The attacker's confirmation link is dead, and the address stays the owner's.
    let confirm = attacker.get(&change_link).await;
    assert_eq!(confirm.status, 400, "{}", confirm.text());
    assert!(confirm.text().contains("This link no longer works"));
    assert_eq!(user(&app, owner_email).email, owner_email);
    assert_eq!(app.browser().get(&stale_reset).await.status, 400);
    assert!(
        !attacker.is_signed_in().await,
        "the reset signed everyone out"
    );
}

#[tokio::test]
async fn a_password_change_ends_links_and_other_sessions_by_default() {
    let (app, smtp) = spawn_app_with_smtp(&[]).await;
    let email = "pat@example.com";
    let pat = confirmed_user(&app, &smtp, email).await;
    let laptop = app.browser();
    laptop.sign_in(email, PASSWORD).await;
    app.browser()
        .submit("/forgot-password", "/forgot-password", &[("email", email)])
        .await;
    let reset = newest_link(&app, &smtp, email, "/reset-password/").await;
    let changed = pat
        .submit(
            "/account",
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.text());
    assert!(pat.is_signed_in().await);
    assert!(!laptop.is_signed_in().await, "other devices are signed out");
    assert_eq!(app.browser().get(&reset).await.status, 400);
}

#[tokio::test]
async fn a_reset_link_sent_to_the_old_address_dies_when_the_address_changes() {
    let (app, smtp) = spawn_app_with_smtp(&[]).await;
    let old = "old@example.com";
    let me = confirmed_user(&app, &smtp, old).await;
    app.browser()
        .submit("/forgot-password", "/forgot-password", &[("email", old)])
        .await;
    let reset_to_old = newest_link(&app, &smtp, old, "/reset-password/").await;
    me.submit(
        "/account",
        "/account/email",
        &[("email", "new@example.com"), ("password", PASSWORD)],
    )
    .await;
    let change = newest_link(&app, &smtp, "new@example.com", "/verify-email/").await;
    assert_eq!(me.submit(&change, &change, &[]).await.status, 200);
    assert_eq!(user(&app, "new@example.com").email, "new@example.com");
    let page = app.browser().get(&reset_to_old).await;
    assert_eq!(page.status, 400, "{}", page.text());
    assert!(
        me.is_signed_in().await,
        "the browser that confirmed stays in"
    );
}

#[tokio::test]
async fn listed_admin_addresses_are_promoted_only_once_confirmed_and_at_start() {
    let (app, smtp) = spawn_app_with_smtp(&[]).await;
    confirmed_user(&app, &smtp, "boss@example.com").await;
    app.browser()
        .register("squatter@example.com", PASSWORD)
        .await;
    assert!(!user(&app, "boss@example.com").is_admin);
    // A restart with both addresses listed promotes the confirmed one only.
    let settings = app.settings_with(&[(
        "CAREERSWITCH_ADMIN_EMAILS",
        "boss@example.com, squatter@example.com",
    )]);
    let again = careerswitch::startup::Application::build(settings)
        .await
        .unwrap();
    drop(again);
    assert!(user(&app, "boss@example.com").is_admin);
    assert!(!user(&app, "squatter@example.com").is_admin);
}

#[tokio::test]
async fn confirming_an_address_ends_sessions_made_before_it() {
    let (app, smtp) = spawn_app_with_smtp(&[]).await;
    let victim = "victim@example.com";
    // Someone registers the victim's address first and stays signed in.
    let intruder = app.browser();
    intruder.register(victim, ATTACKER_PASSWORD).await;
    intruder.sign_in(victim, ATTACKER_PASSWORD).await;
    assert!(intruder.is_signed_in().await);
    // The real owner follows the link from their mailbox.
    let path = newest_link(&app, &smtp, victim, "/verify-email/").await;
    let owner = app.browser();
    let done = owner.submit(&path, &path, &[]).await;
    assert_eq!(done.status, 200);
    assert!(done.text().contains("reset its password"));
    assert!(!intruder.is_signed_in().await);
}

#[tokio::test]
async fn password_checks_share_the_hashing_bound_and_the_lockout() {
    let (app, smtp) =
        spawn_app_with_smtp(&[("CAREERSWITCH_RATE_LIMITS", "sign-in=1000/min")]).await;
    let email = "dora@example.com";
    let dora = confirmed_user(&app, &smtp, email).await;
    let token = dora.get("/account").await.csrf();
    let attempts = (0..24).map(|i| {
        let client = dora.client.clone();
        let url = format!(
            "{}{}",
            app.address,
            ["/account/delete", "/account/email", "/account/password"][i % 3]
        );
        let token = token.clone();
        async move {
            client
                .post(url)
                .form(&[
                    ("password", "wrong guess here"),
                    ("current_password", "wrong guess here"),
                    ("new_password", "entirely fresh words"),
                    ("email", "elsewhere@example.com"),
                    ("csrf_token", token.as_str()),
                ])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    });
    let statuses = futures_util::future::join_all(attempts).await;
    assert!(
        statuses.iter().all(|s| [422, 429].contains(s)),
        "{statuses:?}"
    );
    let peak = careerswitch::auth::password::PEAK_CONCURRENT_HASHES.load(Ordering::SeqCst);
    assert!(
        peak as usize <= careerswitch::auth::password::hashing_slots(),
        "{peak} hashes ran at once"
    );
    // Those wrong passwords locked the address, for the account pages and sign-in alike.
    let locked = dora
        .submit("/account", "/account/delete", &[("password", PASSWORD)])
        .await;
    assert_eq!(locked.status, 429, "{}", locked.text());
    assert!(dora.is_signed_in().await, "nothing was deleted");
    assert_eq!(app.browser().sign_in(email, PASSWORD).await.status, 429);
}

#[tokio::test]
async fn account_page_password_checks_obey_the_per_ip_limit() {
    let (app, smtp) = spawn_app_with_smtp(&[("CAREERSWITCH_RATE_LIMITS", "sign-in=4/min")]).await;
    let eve = confirmed_user(&app, &smtp, "eve@example.com").await; // sign-in uses 1
    for _ in 0..3 {
        let page = eve
            .submit(
                "/account",
                "/account/delete",
                &[("password", "nope nope nope")],
            )
            .await;
        assert_eq!(page.status, 422);
    }
    let page = eve
        .submit("/account", "/account/delete", &[("password", PASSWORD)])
        .await;
    assert_eq!(page.status, 429, "{}", page.text());
    assert!(eve.is_signed_in().await);
}

#[tokio::test]
async fn percent_encoded_spellings_share_one_cache_entry_and_redirect() {
    let app = spawn_app().await;
    let canonical = "/careers/cloud-engineer-to-backend-developer";
    assert_eq!(app.get(canonical).await.status(), 200);
    let before = app.state.content.cached_pages();
    for spelling in [
        "/careers/cl%6Fud-engineer-to-backend-developer",
        "/careers/%63loud-engineer-to-backend-developer",
        "/careers/cloud-engineer-to-backend-develope%72",
        "/careers/cloud%2Dengineer-to-backend-developer",
    ] {
        let resp = app.get(spelling).await;
        assert_eq!(resp.status(), 301, "{spelling}");
        assert_eq!(resp.headers()["location"], canonical);
    }
    let role = app.get("/roles/cl%6Fud-engineer").await;
    assert_eq!(role.status(), 301);
    assert_eq!(role.headers()["location"], "/roles/cloud-engineer");
    assert_eq!(
        app.state.content.cached_pages(),
        before + 1,
        "only the role page was added"
    );
}

#[tokio::test]
async fn anonymous_form_pages_store_nothing_and_still_work() {
    let (app, smtp) =
        spawn_app_with_smtp(&[("CAREERSWITCH_RATE_LIMITS", "sign-in=1000/min")]).await;
    let count = || {
        let mut conn = app.state.pool.get().unwrap();
        db::sessions::count_all(&mut conn).unwrap()
    };
    for _ in 0..20 {
        for path in ["/sign-in", "/register", "/forgot-password"] {
            let page = app.browser().get(path).await;
            assert_eq!(page.status, 200);
            page.csrf();
        }
    }
    // A failed sign-in re-renders the form, still without a session.
    let b = app.browser();
    let wrong = b.sign_in("nobody@example.com", "not this one").await;
    assert_eq!(wrong.status, 422);
    assert_eq!(count(), 0, "anonymous visitors grow no table");
    // The forms work: register, confirm and sign in.
    confirmed_user(&app, &smtp, "form@example.com").await;
    assert_eq!(count(), 1, "one session, for the person who signed in");
}

#[tokio::test]
async fn a_request_that_trickles_in_is_cut_off_and_health_checks_still_answer() {
    let dir = tempfile::tempdir().unwrap();
    let app =
        crate::helpers::spawn_app_configured(dir, &[("CAREERSWITCH_CLIENT_TIMEOUT_SECS", "1")])
            .await;
    let addr = app.address.trim_start_matches("http://").to_owned();
    // Many connections that send a head and then a body one byte at a time, never done.
    let mut slow = Vec::new();
    for _ in 0..40 {
        let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
        stream
            .write_all(
                b"POST /sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000\r\n\r\nemail=",
            )
            .await
            .unwrap();
        slow.push(stream);
    }
    // And one that never finishes its head.
    let mut half_head = tokio::net::TcpStream::connect(&addr).await.unwrap();
    half_head
        .write_all(b"GET /healthz HTTP/1.1\r\nHo")
        .await
        .unwrap();
    assert_eq!(app.get("/healthz").await.status(), 200);
    // Each slow request is answered 408 and its connection closed: reading to the end
    // returns because the server hangs up (the guard only stops a broken build hanging).
    for mut stream in slow.into_iter().take(3) {
        let mut answer = Vec::new();
        tokio::time::timeout(
            std::time::Duration::from_secs(30),
            stream.read_to_end(&mut answer),
        )
        .await
        .expect("the server ends the connection")
        .unwrap();
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        assert!(answer.contains("That took too long"));
    }
    let mut rest = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(30),
        half_head.read_to_end(&mut rest),
    )
    .await
    .expect("a half-sent head is closed too")
    .unwrap();
}

#[tokio::test]
async fn mail_to_one_address_is_capped_per_hour_whoever_asks() {
    let (app, smtp) = spawn_app_with_smtp(&[(
        "CAREERSWITCH_RATE_LIMITS",
        "sign-in=1000/min,register=1000/min,reset=1000/min,email-change=1000/hour",
    )])
    .await;
    let target = "target@example.org";
    for n in 0..4 {
        let b = confirmed_user(&app, &smtp, &format!("sender{n}@example.com")).await;
        for _ in 0..3 {
            let page = b
                .submit(
                    "/account",
                    "/account/email",
                    &[("email", target), ("password", PASSWORD)],
                )
                .await;
            assert_eq!(page.status, 200, "{}", page.text());
        }
    }
    let got = smtp.to(target).await.len() as i64;
    assert_eq!(
        got,
        careerswitch::auth::accounts::EMAILS_PER_RECIPIENT_PER_HOUR,
        "12 requests, capped"
    );
    // One account asking again and again is stopped sooner, with a message.
    let b = confirmed_user(&app, &smtp, "pest@example.com").await;
    let mut statuses = Vec::new();
    for n in 0..7 {
        let page = b
            .submit(
                "/account",
                "/account/email",
                &[
                    ("email", &format!("n{n}@example.org")),
                    ("password", PASSWORD),
                ],
            )
            .await;
        statuses.push(page.status);
    }
    assert_eq!(statuses, [200, 200, 200, 200, 200, 429, 429]);
}

#[tokio::test]
async fn a_completed_reset_lifts_the_lockout() {
    let (app, smtp) =
        spawn_app_with_smtp(&[("CAREERSWITCH_RATE_LIMITS", "sign-in=1000/min")]).await;
    let email = "locked@example.com";
    confirmed_user(&app, &smtp, email).await;
    let b = app.browser();
    for _ in 0..10 {
        b.sign_in(email, "wrong wrong wrong").await;
    }
    assert_eq!(b.sign_in(email, PASSWORD).await.status, 429);
    reset_password_by_email(&app, &smtp, email, NEW_PASSWORD).await;
    assert_eq!(b.sign_in(email, NEW_PASSWORD).await.status, 303);
}

/// A mail server that accepts connections and never says a word.
fn silent_smtp() -> (std::net::TcpListener, String) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    (listener, url)
}

#[tokio::test]
async fn forgot_password_answers_without_waiting_for_mail() {
    let (_listener, url) = silent_smtp();
    let dir = tempfile::tempdir().unwrap();
    let app =
        crate::helpers::spawn_app_configured(dir, &[("CAREERSWITCH_SMTP_URL", url.as_str())]).await;
    let b = app.browser();
    b.register("known@example.com", PASSWORD).await;
    // Sending inline would wait out the 10-second mail timeout on the silent server.
    let answer = |email: &'static str| {
        let b = &b;
        async move {
            tokio::time::timeout(
                std::time::Duration::from_secs(5),
                b.submit("/forgot-password", "/forgot-password", &[("email", email)]),
            )
            .await
            .expect("the page does not wait for the mail server")
        }
    };
    let known = answer("known@example.com").await;
    let unknown = answer("unknown@example.com").await;
    assert_eq!((known.status, unknown.status), (200, 200));
    assert_eq!(
        known.text().replace("known@", "X@"),
        unknown.text().replace("unknown@", "X@")
    );
}

#[tokio::test]
async fn forwarded_for_takes_the_entry_the_proxy_appended() {
    let (app, _smtp) = spawn_app_with_smtp(&[
        ("CAREERSWITCH_RATE_LIMITS", "sign-in=2/min"),
        ("CAREERSWITCH_TRUSTED_PROXY", "127.0.0.1"),
    ])
    .await;
    let b = app.browser();
    let token = b.get("/sign-in").await.csrf();
    let attempt = |lines: Vec<String>| {
        let (client, token) = (b.client.clone(), token.clone());
        let url = format!("{}/sign-in", app.address);
        async move {
            let mut req = client.post(url).form(&[
                ("email", "z@example.com"),
                ("password", PASSWORD),
                ("csrf_token", token.as_str()),
            ]);
            for line in lines {
                req = req.header("X-Forwarded-For", line);
            }
            req.send().await.unwrap().status().as_u16()
        }
    };
    // A client-written first line and a malformed last entry buy no fresh allowance.
    let mut statuses = Vec::new();
    for n in 1..=3 {
        statuses.push(attempt(vec![format!("203.0.113.{n}"), "198.51.100.7".to_owned()]).await);
    }
    assert_eq!(statuses, [422, 422, 429], "the last line is the proxy's");
    let mut statuses = Vec::new();
    for n in 1..=3 {
        statuses.push(attempt(vec![format!("203.0.113.{n}, 198.51.100.{n}:80")]).await);
    }
    assert_eq!(statuses, [422, 422, 429], "ip:port is not guessed at");
}

#[tokio::test]
async fn look_alike_addresses_are_one_account_and_hidden_characters_are_refused() {
    let (app, smtp) = spawn_app_with_smtp(&[]).await;
    confirmed_user(&app, &smtp, "rene@example.com").await;
    // Full-width letters are the same address.
    for look_alike in [
        "\u{FF52}\u{FF45}\u{FF4E}\u{FF45}@example.com",
        "rene@\u{FF45}xample.com",
    ] {
        let page = app.browser().register(look_alike, ATTACKER_PASSWORD).await;
        assert_eq!(page.status, 200);
    }
    assert_eq!(
        smtp.to("rene@example.com").await.len(),
        3,
        "no second account: the owner hears of both attempts"
    );
    // Composed and decomposed accents are one address too.
    app.browser()
        .register("zo\u{eb}@example.com", PASSWORD)
        .await;
    app.browser()
        .register("zoe\u{308}@example.com", ATTACKER_PASSWORD)
        .await;
    let stored = user(&app, "zo\u{eb}@example.com");
    assert!(
        careerswitch::auth::password::verify(Some(stored.password_hash), PASSWORD)
            .await
            .unwrap(),
        "the second registration did not replace or duplicate the first"
    );
    let mut conn = app.state.pool.get().unwrap();
    assert!(
        db::users::find_by_email(&mut conn, "zoe\u{308}@example.com")
            .unwrap()
            .is_none()
    );
    drop(conn);
    let hidden = app
        .browser()
        .register("ren\u{200B}e@example.com", PASSWORD)
        .await;
    assert_eq!(hidden.status, 422);
    assert!(hidden.text().contains("hidden character"));
    assert!(
        hidden.html.contains("ren\u{200B}e@example.com"),
        "what was typed is kept"
    );
}

#[tokio::test]
async fn tokens_in_paths_never_reach_the_logs() {
    crate::logs::capture();
    let app = spawn_app().await;
    let secret = "Zq9SecretTokenValueThatMustNotBeLogged0000";
    let resp = app
        .client
        .post(format!("{}/reset-password/{secret}", app.address))
        .form(&[
            ("new_password", "whatever words here"),
            ("csrf_token", "bad"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    let logs = crate::logs::text();
    assert!(
        logs.contains("/reset-password/[redacted]"),
        "the refusal is logged: {logs}"
    );
    assert!(!logs.contains(secret));
}

#[tokio::test]
async fn a_session_store_failure_gets_the_styled_page_and_headers() {
    let (app, smtp) = spawn_app_with_smtp(&[]).await;
    let b = confirmed_user(&app, &smtp, "store@example.com").await;
    let rename = |sql: &'static str| {
        let mut conn = app.state.pool.get().unwrap();
        diesel::RunQueryDsl::execute(diesel::sql_query(sql), &mut conn).unwrap();
    };
    rename("ALTER TABLE sessions RENAME TO sessions_away");
    let page = b
        .client
        .get(format!("{}/", app.address))
        .send()
        .await
        .unwrap();
    rename("ALTER TABLE sessions_away RENAME TO sessions");
    assert_eq!(page.status(), 500);
    assert!(page.headers().get("content-security-policy").is_some());
    assert!(page.headers().get("x-frame-options").is_some());
    let text = crate::helpers::visible_text(&page.text().await.unwrap());
    assert!(text.contains("Something went wrong on our side"), "{text}");
}

#[tokio::test]
async fn the_export_holds_everything_and_deletion_erases_it() {
    let dir = tempfile::tempdir().unwrap();
    let app = crate::helpers::spawn_app_configured(
        dir,
        &[("CAREERSWITCH_RATE_LIMITS", "sign-in=1000/min")],
    )
    .await;
    let email = "leaver@example.com";
    let b = app.browser();
    b.register(email, PASSWORD).await;
    b.sign_in(email, "wrong words again").await;
    b.sign_in(email, PASSWORD).await;
    b.submit(
        "/account",
        "/account/email",
        &[("email", "next@example.com"), ("password", PASSWORD)],
    )
    .await;
    app.deliver_mail().await;
    let export: serde_json::Value = serde_json::from_str(
        &b.client
            .get(format!("{}/account/export", app.address))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    )
    .unwrap();
    let links = export["emailed_links"].as_array().unwrap();
    assert!(links.iter().any(|l| l["purpose"] == "verify"));
    assert!(links.iter().any(|l| l["new_email"] == "next@example.com"));
    assert_eq!(export["failed_sign_ins"].as_array().unwrap().len(), 1);
    let outbox = app.data_dir.path().join("outbox");
    let count_eml = || std::fs::read_dir(&outbox).unwrap().count();
    assert!(count_eml() >= 1);
    let deleted = b
        .submit("/account", "/account/delete", &[("password", PASSWORD)])
        .await;
    assert_eq!(deleted.status, 200);
    let to_me = std::fs::read_dir(&outbox)
        .unwrap()
        .filter(|f| {
            std::fs::read_to_string(f.as_ref().unwrap().path())
                .unwrap()
                .contains(&format!("To: {email}"))
        })
        .count();
    assert_eq!(to_me, 0, "the account's mail left the outbox with it");
    let mut conn = app.state.pool.get().unwrap();
    let since = chrono::Utc::now().naive_utc() - chrono::Duration::days(1);
    assert!(
        db::users::sign_in_failures_since(&mut conn, &db::users::email_hash(email), since)
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn renewing_a_session_keeps_its_absolute_limit() {
    let (app, smtp) = spawn_app_with_smtp(&[]).await;
    let email = "abs@example.com";
    let b = confirmed_user(&app, &smtp, email).await;
    let id = user(&app, email).id;
    let expiries = || {
        let mut conn = app.state.pool.get().unwrap();
        db::sessions::absolute_expiries_for_user(&mut conn, id).unwrap()
    };
    let first = expiries();
    assert_eq!(first.len(), 1);
    // Changing the password renews the session id.
    b.submit(
        "/account",
        "/account/password",
        &[
            ("current_password", PASSWORD),
            ("new_password", NEW_PASSWORD),
        ],
    )
    .await;
    let renewed = expiries();
    assert_eq!(renewed.len(), 1);
    assert_eq!(
        renewed[0].and_utc().timestamp(),
        first[0].and_utc().timestamp(),
        "the 90 days count from the first sign-in"
    );
}
