use careerswitch::db;

use crate::helpers::spawn_app_with_smtp;

const PASSWORD: &str = "violet harbour lantern";
const NEW_PASSWORD: &str = "copper kettle meadow";
const RESET_PASSWORD: &str = "quiet orchard bicycle";

/// Register → verify by email → sign out → sign in → change password → reset by email →
/// delete, all through the real server and a real SMTP server.
#[tokio::test]
async fn the_whole_account_lifecycle() {
    let (app, smtp) = spawn_app_with_smtp(&[]).await;
    let alice = app.browser();
    let email = "alice@example.com";

    let page = alice.register(" Alice@Example.com ", PASSWORD).await;
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page.text().contains("Check your email"));
    let stored = app
        .state
        .pool
        .get()
        .map(|mut c| db::users::find_by_email(&mut c, email).unwrap())
        .unwrap()
        .expect("account stored");
    assert_eq!(stored.time_zone, "Europe/London");
    assert!(
        stored
            .password_hash
            .starts_with("$argon2id$v=19$m=19456,t=2,p=1$")
    );
    assert!(!stored.is_verified());

    let mails = smtp.to(email).await;
    assert_eq!(mails.len(), 1);
    assert!(
        mails[0].subject.to_lowercase().contains("confirm"),
        "{}",
        mails[0].subject
    );
    let link = mails[0]
        .link("/verify-email/")
        .expect("a verification link");
    let path = link
        .strip_prefix(&app.address)
        .expect("the link points at this app");

    // Unverified accounts can sign in, and see a banner.
    let page = alice.sign_in(email, PASSWORD).await;
    assert_eq!(page.status, 303);
    assert_eq!(page.location.as_deref(), Some("/account"));
    let account = alice.get("/account").await;
    assert!(account.text().contains("Please confirm your email address"));

    // Following the link shows a button; the POST confirms.
    let confirm = alice.get(path).await;
    assert_eq!(confirm.status, 200);
    assert!(
        !app.state
            .pool
            .get()
            .map(|mut c| db::users::find_by_email(&mut c, email)
                .unwrap()
                .unwrap()
                .is_verified())
            .unwrap(),
        "GET changes nothing"
    );
    let done = alice.post(path, &[("csrf_token", &confirm.csrf())]).await;
    assert_eq!(done.status, 200);
    assert!(done.text().contains("Email address confirmed"));
    let account = alice.get("/account").await;
    assert!(!account.text().contains("Please confirm your email address"));
    assert!(account.text().contains("confirmed"));
    // The link is single-use.
    assert_eq!(alice.get(path).await.status, 400);

    // Sign out, then back in.
    let out = alice.sign_out().await;
    assert_eq!(out.status, 303);
    assert!(!alice.is_signed_in().await);
    assert_eq!(alice.sign_in(email, PASSWORD).await.status, 303);
    assert!(alice.is_signed_in().await);

    // Change password; the old address hears about it.
    let changed = alice
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
    assert!(changed.text().contains("Your password has been changed"));
    assert!(
        alice.is_signed_in().await,
        "the browser that changed it stays signed in"
    );
    let notices = smtp.to(email).await;
    assert!(
        notices
            .last()
            .unwrap()
            .subject
            .to_lowercase()
            .contains("password"),
        "{:?}",
        notices.last().unwrap().subject
    );
    let warning = notices.last().unwrap().text.to_lowercase();
    assert!(
        warning.contains("if you did not") && warning.contains("/forgot-password"),
        "{warning}"
    );
    alice.sign_out().await;
    assert_eq!(
        alice.sign_in(email, PASSWORD).await.status,
        422,
        "old password refused"
    );
    assert_eq!(alice.sign_in(email, NEW_PASSWORD).await.status, 303);

    // Reset by email from another browser: every session of the account ends.
    let other = app.browser();
    let asked = other
        .submit("/forgot-password", "/forgot-password", &[("email", email)])
        .await;
    assert_eq!(asked.status, 200);
    let reset_link = smtp
        .to(email)
        .await
        .last()
        .unwrap()
        .link("/reset-password/")
        .expect("a reset link");
    let reset_path = reset_link.strip_prefix(&app.address).unwrap().to_owned();
    let form = other.get(&reset_path).await;
    assert_eq!(form.status, 200);
    let weak = other
        .post(
            &reset_path,
            &[("new_password", "password1"), ("csrf_token", &form.csrf())],
        )
        .await;
    assert_eq!(weak.status, 422);
    assert!(weak.text().contains("too easy to guess"));
    let reset = other
        .post(
            &reset_path,
            &[
                ("new_password", RESET_PASSWORD),
                ("csrf_token", &form.csrf()),
            ],
        )
        .await;
    assert_eq!(reset.status, 200, "{}", reset.text());
    assert!(
        !alice.is_signed_in().await,
        "the reset ended Alice's other session"
    );
    assert_eq!(
        other.get(&reset_path).await.status,
        400,
        "reset links are single-use"
    );
    assert_eq!(alice.sign_in(email, NEW_PASSWORD).await.status, 422);
    assert_eq!(alice.sign_in(email, RESET_PASSWORD).await.status, 303);

    // Download, then delete.
    // The email log records what the mail worker sent.
    app.deliver_mail().await;
    let export = alice
        .client
        .get(format!("{}/account/export", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), 200);
    assert!(
        export.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let json: serde_json::Value = serde_json::from_str(&export.text().await.unwrap()).unwrap();
    assert_eq!(json["account"]["email"], email);
    assert!(
        json["account"].get("password_hash").is_none(),
        "the hash is never exported"
    );
    assert!(!json["sessions"].as_array().unwrap().is_empty());
    let kinds: Vec<&str> = json["emails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "verify_email",
            "password_changed",
            "reset_password",
            "password_changed"
        ],
        "the email log lists what was sent"
    );

    let wrong = alice
        .submit(
            "/account",
            "/account/delete",
            &[("password", "not my password")],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.text().contains("nothing was deleted"));
    let deleted = alice
        .submit(
            "/account",
            "/account/delete",
            &[("password", RESET_PASSWORD)],
        )
        .await;
    assert_eq!(deleted.status, 200);
    assert!(deleted.text().contains("Your account has been deleted"));
    let mut conn = app.state.pool.get().unwrap();
    assert!(
        db::users::find_by_email(&mut conn, email)
            .unwrap()
            .is_none()
    );
    assert!(!alice.is_signed_in().await);
    assert_eq!(alice.sign_in(email, RESET_PASSWORD).await.status, 422);
}

#[tokio::test]
async fn changing_email_needs_the_password_and_a_link_sent_to_the_new_address() {
    let (app, smtp) = spawn_app_with_smtp(&[]).await;
    let bob = app.browser();
    bob.register("bob@example.com", PASSWORD).await;
    bob.sign_in("bob@example.com", PASSWORD).await;

    let wrong = bob
        .submit(
            "/account",
            "/account/email",
            &[
                ("email", "robert@example.org"),
                ("password", "nope nope nope"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(
        wrong.html.contains(r#"value="robert@example.org""#),
        "what was typed is kept"
    );
    assert!(smtp.to("robert@example.org").await.is_empty());

    let asked = bob
        .submit(
            "/account",
            "/account/email",
            &[("email", "robert@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(asked.status, 200);
    assert!(
        asked
            .text()
            .contains("We have sent a link to robert@example.org")
    );
    assert!(
        bob.get("/account").await.text().contains("bob@example.com"),
        "nothing changes before the link is followed"
    );

    let link = smtp.to("robert@example.org").await[0]
        .link("/verify-email/")
        .expect("confirmation link");
    let path = link.strip_prefix(&app.address).unwrap().to_owned();
    let confirm = bob.get(&path).await;
    let done = bob.post(&path, &[("csrf_token", &confirm.csrf())]).await;
    assert_eq!(done.status, 200, "{}", done.text());
    assert!(done.text().contains("Email address changed"));
    assert!(
        bob.get("/account")
            .await
            .text()
            .contains("robert@example.org")
    );
    let notice = smtp.to("bob@example.com").await;
    assert!(
        notice.iter().any(|m| m.text.contains("robert@example.org")),
        "the old address is told"
    );
    bob.sign_out().await;
    assert_eq!(
        bob.sign_in("robert@example.org", PASSWORD).await.status,
        303
    );
}

#[tokio::test]
async fn bad_registration_input_keeps_what_was_typed_and_stores_nothing() {
    let (app, smtp) = spawn_app_with_smtp(&[]).await;
    let carol = app.browser();
    let page = carol
        .submit(
            "/register",
            "/register",
            &[
                ("email", "carol@example"),
                ("password", "short"),
                ("time_zone", "Mars/Olympus"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    let text = page.text();
    assert!(text.contains("Enter an email address in the form name@example.com."));
    assert!(text.contains("Use at least 8 characters."));
    assert!(text.contains("Choose a time zone from the list."));
    assert!(page.html.contains(r#"value="carol@example""#));
    assert!(
        !page.html.contains("short"),
        "passwords are never echoed back"
    );
    let common = carol.register("carol@example.com", "password123").await;
    assert_eq!(common.status, 422);
    let mut conn = app.state.pool.get().unwrap();
    assert!(
        db::users::find_by_email(&mut conn, "carol@example.com")
            .unwrap()
            .is_none()
    );
    assert!(smtp.received().await.is_empty());
    // Unicode passwords are fine.
    assert_eq!(
        carol
            .register("carol@example.com", "ночной поезд на юг")
            .await
            .status,
        200
    );
    assert_eq!(
        carol
            .sign_in("carol@example.com", "ночной поезд на юг")
            .await
            .status,
        303
    );
}

#[tokio::test]
async fn unverified_users_can_resend_the_link_but_not_endlessly() {
    let (app, smtp) = spawn_app_with_smtp(&[]).await;
    let dan = app.browser();
    dan.register("dan@example.com", PASSWORD).await;
    dan.sign_in("dan@example.com", PASSWORD).await;
    for _ in 0..2 {
        let page = dan
            .submit("/account", "/account/resend-verification", &[])
            .await;
        assert_eq!(page.status, 200);
        assert!(page.text().contains("We have sent a new confirmation link"));
    }
    assert_eq!(smtp.to("dan@example.com").await.len(), 3);
    let page = dan
        .submit("/account", "/account/resend-verification", &[])
        .await;
    assert_eq!(page.status, 429);
    assert_eq!(smtp.to("dan@example.com").await.len(), 3);
}

#[tokio::test]
async fn after_sign_in_you_return_to_where_you_were() {
    let (app, _smtp) = spawn_app_with_smtp(&[]).await;
    let erin = app.browser();
    erin.register("erin@example.com", PASSWORD).await;
    // The header's sign-in link carries the current page.
    let guide = erin.get("/careers/data-analyst-to-data-scientist").await;
    assert!(
        guide
            .html
            .contains(r#"href="/sign-in?next=/careers/data-analyst-to-data-scientist""#)
    );
    let page = erin
        .get("/sign-in?next=/careers/data-analyst-to-data-scientist")
        .await;
    let back = erin
        .post(
            "/sign-in",
            &[
                ("email", "erin@example.com"),
                ("password", PASSWORD),
                ("next", "/careers/data-analyst-to-data-scientist"),
                ("csrf_token", &page.csrf()),
            ],
        )
        .await;
    assert_eq!(
        back.location.as_deref(),
        Some("/careers/data-analyst-to-data-scientist")
    );
    // Signed in, every page says so.
    let guide = erin.get("/careers/data-analyst-to-data-scientist").await;
    assert!(guide.text().contains("Sign out") && !guide.text().contains("Create account"));
    // The account page itself redirects anonymous visitors to sign in and back.
    let stranger = app.browser();
    let page = stranger.get("/account").await;
    assert_eq!(page.status, 303);
    assert_eq!(page.location.as_deref(), Some("/sign-in?next=/account"));
}

#[tokio::test]
async fn admins_see_the_outbox_when_no_smtp_server_is_configured() {
    let dir = tempfile::tempdir().unwrap();
    let app = crate::helpers::spawn_app_configured(
        dir,
        &[("CAREERSWITCH_ADMIN_EMAILS", "boss@example.com")],
    )
    .await;
    let boss = app.browser();
    boss.register("boss@example.com", PASSWORD).await;
    app.deliver_mail().await;
    let outbox = app.data_dir.path().join("outbox");
    let files: Vec<_> = std::fs::read_dir(&outbox).unwrap().collect();
    assert_eq!(
        files.len(),
        1,
        "the verification email was written as a file"
    );
    boss.sign_in("boss@example.com", PASSWORD).await;
    assert_eq!(
        boss.get("/admin/outbox").await.status,
        403,
        "a listed address is not an admin until it is confirmed"
    );
    let raw = std::fs::read(files[0].as_ref().unwrap().path()).unwrap();
    let link = crate::smtp::ReceivedEmail::parse(Vec::new(), raw)
        .link("/verify-email/")
        .expect("the file holds the link");
    let path = &link[app.address.len()..];
    let confirm = boss.submit(path, path, &[]).await;
    assert_eq!(confirm.status, 200, "{}", confirm.text());
    let page = boss.get("/admin/outbox").await;
    assert_eq!(page.status, 200);
    assert!(page.text().contains("boss@example.com"));
    assert!(page.text().to_lowercase().contains("confirm"));

    let pat = app.browser();
    pat.register("pat@example.com", PASSWORD).await;
    pat.sign_in("pat@example.com", PASSWORD).await;
    assert_eq!(
        pat.get("/admin/outbox").await.status,
        403,
        "not for ordinary accounts"
    );
}

#[tokio::test]
async fn the_create_admin_command_promotes_a_registered_account() {
    let (app, _smtp) = spawn_app_with_smtp(&[]).await;
    let kim = app.browser();
    kim.register("kim@example.com", PASSWORD).await;
    kim.sign_in("kim@example.com", PASSWORD).await;
    assert_eq!(kim.get("/admin/outbox").await.status, 403);
    let run = |email: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_careerswitch"))
            .args(["create-admin", "--email", email])
            .env("CAREERSWITCH_DATA_DIR", app.data_dir.path())
            .env("CAREERSWITCH_DATABASE_URL", &app.database_url)
            .env("RUST_LOG", "warn")
            .output()
            .expect("the binary runs")
    };
    let unknown = run("nobody@example.com");
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("register it on the site first"));
    let promoted = run("Kim@Example.com");
    assert!(
        promoted.status.success(),
        "{}",
        String::from_utf8_lossy(&promoted.stderr)
    );
    assert!(String::from_utf8_lossy(&promoted.stdout).contains("kim@example.com is now an admin"));
    assert_eq!(
        kim.get("/admin/outbox").await.status,
        200,
        "rights apply on the next request"
    );
}
