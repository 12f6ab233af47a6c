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

/// The UTC moment that is `hour`:00 on `date` in London.
fn london(date: chrono::NaiveDate, hour: u32) -> chrono::NaiveDateTime {
    use chrono::TimeZone;
    chrono_tz::Europe::London
        .from_local_datetime(&date.and_hms_opt(hour, 0, 0).unwrap())
        .single()
        .unwrap()
        .naive_utc()
}

#[tokio::test]
async fn a_due_milestone_is_reminded_once_at_the_send_hour_and_completing_one_withdraws_it() {
    let (app, smtp) = spawn_app_with_smtp(&[]).await;
    let email = "mia@example.com";
    let mia = crate::attacks::confirmed_user(&app, &smtp, email).await;
    let plan = crate::plans::build_plan(&app, &mia, email, "9", "10").await;
    let dated: Vec<_> = crate::plans::milestones(&app, plan)
        .into_iter()
        .filter(|m| m.due_on.is_some())
        .collect();
    let (first, second) = (&dated[0], &dated[1]);
    let due = first.due_on.unwrap();
    let worker = &app.state.mail_worker;
    let reminders = || async {
        smtp.to(email)
            .await
            .into_iter()
            .filter(|m| m.raw.contains("List-Unsubscribe"))
            .collect::<Vec<_>>()
    };

    // Default settings: 3 days before, at 08:00 in Europe/London.
    let three_days_before = due - chrono::Duration::days(3);
    worker
        .drain(london(three_days_before, 7) + chrono::Duration::minutes(59))
        .await
        .unwrap();
    assert!(reminders().await.is_empty(), "nothing before the send hour");
    worker.drain(london(three_days_before, 8)).await.unwrap();
    let got = reminders().await;
    assert_eq!(got.len(), 1);
    let mail = &got[0];
    assert!(mail.subject.starts_with("Coming up:"), "{}", mail.subject);
    assert!(
        mail.subject
            .contains(&first.title[..first.title.len().min(30)])
    );
    assert!(
        mail.text
            .contains(&format!("/plans/{plan}#milestone-{}", first.id))
    );
    assert!(
        mail.raw
            .contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
    );
    // Running again, later that day and the next, sends nothing new.
    worker.drain(london(three_days_before, 15)).await.unwrap();
    worker
        .drain(london(three_days_before + chrono::Duration::days(1), 9))
        .await
        .unwrap();
    let upcoming: Vec<_> = reminders()
        .await
        .into_iter()
        .filter(|m| m.text.contains(&format!("#milestone-{}", first.id)))
        .collect();
    assert_eq!(upcoming.len(), 1, "each reminder once");

    // The second milestone's reminder is queued, then the milestone is completed before
    // the worker sends it: it never goes.
    let due2 = second.due_on.unwrap();
    let when = london(due2 - chrono::Duration::days(2), 9);
    careerswitch::email::scheduler::schedule(&app.state.pool, worker.mailer(), &app.address, when)
        .await
        .unwrap();
    let fields = crate::plans::edit_fields(second, "done");
    let done = crate::plans::post_edit(&mia, plan, second, &fields).await;
    assert!(done.status < 400, "{}", done.text());
    worker.drain(when).await.unwrap();
    assert!(
        reminders()
            .await
            .iter()
            .all(|m| !m.text.contains(&format!("#milestone-{}", second.id))),
        "a completed milestone is not reminded"
    );

    // The unsubscribe link in the email, one click, and no more reminders.
    let link = mail
        .raw
        .lines()
        .find_map(|l| l.strip_prefix("List-Unsubscribe: <"))
        .and_then(|l| l.strip_suffix('>'))
        .expect("the header names the link")
        .to_owned();
    let resp = app
        .client
        .post(&link)
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let before = reminders().await.len();
    worker
        .drain(london(due + chrono::Duration::days(1), 9))
        .await
        .unwrap();
    assert_eq!(
        reminders().await.len(),
        before,
        "no overdue reminder after unsubscribing"
    );
}

#[tokio::test]
async fn the_weekly_digest_lists_what_is_due_that_week_on_the_chosen_day() {
    let (app, smtp) = spawn_app_with_smtp(&[]).await;
    let email = "dev@example.com";
    let dev = crate::attacks::confirmed_user(&app, &smtp, email).await;
    let plan = crate::plans::build_plan(&app, &dev, email, "9", "10").await;
    let dated: Vec<_> = crate::plans::milestones(&app, plan)
        .into_iter()
        .filter(|m| m.due_on.is_some())
        .collect();
    let first_due = dated[0].due_on.unwrap();
    // The digest day: two days before the first milestone is due.
    let day = first_due - chrono::Duration::days(2);
    let weekday = chrono::Datelike::weekday(&day)
        .number_from_monday()
        .to_string();
    let saved = dev
        .submit(
            "/account/reminders",
            "/account/reminders",
            &[
                ("days_before", "0"),
                ("weekly_digest", "yes"),
                ("digest_weekday", &weekday),
                ("send_hour", "8"),
            ],
        )
        .await;
    assert_eq!(saved.status, 200, "{}", saved.text());
    app.state.mail_worker.drain(london(day, 9)).await.unwrap();
    let digests: Vec<_> = smtp
        .to(email)
        .await
        .into_iter()
        .filter(|m| m.subject.starts_with("Your week"))
        .collect();
    assert_eq!(digests.len(), 1);
    let listed: Vec<_> = dated
        .iter()
        .filter(|m| m.due_on.unwrap() <= day + chrono::Duration::days(7))
        .collect();
    assert!(!listed.is_empty());
    for m in &listed {
        assert!(digests[0].text.contains(&format!("#milestone-{}", m.id)));
    }
    let later = dated
        .iter()
        .find(|m| m.due_on.unwrap() > day + chrono::Duration::days(7))
        .expect("a milestone further off");
    assert!(
        !digests[0]
            .text
            .contains(&format!("#milestone-{}\n", later.id)),
        "only this week's milestones"
    );
    // The next day is not the digest day: nothing more.
    app.state
        .mail_worker
        .drain(london(day + chrono::Duration::days(1), 9))
        .await
        .unwrap();
    assert_eq!(
        smtp.to(email)
            .await
            .iter()
            .filter(|m| m.subject.starts_with("Your week"))
            .count(),
        1
    );
}
