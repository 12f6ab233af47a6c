//! Interview practice end to end: questions open to everyone, feedback for accounts, the
//! daily free allowance (atomic under concurrency), the trial and history ownership.

use careerswitch::db;
use chrono::{Duration, Utc};
use diesel::prelude::*;

use crate::helpers::{Browser, TestApp, spawn_app};

const PASSWORD: &str = "violet harbour lantern";
const ROLE: &str = "data-analyst";
const ANSWER: &str = "At my last job the operations manager asked whether our Saturday \
    delivery slots were worth keeping. My task was to find out before the budget meeting. I \
    pulled six months of orders with SQL, cleaned the duplicates in Excel and joined them to \
    the driver costs. I found that Saturday orders were 40 percent lower than on weekdays but \
    cost twice as much per drop. As a result, the team decided to move the slots to Friday \
    evenings, which saved about 3,000 pounds a month.";

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
        .unwrap()
        .id
}

fn question_ids(app: &TestApp, role: &str) -> Vec<i32> {
    let mut conn = app.state.pool.get().unwrap();
    db::practice::questions_for(&mut conn, role)
        .unwrap()
        .into_iter()
        .map(|q| q.id)
        .collect()
}

fn attempts(app: &TestApp, email: &str) -> Vec<db::practice::Attempt> {
    let id = user_id(app, email);
    let mut conn = app.state.pool.get().unwrap();
    db::practice::attempts_of(&mut conn, id).unwrap()
}

async fn answer(b: &Browser, q: i32, text: &str) -> crate::helpers::Page {
    let path = format!("/practice/{ROLE}?q={q}");
    b.submit(
        &path,
        &format!("/practice/{ROLE}"),
        &[("question", &q.to_string()), ("answer", text)],
    )
    .await
}

#[actix_web::test]
async fn visitors_read_questions_and_are_asked_to_sign_in_for_feedback() {
    let app = spawn_app().await;
    let guide = app
        .browser()
        .get("/careers/cloud-engineer-to-backend-developer")
        .await;
    assert!(guide.html.contains(r#"href="/practice/backend-developer""#));

    let ids = question_ids(&app, ROLE);
    assert!(ids.len() >= 8, "{} questions", ids.len());
    let visitor = app.browser();
    let index = visitor.get(&format!("/practice/{ROLE}")).await;
    assert_eq!(index.status, 200);
    assert!(index.text().contains("Surprise me"));
    let page = visitor.get(&format!("/practice/{ROLE}?q={}", ids[0])).await;
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Sign in to get feedback"));
    assert!(!page.html.contains("<textarea"));

    let surprise = visitor.get(&format!("/practice/{ROLE}/surprise")).await;
    assert_eq!(surprise.status, 303);
    let to = surprise.location.unwrap();
    assert!(to.starts_with(&format!("/practice/{ROLE}?q=")), "{to}");

    let token = visitor.get("/sign-in").await.csrf();
    let post = visitor
        .post(
            &format!("/practice/{ROLE}"),
            &[
                ("question", &ids[0].to_string()),
                ("answer", ANSWER),
                ("csrf_token", &token),
            ],
        )
        .await;
    assert_eq!(post.status, 303);
    let to_sign_in = post.location.unwrap();
    assert!(to_sign_in.starts_with("/sign-in?next="), "{to_sign_in}");
    // What they typed waits for them: after signing in, it is back in the box.
    assert_eq!(
        visitor.register("late@example.com", PASSWORD).await.status,
        200
    );
    assert_eq!(
        visitor.sign_in("late@example.com", PASSWORD).await.status,
        303
    );
    let back = visitor.get(&format!("/practice/{ROLE}?q={}", ids[0])).await;
    assert!(
        back.html.contains("operations manager asked whether"),
        "{}",
        back.text()
    );
    let again = visitor.get(&format!("/practice/{ROLE}?q={}", ids[0])).await;
    assert!(
        !again.html.contains("operations manager asked whether"),
        "shown once"
    );

    assert_eq!(visitor.get("/practice/no-such-role").await.status, 404);
    // A question of another role is not this role's.
    let other = question_ids(&app, "data-engineer")[0];
    assert_eq!(
        visitor
            .get(&format!("/practice/{ROLE}?q={other}"))
            .await
            .status,
        404
    );
}

#[actix_web::test]
async fn feedback_is_specific_and_the_free_limit_keeps_the_answer() {
    let app = spawn_app().await;
    let b = signed_in(&app, "practice@example.com").await;
    let q = question_ids(&app, ROLE)[0];

    let first = b.get(&format!("/practice/{ROLE}?q={q}")).await;
    assert!(
        first.text().contains("3 of 3 free answers left today"),
        "{}",
        first.text()
    );
    assert!(first.text().contains("Your free answers reset at 00:00"));

    let page = answer(&b, q, ANSWER).await;
    assert_eq!(page.status, 200, "{}", page.text());
    let text = page.text();
    assert!(text.contains("Feedback on your answer"));
    assert!(text.contains("2 of 3 free answers left today"));
    assert!(text.contains("You covered"));
    assert!(text.contains("Structure (situation, task, action, result)"));
    let stored = attempts(&app, "practice@example.com");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].answer, ANSWER);
    assert!(stored[0].points_covered > 0);
    assert!(text.contains(&format!("You covered {} of the", stored[0].points_covered)));

    // Empty answers are refused with a message and cost nothing.
    let empty = answer(&b, q, "   ").await;
    assert_eq!(empty.status, 422);
    assert!(empty.text().contains("Type your answer first"));
    assert_eq!(attempts(&app, "practice@example.com").len(), 1);

    assert_eq!(
        answer(&b, q, "I would check the logs first.").await.status,
        200
    );
    let third = answer(&b, q, "I would ask the team.").await;
    assert!(third.text().contains("0 of 3 free answers left today"));

    let typed = "My fourth answer, which must not be lost.";
    let blocked = answer(&b, q, typed).await;
    assert_eq!(blocked.status, 429);
    let text = blocked.text();
    assert!(
        text.contains("You have used today's free answers"),
        "{text}"
    );
    assert!(!text.contains("Feedback on your answer"));
    assert!(
        blocked.html.contains(typed),
        "the answer is kept in the box"
    );
    assert!(text.contains("Start my free 7-day trial"));
    assert_eq!(attempts(&app, "practice@example.com").len(), 3);
}

#[actix_web::test]
async fn twenty_parallel_answers_from_a_free_account_get_exactly_three_feedbacks() {
    let app = spawn_app().await;
    let b = signed_in(&app, "burst@example.com").await;
    let q = question_ids(&app, ROLE)[1];
    let path = format!("/practice/{ROLE}?q={q}");
    let token = b.get(&path).await.csrf();
    let action = format!("/practice/{ROLE}");
    let qs = q.to_string();
    let sends = (0..20).map(|i| {
        let text = format!("Answer number {i}: I checked the logs and fixed it.");
        let (b, action, token, qs) = (&b, &action, &token, &qs);
        async move {
            b.post(
                action,
                &[
                    ("question", qs.as_str()),
                    ("answer", &text),
                    ("csrf_token", token),
                ],
            )
            .await
            .status
        }
    });
    let statuses = futures_util::future::join_all(sends).await;
    let given = statuses.iter().filter(|s| **s == 200).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((given, refused), (3, 17), "{statuses:?}");
    assert_eq!(attempts(&app, "burst@example.com").len(), 3);
}

#[actix_web::test]
async fn the_allowance_resets_on_the_next_local_day() {
    let app = spawn_app().await;
    let b = signed_in(&app, "tomorrow@example.com").await;
    let q = question_ids(&app, ROLE)[0];
    for _ in 0..3 {
        assert_eq!(answer(&b, q, ANSWER).await.status, 200);
    }
    assert_eq!(answer(&b, q, ANSWER).await.status, 429);
    // Move the three answers to yesterday: today's allowance is whole again.
    let id = user_id(&app, "tomorrow@example.com");
    {
        use careerswitch::db::schema::practice_attempts::dsl as a;
        let mut conn = app.state.pool.get().unwrap();
        let yesterday = Utc::now().date_naive() - Duration::days(1);
        diesel::update(a::practice_attempts.filter(a::user_id.eq(id)))
            .set(a::local_day.eq(yesterday))
            .execute(&mut *conn)
            .unwrap();
    }
    let page = b.get(&format!("/practice/{ROLE}?q={q}")).await;
    assert!(
        page.text().contains("3 of 3 free answers left today"),
        "{}",
        page.text()
    );
    assert_eq!(answer(&b, q, ANSWER).await.status, 200);
}

#[actix_web::test]
async fn a_trial_is_unlimited_once_per_account_and_expires() {
    let app = spawn_app().await;
    let email = "trial@example.com";
    let b = signed_in(&app, email).await;
    let q = question_ids(&app, ROLE)[2];
    for _ in 0..3 {
        answer(&b, q, ANSWER).await;
    }
    let blocked = answer(&b, q, "Kept while I start the trial.").await;
    assert_eq!(blocked.status, 429);

    // Starting the trial from the gate brings the answer back into the box.
    let started = b
        .post(
            "/practice/trial",
            &[
                ("csrf_token", &blocked.csrf()),
                ("role", ROLE),
                ("question", &q.to_string()),
                ("answer", "Kept while I start the trial."),
            ],
        )
        .await;
    assert_eq!(started.status, 303);
    let back = b.get(&started.location.unwrap()).await;
    assert!(back.html.contains("Kept while I start the trial."));
    assert!(back.text().contains("Trial: unlimited feedback until"));
    for _ in 0..4 {
        assert_eq!(answer(&b, q, ANSWER).await.status, 200);
    }

    // A second trial is refused.
    let again = b.submit("/upgrade", "/practice/trial", &[]).await;
    assert_eq!(again.location.as_deref(), Some("/upgrade?trial=used"));
    let upgrade = b.get("/upgrade?trial=used").await;
    assert!(upgrade.text().contains("already had its free trial"));

    // When the week is over the account is free again; trial answers did not count.
    let id = user_id(&app, email);
    {
        use careerswitch::db::schema::subscriptions::dsl as s;
        let mut conn = app.state.pool.get().unwrap();
        diesel::update(s::subscriptions.find(id))
            .set(s::trial_ends_at.eq(Some(Utc::now().naive_utc() - Duration::minutes(1))))
            .execute(&mut *conn)
            .unwrap();
    }
    assert_eq!(answer(&b, q, ANSWER).await.status, 429);
    assert!(
        !b.get("/upgrade")
            .await
            .html
            .contains("Start my 7-day trial")
    );

    // Premium, granted in the one place tiers change, is unlimited.
    {
        let mut conn = app.state.pool.get().unwrap();
        db::practice::set_premium(&mut conn, id, true, Utc::now().naive_utc()).unwrap();
    }
    let page = answer(&b, q, ANSWER).await;
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Premium: unlimited feedback."));
}

#[actix_web::test]
async fn history_shows_coverage_over_time_and_only_to_its_owner() {
    let app = spawn_app().await;
    let owner = signed_in(&app, "owner@example.com").await;
    let q = question_ids(&app, ROLE)[0];
    answer(&owner, q, "I would look at it.").await;
    answer(&owner, q, ANSWER).await;
    let history = owner.get("/practice/history").await;
    assert_eq!(history.status, 200);
    let text = history.text();
    assert!(text.contains("more than the attempt before"), "{text}");
    let mine = attempts(&app, "owner@example.com");
    let detail = owner
        .get(&format!("/practice/history/{}", mine[0].id))
        .await;
    assert_eq!(detail.status, 200);
    assert!(detail.text().contains("saved about 3,000 pounds a month"));

    // The data export carries the attempts, and never the calendar secret.
    let export = owner.get("/account/export").await;
    assert_eq!(export.status, 200);
    let json: serde_json::Value = serde_json::from_str(&export.html).unwrap();
    let exported = json["practice"]["attempts"].as_array().unwrap();
    assert_eq!(exported.len(), 2);
    assert_eq!(exported[0]["answer"], ANSWER);
    assert_eq!(json["practice"]["premium"], false);

    let other = signed_in(&app, "other@example.com").await;
    assert_eq!(
        other
            .get(&format!("/practice/history/{}", mine[0].id))
            .await
            .status,
        404
    );
    assert!(
        !other
            .get("/practice/history")
            .await
            .text()
            .contains("saved about 3,000 pounds")
    );
    assert_eq!(app.browser().get("/practice/history").await.status, 303);
}
