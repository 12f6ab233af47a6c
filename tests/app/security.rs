use std::sync::atomic::Ordering;

use careerswitch::auth::password::DECOY_VERIFICATIONS;
use careerswitch::db;

use crate::helpers::{spawn_app_configured, spawn_app_with_smtp, visible_text};

const PASSWORD: &str = "violet harbour lantern";

fn cookie_value(set_cookie: &[String]) -> Option<String> {
    set_cookie
        .iter()
        .find(|c| c.starts_with("careerswitch_session="))
        .map(|c| {
            c.split(';')
                .next()
                .unwrap()
                .trim_start_matches("careerswitch_session=")
                .to_owned()
        })
}

#[tokio::test]
async fn nothing_reveals_whether_an_address_has_an_account() {
    let (app, smtp) = spawn_app_with_smtp(&[]).await;
    let owner = app.browser();
    owner.register("owner@example.com", PASSWORD).await;

    // Register: the same page for a new and a taken address; the owner gets told.
    let stranger = app.browser();
    let taken = stranger
        .register("owner@example.com", "another decent passphrase")
        .await;
    let fresh = stranger
        .register("newcomer@example.com", "another decent passphrase")
        .await;
    assert_eq!(taken.status, fresh.status);
    assert_eq!(
        taken.text().replace("owner@example.com", "X"),
        fresh.text().replace("newcomer@example.com", "X")
    );
    let owner_mail = smtp.to("owner@example.com").await;
    assert_eq!(owner_mail.len(), 2);
    assert!(
        owner_mail[1].text.to_lowercase().contains("already"),
        "{}",
        owner_mail[1].text
    );
    assert!(
        owner_mail[1].link("/verify-email/").is_none(),
        "no new verification link for a taken address"
    );

    // Sign in: unknown address and wrong password look the same, and both cost a hash.
    let before = DECOY_VERIFICATIONS.load(Ordering::Relaxed);
    let unknown = stranger.sign_in("nobody@example.com", PASSWORD).await;
    assert!(
        DECOY_VERIFICATIONS.load(Ordering::Relaxed) > before,
        "an unknown address still runs a dummy argon2 verification"
    );
    let wrong = stranger
        .sign_in("owner@example.com", "not the password at all")
        .await;
    assert_eq!(unknown.status, wrong.status);
    assert_eq!(
        unknown.text().replace("nobody@example.com", "X"),
        wrong.text().replace("owner@example.com", "X")
    );

    // Forgotten password: same answer; only the real account gets an email.
    let a = stranger
        .submit(
            "/forgot-password",
            "/forgot-password",
            &[("email", "owner@example.com")],
        )
        .await;
    let b = stranger
        .submit(
            "/forgot-password",
            "/forgot-password",
            &[("email", "nobody@example.com")],
        )
        .await;
    assert_eq!(a.status, b.status);
    assert_eq!(
        a.text().replace("owner@example.com", "X"),
        b.text().replace("nobody@example.com", "X")
    );
    assert!(smtp.to("nobody@example.com").await.is_empty());
    assert!(
        smtp.to("owner@example.com")
            .await
            .last()
            .unwrap()
            .link("/reset-password/")
            .is_some()
    );
}

#[tokio::test]
async fn per_ip_limits_apply_and_forwarded_for_is_believed_only_from_the_proxy() {
    let (app, _smtp) = spawn_app_with_smtp(&[("CAREERSWITCH_RATE_LIMITS", "sign-in=3/min")]).await;
    let b = app.browser();
    for _ in 0..3 {
        assert_eq!(b.sign_in("x@example.com", PASSWORD).await.status, 422);
    }
    let limited = b.sign_in("x@example.com", PASSWORD).await;
    assert_eq!(limited.status, 429);
    assert!(
        limited
            .text()
            .contains("too many attempts from your network")
    );
    assert!(
        limited.html.contains(r#"value="x@example.com""#),
        "the typed address is kept"
    );
    // Without a trusted proxy, X-Forwarded-For changes nothing.
    let token = b.get("/sign-in").await.csrf();
    let spoofed = b
        .client
        .post(format!("{}/sign-in", app.address))
        .header("X-Forwarded-For", "203.0.113.9")
        .form(&[
            ("email", "x@example.com"),
            ("password", PASSWORD),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(spoofed.status(), 429);

    // Behind the configured proxy, each forwarded client has its own allowance.
    let (proxied, _smtp) = spawn_app_with_smtp(&[
        ("CAREERSWITCH_RATE_LIMITS", "sign-in=2/min"),
        ("CAREERSWITCH_TRUSTED_PROXY", "127.0.0.1"),
    ])
    .await;
    let p = proxied.browser();
    let token = p.get("/sign-in").await.csrf();
    let attempt = |ip: &'static str| {
        let token = token.clone();
        let client = p.client.clone();
        let url = format!("{}/sign-in", proxied.address);
        async move {
            client
                .post(url)
                .header("X-Forwarded-For", ip)
                .form(&[
                    ("email", "y@example.com"),
                    ("password", PASSWORD),
                    ("csrf_token", token.as_str()),
                ])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(attempt("198.51.100.1").await, 422);
    assert_eq!(attempt("198.51.100.1").await, 422);
    assert_eq!(attempt("198.51.100.1").await, 429);
    assert_eq!(
        attempt("198.51.100.2").await,
        422,
        "another client behind the proxy"
    );
}

#[tokio::test]
async fn ten_failed_sign_ins_lock_an_address_whether_or_not_it_exists() {
    let (app, _smtp) =
        spawn_app_with_smtp(&[("CAREERSWITCH_RATE_LIMITS", "sign-in=1000/min")]).await;
    let b = app.browser();
    b.register("real@example.com", PASSWORD).await;
    for address in ["real@example.com", "ghost@example.com"] {
        for _ in 0..10 {
            assert_eq!(b.sign_in(address, "wrong guess number").await.status, 422);
        }
    }
    let real = b.sign_in("real@example.com", PASSWORD).await;
    let ghost = b.sign_in("ghost@example.com", PASSWORD).await;
    assert_eq!(real.status, 429, "even the right password waits");
    assert_eq!(ghost.status, 429);
    assert_eq!(
        real.text().replace("real@example.com", "X"),
        ghost.text().replace("ghost@example.com", "X")
    );
    assert!(real.text().contains("Please try again in 15 minutes"));
    // Other addresses are unaffected.
    b.register("other@example.com", PASSWORD).await;
    assert_eq!(b.sign_in("other@example.com", PASSWORD).await.status, 303);
}

#[tokio::test]
async fn sign_in_renews_the_session_and_sign_out_really_ends_it() {
    let (app, _smtp) = spawn_app_with_smtp(&[]).await;
    let b = app.browser();
    b.register("fix@example.com", PASSWORD).await;
    let form = b.get("/sign-in").await;
    assert!(
        cookie_value(&form.set_cookie).is_none(),
        "an anonymous form starts no session: {:?}",
        form.set_cookie
    );
    let form_cookie = app
        .browser()
        .get("/sign-in")
        .await
        .set_cookie
        .iter()
        .find(|c| c.starts_with("careerswitch_form="))
        .expect("the form's token is tied to a cookie")
        .to_lowercase();
    assert!(
        form_cookie.contains("httponly") && form_cookie.contains("samesite=lax"),
        "{form_cookie}"
    );
    let signed_in = b
        .post(
            "/sign-in",
            &[
                ("email", "fix@example.com"),
                ("password", PASSWORD),
                ("csrf_token", &form.csrf()),
            ],
        )
        .await;
    let before = cookie_value(&signed_in.set_cookie).expect("a session cookie at sign-in");
    let cookie_attrs = signed_in
        .set_cookie
        .iter()
        .find(|c| c.starts_with("careerswitch_session="))
        .unwrap()
        .to_lowercase();
    assert!(
        cookie_attrs.contains("httponly") && cookie_attrs.contains("samesite=lax"),
        "{cookie_attrs}"
    );
    assert!(!cookie_attrs.contains("secure"), "plain http on a laptop");
    // Signing in again from a browser that already has a session (as a planted cookie
    // would be) gives it a new id.
    let again = b
        .post(
            "/sign-in",
            &[
                ("email", "fix@example.com"),
                ("password", PASSWORD),
                ("csrf_token", &b.get("/account").await.csrf()),
            ],
        )
        .await;
    assert_eq!(again.status, 303);
    let after = cookie_value(&again.set_cookie).expect("a new cookie at sign-in");
    assert_ne!(before, after, "session fixation: the id changes at sign-in");

    let raw = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let with_cookie = |value: String| {
        let raw = raw.clone();
        let url = format!("{}/account", app.address);
        async move {
            raw.get(url)
                .header("Cookie", format!("careerswitch_session={value}"))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(
        with_cookie(before.clone()).await,
        303,
        "the cookie from before the second sign-in is worthless"
    );
    assert_eq!(with_cookie(after.clone()).await, 200);

    b.sign_out().await;
    assert_eq!(
        with_cookie(after.clone()).await,
        303,
        "a replayed cookie after sign-out is anonymous"
    );

    // A tampered or made-up cookie is simply anonymous, never an error.
    let mut tampered = after.clone();
    tampered.replace_range(0..4, "AAAA");
    assert_eq!(with_cookie(tampered).await, 303);
    let home = raw
        .get(format!("{}/", app.address))
        .header("Cookie", "careerswitch_session=garbage%%%")
        .send()
        .await
        .unwrap();
    assert_eq!(home.status(), 200);
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions() {
    let (app, _smtp) = spawn_app_with_smtp(&[]).await;
    let b = app.browser();
    b.register("gone@example.com", PASSWORD).await;
    b.sign_in("gone@example.com", PASSWORD).await;
    assert!(b.is_signed_in().await);
    let mut conn = app.state.pool.get().unwrap();
    let user = db::users::find_by_email(&mut conn, "gone@example.com")
        .unwrap()
        .unwrap();
    let actor = db::admin::Actor {
        id: user.id,
        email: "operator@example.com".into(),
    };
    db::admin::disable_user(
        &mut conn,
        &actor,
        &user,
        "Abuse report",
        chrono::Utc::now().naive_utc(),
    )
    .unwrap();
    assert_eq!(db::sessions::count_for_user(&mut conn, user.id).unwrap(), 0);
    assert!(!b.is_signed_in().await);
    let refused = b.sign_in("gone@example.com", PASSWORD).await;
    assert_eq!(refused.status, 403);
    assert!(refused.text().contains("disabled"));
    // A wrong password gets the usual answer: only the owner learns the account is disabled.
    let wrong = b
        .sign_in("gone@example.com", "not the right password")
        .await;
    assert_eq!(wrong.status, 422);
    assert!(!wrong.text().contains("disabled"));
}

#[tokio::test]
async fn posts_need_this_sessions_csrf_token_and_our_origin() {
    let (app, _smtp) = spawn_app_with_smtp(&[]).await;
    let b = app.browser();
    b.register("csrf@example.com", PASSWORD).await;
    let token = b.get("/sign-in").await.csrf();
    let fields = [("email", "csrf@example.com"), ("password", PASSWORD)];

    let missing = b.post("/sign-in", &fields).await;
    assert_eq!(missing.status, 403);
    assert!(missing.text().contains("This form has expired"));
    let wrong = b
        .post(
            "/sign-in",
            &[fields[0], fields[1], ("csrf_token", "not-the-token")],
        )
        .await;
    assert_eq!(wrong.status, 403);
    let foreign = b
        .client
        .post(format!("{}/sign-in", app.address))
        .header("Origin", "https://evil.example")
        .form(&[fields[0], fields[1], ("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 403);
    // Another browser's valid token is no good here.
    let other_token = app.browser().get("/sign-in").await.csrf();
    assert_eq!(
        b.post(
            "/sign-in",
            &[fields[0], fields[1], ("csrf_token", &other_token)]
        )
        .await
        .status,
        403
    );
    // With our origin and the right token it works.
    let ok = b
        .client
        .post(format!("{}/sign-in", app.address))
        .header("Origin", app.address.as_str())
        .form(&[fields[0], fields[1], ("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 303);
    // Signed-in forms are protected too: sign-out without a token does nothing.
    assert_eq!(b.post("/sign-out", &[]).await.status, 403);
    assert!(b.is_signed_in().await);
    // And GET never changes anything.
    assert_eq!(b.get("/sign-out").await.status, 404);
    assert!(b.is_signed_in().await);
}

#[tokio::test]
async fn after_sign_in_only_local_paths_are_followed() {
    let (app, _smtp) = spawn_app_with_smtp(&[]).await;
    let b = app.browser();
    b.register("nav@example.com", PASSWORD).await;
    for (next, expected) in [
        ("https://evil.example/", "/account"),
        ("//evil.example/", "/account"),
        ("/\\evil.example", "/account"),
        ("javascript:alert(1)", "/account"),
        ("/roles?q=sql", "/roles?q=sql"),
    ] {
        let token = b.get("/sign-in").await.csrf();
        let page = b
            .post(
                "/sign-in",
                &[
                    ("email", "nav@example.com"),
                    ("password", PASSWORD),
                    ("next", next),
                    ("csrf_token", &token),
                ],
            )
            .await;
        assert_eq!(page.location.as_deref(), Some(expected), "{next}");
        b.sign_out().await;
    }
}

#[tokio::test]
async fn addresses_that_could_inject_mail_headers_are_refused() {
    let (app, smtp) = spawn_app_with_smtp(&[]).await;
    let b = app.browser();
    let page = b
        .register("victim@example.com\r\nBcc: attacker@example.com", PASSWORD)
        .await;
    assert_eq!(page.status, 422);
    assert!(
        page.text()
            .contains("Enter an email address in the form name@example.com.")
    );
    let page = b
        .submit(
            "/forgot-password",
            "/forgot-password",
            &[("email", "a@example.com\nBcc: attacker@example.com")],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(
        smtp.received().await.is_empty(),
        "nothing was sent anywhere"
    );
    // What is sent carries fixed subjects and a Message-ID.
    b.register("clean@example.com", PASSWORD).await;
    let mail = &smtp.to("clean@example.com").await[0];
    assert!(mail.raw.to_lowercase().contains("message-id:"));
    assert!(!mail.raw.to_lowercase().contains("bcc:"));
}

#[tokio::test]
async fn oversized_bodies_get_a_readable_413() {
    let (app, _smtp) = spawn_app_with_smtp(&[]).await;
    // The server answers before the body has arrived, so the test sends only the head
    // and a few bytes, as a client part-way through a huge upload would have.
    let declaring = |path: &'static str, length: usize, content_type: &'static str| {
        let address = app.address.trim_start_matches("http://").to_owned();
        async move {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
            let head = format!(
                "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\nConnection: close\r\n\r\nemail=xxxx"
            );
            stream.write_all(head.as_bytes()).await.unwrap();
            let mut answer = Vec::new();
            stream.read_to_end(&mut answer).await.unwrap();
            String::from_utf8_lossy(&answer).into_owned()
        }
    };
    let form = declaring("/sign-in", 200_000, "application/x-www-form-urlencoded").await;
    assert!(form.starts_with("HTTP/1.1 413"), "{form}");
    assert!(visible_text(&form).contains("Too much data"));
    // Any route, any content type: the declared length alone decides.
    let other = declaring("/careers", 1 << 20, "application/octet-stream").await;
    assert!(other.starts_with("HTTP/1.1 413"), "{other}");
    assert!(
        other.to_lowercase().contains("content-security-policy:"),
        "error responses carry the headers too"
    );
}

#[tokio::test]
async fn security_headers_and_https_settings() {
    let dir = tempfile::tempdir().unwrap();
    let app =
        spawn_app_configured(dir, &[("CAREERSWITCH_BASE_URL", "https://careers.example")]).await;
    for path in ["/", "/sign-in", "/does-not-exist"] {
        let resp = app.get(path).await;
        assert!(
            resp.headers().get("strict-transport-security").is_some(),
            "{path}"
        );
        assert!(resp.headers().get("content-security-policy").is_some());
        if path == "/sign-in" {
            let cookie = resp.headers()["set-cookie"]
                .to_str()
                .unwrap()
                .to_lowercase();
            assert!(
                cookie.contains("secure"),
                "cookies are Secure when served over https: {cookie}"
            );
        }
    }
    let plain = crate::helpers::spawn_app().await;
    assert!(
        plain
            .get("/")
            .await
            .headers()
            .get("strict-transport-security")
            .is_none()
    );
}
