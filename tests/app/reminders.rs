//! Reminder settings and one-click unsubscribe (RFC 8058), without signing in.

use careerswitch::db;

use crate::helpers::{TestApp, spawn_app_with_smtp};

const PASSWORD: &str = "violet harbour lantern";

fn stored(app: &TestApp, user_id: i32) -> db::reminders::Stored {
    let mut conn = app.state.pool.get().unwrap();
    db::reminders::for_user(
        &mut conn,
        user_id,
        "unused-new-token",
        chrono::Utc::now().naive_utc(),
    )
    .unwrap()
}

#[tokio::test]
async fn reminder_settings_are_saved_and_bad_input_keeps_what_was_typed() {
    let (app, _smtp) = spawn_app_with_smtp(&[]).await;
    let b = app.browser();
    b.register("rita@example.com", PASSWORD).await;
    b.sign_in("rita@example.com", PASSWORD).await;
    let page = b.get("/account/reminders").await;
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Europe/London"));
    let bad = b
        .submit(
            "/account/reminders",
            "/account/reminders",
            &[
                ("days_before", "40"),
                ("digest_weekday", "3"),
                ("send_hour", "18"),
                ("weekly_digest", "yes"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.text().contains("from 0 to 14"));
    assert!(bad.html.contains(r#"value="40""#), "what was typed is kept");
    let id = {
        let mut conn = app.state.pool.get().unwrap();
        db::users::find_by_email(&mut conn, "rita@example.com")
            .unwrap()
            .unwrap()
            .id
    };
    assert_eq!(
        stored(&app, id).prefs.days_before,
        3,
        "nothing stored from a bad form"
    );
    let good = b
        .submit(
            "/account/reminders",
            "/account/reminders",
            &[
                ("days_before", "5"),
                ("on_overdue", "yes"),
                ("weekly_digest", "yes"),
                ("digest_weekday", "3"),
                ("send_hour", "18"),
            ],
        )
        .await;
    assert_eq!(good.status, 200, "{}", good.text());
    let prefs = stored(&app, id).prefs;
    assert_eq!((prefs.days_before, prefs.send_hour), (5, 18));
    assert!(prefs.weekly_digest && prefs.on_overdue && !prefs.paused);
    assert_eq!(prefs.digest_weekday, chrono::Weekday::Wed);
}

#[tokio::test]
async fn the_unsubscribe_link_confirms_first_and_the_one_click_post_acts_at_once() {
    let (app, _smtp) = spawn_app_with_smtp(&[]).await;
    let b = app.browser();
    b.register("una@example.com", PASSWORD).await;
    let id = {
        let mut conn = app.state.pool.get().unwrap();
        db::users::find_by_email(&mut conn, "una@example.com")
            .unwrap()
            .unwrap()
            .id
    };
    let token = stored(&app, id).unsubscribe_token;
    let link = format!("{}/unsubscribe/{token}", app.address);
    // Following the link (as a mail scanner would) changes nothing.
    let page = app.client.get(&link).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Stop reminder emails"));
    assert!(!stored(&app, id).prefs.paused);
    // The mail client's one-click POST: no cookie, no CSRF token, RFC 8058's body.
    let one_click = app
        .client
        .post(&link)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(one_click.status(), 200);
    assert!(stored(&app, id).prefs.paused);
    // A bad token is a clear 404, by GET and by POST.
    for resp in [
        app.client
            .get(format!("{}/unsubscribe/not-a-token", app.address))
            .send()
            .await
            .unwrap(),
        app.client
            .post(format!("{}/unsubscribe/not-a-token", app.address))
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .unwrap(),
    ] {
        assert_eq!(resp.status(), 404);
        assert!(
            crate::helpers::visible_text(&resp.text().await.unwrap())
                .contains("This unsubscribe link is not valid")
        );
    }
}
