//! Saved moves, plans, milestones and calendar feeds, end to end, and that nobody can
//! reach anyone else's.

use std::str::FromStr;

use careerswitch::db;
use icalendar::{Component, DatePerhapsTime};

use crate::helpers::{Browser, Page, TestApp, between, spawn_app};

const PASSWORD: &str = "violet harbour lantern";
const GUIDE: &str = "/careers/cloud-engineer-to-backend-developer";

async fn signed_in(app: &TestApp, email: &str) -> Browser {
    let b = app.browser();
    assert_eq!(b.register(email, PASSWORD).await.status, 200);
    let page = b.sign_in(email, PASSWORD).await;
    assert_eq!(page.status, 303, "{}", page.text());
    b
}

fn user_id(app: &TestApp, email: &str) -> i32 {
    let mut conn = app.state.pool.get().unwrap();
    db::users::find_by_email(&mut conn, email)
        .unwrap()
        .expect("account exists")
        .id
}

fn saved_of(app: &TestApp, email: &str) -> Vec<db::plans::SavedTransition> {
    let id = user_id(app, email);
    let mut conn = app.state.pool.get().unwrap();
    db::plans::list_saved(&mut conn, id).unwrap()
}

fn plans_of(app: &TestApp, email: &str) -> Vec<db::plans::Plan> {
    let id = user_id(app, email);
    let mut conn = app.state.pool.get().unwrap();
    db::plans::plans_of(&mut conn, id).unwrap()
}

pub(crate) fn milestones(app: &TestApp, plan_id: i32) -> Vec<db::plans::Milestone> {
    let mut conn = app.state.pool.get().unwrap();
    db::plans::milestones_of(&mut conn, plan_id).unwrap()
}

/// Saves the Cloud Engineer → Backend Developer move from its guide page.
async fn save_from_guide(b: &Browser, note: &str) -> Page {
    b.submit(
        GUIDE,
        "/saved",
        &[
            ("from", "cloud-engineer"),
            ("to", "backend-developer"),
            ("note", note),
        ],
    )
    .await
}

/// Saves the move and builds a plan for it; returns the plan's id.
pub(crate) async fn build_plan(
    app: &TestApp,
    b: &Browser,
    email: &str,
    months: &str,
    hours: &str,
) -> i32 {
    assert_eq!(save_from_guide(b, "").await.status, 303);
    let saved = saved_of(app, email)[0].id.to_string();
    let new_path = format!("/plans/new?saved={saved}");
    let created = b
        .submit(
            &new_path,
            "/plans",
            &[
                ("saved", &saved),
                ("start_date", "2027-01-04"),
                ("months", months),
                ("hours_per_week", hours),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.text());
    let location = created.location.unwrap();
    location
        .strip_prefix("/plans/")
        .unwrap()
        .parse()
        .expect("plan id")
}

pub(crate) fn edit_fields<'a>(
    m: &'a db::plans::Milestone,
    status: &'a str,
) -> Vec<(&'a str, String)> {
    vec![
        ("title", m.title.clone()),
        (
            "starts_on",
            m.starts_on.map(|d| d.to_string()).unwrap_or_default(),
        ),
        (
            "due_on",
            m.due_on.map(|d| d.to_string()).unwrap_or_default(),
        ),
        ("notes", m.notes.clone()),
        ("status", status.to_owned()),
    ]
}

pub(crate) async fn post_edit(
    b: &Browser,
    plan: i32,
    m: &db::plans::Milestone,
    fields: &[(&str, String)],
) -> Page {
    let page = format!("/plans/{plan}");
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    b.submit(&page, &format!("/plans/{plan}/milestones/{}", m.id), &refs)
        .await
}

#[tokio::test]
async fn save_build_edit_complete_and_see_progress() {
    let app = spawn_app().await;
    let email = "planner@example.com";
    let b = signed_in(&app, email).await;

    // The guide shows a save form to a signed-in user, and then "Saved".
    let guide = b.get(GUIDE).await;
    assert!(guide.html.contains(r#"action="/saved""#));
    let saved = save_from_guide(&b, "Ask Sam about the team").await;
    assert_eq!(saved.location.as_deref(), Some(GUIDE));
    let guide = b.get(GUIDE).await;
    assert!(guide.html.contains("/plans/new?saved="), "a plan button");
    assert!(guide.html.contains("Unsave"));
    assert!(guide.text().contains("Ask Sam about the team"));

    let plan_id = build_plan(&app, &b, email, "9", "10").await;
    let items = milestones(&app, plan_id);
    assert!(items.iter().any(|m| m.kind == "learn"));
    assert!(items.iter().any(|m| m.kind == "cv"));
    assert!(items.iter().any(|m| m.kind == "apply"));

    let page = b.get(&format!("/plans/{plan_id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.html.contains(r#"role="img""#), "an SVG timeline");
    assert!(page.text().contains("0 of"), "{}", page.text());
    for m in &items {
        assert!(page.text().contains(&m.title), "the list shows {}", m.title);
    }

    // Rename and re-date the first learning milestone, with a note.
    let learn = items.iter().find(|m| m.kind == "learn").unwrap().clone();
    let mut fields = edit_fields(&learn, "in_progress");
    fields[0].1 = "SQL evening course".into();
    fields[3].1 = "Tuesdays at the library".into();
    assert_eq!(post_edit(&b, plan_id, &learn, &fields).await.status, 303);
    let after = milestones(&app, plan_id);
    let edited = after.iter().find(|m| m.id == learn.id).unwrap();
    assert_eq!(edited.title, "SQL evening course");
    assert_eq!(edited.status, "in_progress");
    assert!(edited.edited);

    // Complete one, drop one: progress is done ÷ (all − dropped).
    let cv = after.iter().find(|m| m.kind == "cv").unwrap().clone();
    assert_eq!(
        post_edit(&b, plan_id, &cv, &edit_fields(&cv, "done"))
            .await
            .status,
        303
    );
    let network = after.iter().find(|m| m.kind == "network").unwrap().clone();
    assert_eq!(
        post_edit(&b, plan_id, &network, &edit_fields(&network, "dropped"))
            .await
            .status,
        303
    );
    let counted = after.len() - 1;
    let expected = 100 / counted;
    let text = b.get(&format!("/plans/{plan_id}")).await.text();
    assert!(
        text.contains(&format!("1 of {counted} milestones done")),
        "{text}"
    );
    assert!(text.contains(&format!("{expected}%")));

    // Add, move and remove a milestone of one's own.
    let add = b
        .submit(
            &format!("/plans/{plan_id}"),
            &format!("/plans/{plan_id}/milestones"),
            &[
                ("title", "Visit a careers fair"),
                ("starts_on", "2027-03-01"),
                ("due_on", "2027-03-02"),
                ("notes", ""),
            ],
        )
        .await;
    assert_eq!(add.status, 303);
    let with_added = milestones(&app, plan_id);
    let added = with_added.last().unwrap().clone();
    assert_eq!(added.title, "Visit a careers fair");
    assert_eq!(added.kind, "custom");
    let moved = b
        .submit(
            &format!("/plans/{plan_id}"),
            &format!("/plans/{plan_id}/milestones/{}/move", added.id),
            &[("direction", "up")],
        )
        .await;
    assert_eq!(moved.status, 303);
    let order = milestones(&app, plan_id);
    assert_eq!(order[order.len() - 2].id, added.id, "moved up one place");
    let removed = b
        .submit(
            &format!("/plans/{plan_id}"),
            &format!("/plans/{plan_id}/milestones/{}/delete", added.id),
            &[],
        )
        .await;
    assert_eq!(removed.status, 303);
    assert_eq!(milestones(&app, plan_id).len(), after.len());

    // The dashboard lists the move with its score, pay change, plan and what is due.
    let dash = b.get("/dashboard").await;
    assert_eq!(dash.status, 200);
    let text = dash.text();
    assert!(
        text.contains("Cloud Engineer to Backend Developer"),
        "{text}"
    );
    assert!(text.contains("Skill overlap") && text.contains("%"));
    assert!(text.contains(&format!("{expected}% done")), "{text}");
    assert!(
        text.contains("SQL evening course"),
        "what is due next: {text}"
    );

    // Archive: the plan stays readable and a new one can be built.
    let archived = b
        .submit(
            &format!("/plans/{plan_id}"),
            &format!("/plans/{plan_id}/archive"),
            &[],
        )
        .await;
    assert_eq!(archived.status, 303);
    assert_eq!(plans_of(&app, email)[0].status, "archived");
    let saved = saved_of(&app, email)[0].id;
    assert_eq!(
        b.get(&format!("/plans/new?saved={saved}")).await.status,
        200
    );
}

#[tokio::test]
async fn bad_input_comes_back_with_messages_and_nothing_stored() {
    let app = spawn_app().await;
    let email = "careful@example.com";
    let b = signed_in(&app, email).await;
    save_from_guide(&b, "").await;
    let saved = saved_of(&app, email)[0].id.to_string();
    let new_path = format!("/plans/new?saved={saved}");
    for (months, hours, message) in [
        ("13", "10", "between 6 and 12 months"),
        ("5", "10", "between 6 and 12 months"),
        ("9", "0", "between 1 and 40"),
        ("9", "41", "between 1 and 40"),
    ] {
        let page = b
            .submit(
                &new_path,
                "/plans",
                &[
                    ("saved", &saved),
                    ("start_date", "2027-01-04"),
                    ("months", months),
                    ("hours_per_week", hours),
                ],
            )
            .await;
        assert_eq!(page.status, 422);
        assert!(page.text().contains(message), "{}", page.text());
        assert!(
            page.html.contains(&format!(r#"value="{hours}""#)),
            "keeps what was typed"
        );
    }
    assert!(plans_of(&app, email).is_empty());

    let long = "n".repeat(501);
    let page = b
        .submit(
            "/dashboard",
            &format!("/saved/{saved}/note"),
            &[("note", &long), ("next", "/dashboard")],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.text().contains("Keep the note under 500 characters"));
    assert!(page.html.contains(&long), "keeps what was typed");
    assert_eq!(saved_of(&app, email)[0].note, "");

    let plan_id = {
        let created = b
            .submit(
                &new_path,
                "/plans",
                &[
                    ("saved", &saved),
                    ("start_date", "2027-01-04"),
                    ("months", "6"),
                    ("hours_per_week", "10"),
                ],
            )
            .await;
        assert_eq!(created.status, 303);
        plans_of(&app, email)[0].id
    };
    let m = milestones(&app, plan_id)[0].clone();
    let mut fields = edit_fields(&m, "done");
    fields[0].1 = "  ".into();
    let page = post_edit(&b, plan_id, &m, &fields).await;
    assert_eq!(page.status, 422);
    assert!(page.text().contains("Give the milestone a title"));
    let mut fields = edit_fields(&m, "done");
    fields[0].1 = "Renamed".into();
    fields[2].1 = "2028-06-01".into();
    let page = post_edit(&b, plan_id, &m, &fields).await;
    assert_eq!(page.status, 422);
    assert!(
        page.text().contains("Choose dates inside the plan"),
        "{}",
        page.text()
    );
    assert!(
        page.html.contains(r#"value="Renamed""#),
        "keeps what was typed"
    );
    assert!(page.html.contains(r#"value="2028-06-01""#));
    let stored = milestones(&app, plan_id)[0].clone();
    assert_eq!(stored.title, m.title, "nothing half-stored");
    assert_eq!(stored.status, m.status);
}

#[tokio::test]
async fn too_little_time_says_so_and_leaves_skills_after_the_plan() {
    let app = spawn_app().await;
    let email = "busy@example.com";
    let b = signed_in(&app, email).await;
    let plan_id = build_plan(&app, &b, email, "6", "1").await;
    let items = milestones(&app, plan_id);
    let undated: Vec<_> = items.iter().filter(|m| m.due_on.is_none()).collect();
    assert!(!undated.is_empty(), "1 hour a week cannot fit every gap");
    let plan = plans_of(&app, email)[0].clone();
    let end = careerswitch::domain::plan::end_date(plan.start_date, 6);
    for m in items.iter().filter(|m| m.due_on.is_some()) {
        assert!(m.starts_on.unwrap() >= plan.start_date && m.due_on.unwrap() <= end);
    }
    let text = b.get(&format!("/plans/{plan_id}")).await.text();
    assert!(text.contains("until after this plan"), "{text}");
    assert!(text.contains("hours a week they would all fit") || text.contains("Even at 40 hours"));
}

#[tokio::test]
async fn a_signed_out_save_waits_for_sign_in() {
    let app = spawn_app().await;
    let email = "later@example.com";
    app.browser().register(email, PASSWORD).await;

    let b = app.browser();
    let guide = b.get(GUIDE).await;
    assert!(guide.set_cookie.is_empty(), "a guide sets no cookie");
    let link = between(&guide.html, r#"href="/saved/new?"#, "\"").expect("a save link");
    let form_path = format!(
        "/saved/new?{}",
        link.replace("&amp;", "&").replace("&#38;", "&")
    );
    let saved = b
        .submit(
            &form_path,
            "/saved",
            &[
                ("from", "cloud-engineer"),
                ("to", "backend-developer"),
                ("note", "Saved before signing in"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303);
    let next = saved.location.unwrap();
    assert!(
        next.starts_with("/sign-in?next=%2Fcareers") || next.starts_with("/sign-in?next=/careers"),
        "{next}"
    );
    assert!(saved_of(&app, email).is_empty());

    let signed = b
        .submit(
            &next,
            "/sign-in",
            &[("email", email), ("password", PASSWORD), ("next", GUIDE)],
        )
        .await;
    assert_eq!(signed.status, 303);
    assert_eq!(signed.location.as_deref(), Some(GUIDE));
    let saved = saved_of(&app, email);
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].note, "Saved before signing in");
    // Applied once: signing in again saves nothing twice.
    b.sign_out().await;
    b.sign_in(email, PASSWORD).await;
    assert_eq!(saved_of(&app, email).len(), 1);
}

#[tokio::test]
async fn unsaving_a_move_with_a_plan_asks_first() {
    let app = spawn_app().await;
    let email = "unsave@example.com";
    let b = signed_in(&app, email).await;
    let plan_id = build_plan(&app, &b, email, "6", "10").await;
    let saved = saved_of(&app, email)[0].id;
    let ask = b
        .submit(GUIDE, &format!("/saved/{saved}/delete"), &[("next", GUIDE)])
        .await;
    assert_eq!(ask.status, 200);
    assert!(ask.text().contains("cannot be undone"));
    assert_eq!(saved_of(&app, email).len(), 1);
    let done = b
        .submit(
            GUIDE,
            &format!("/saved/{saved}/delete"),
            &[("next", GUIDE), ("confirm", "yes")],
        )
        .await;
    assert_eq!(done.status, 303);
    assert!(saved_of(&app, email).is_empty());
    assert!(milestones(&app, plan_id).is_empty());
}

#[tokio::test]
async fn regenerating_asks_first_and_keeps_edits() {
    let app = spawn_app().await;
    let email = "regen@example.com";
    let b = signed_in(&app, email).await;
    let plan_id = build_plan(&app, &b, email, "9", "10").await;
    let items = milestones(&app, plan_id);
    let learn = items.iter().find(|m| m.kind == "learn").unwrap().clone();
    let mut fields = edit_fields(&learn, "not_started");
    fields[0].1 = "My own wording".into();
    post_edit(&b, plan_id, &learn, &fields).await;
    let page = format!("/plans/{plan_id}");
    let action = format!("/plans/{plan_id}/regenerate");

    let preview = b.submit(&page, &action, &[]).await;
    assert_eq!(preview.status, 200);
    assert!(
        preview.text().contains("My own wording"),
        "{}",
        preview.text()
    );
    assert!(preview.text().contains("Nothing has changed yet"));
    assert_eq!(
        milestones(&app, plan_id).len(),
        items.len(),
        "a preview changes nothing"
    );

    assert_eq!(
        b.submit(&page, &action, &[("choice", "keep")]).await.status,
        303
    );
    let kept = milestones(&app, plan_id);
    assert!(
        kept.iter()
            .any(|m| m.id == learn.id && m.title == "My own wording")
    );
    assert_eq!(kept.len(), items.len());

    assert_eq!(
        b.submit(&page, &action, &[("choice", "replace")])
            .await
            .status,
        303
    );
    let replaced = milestones(&app, plan_id);
    assert!(!replaced.iter().any(|m| m.title == "My own wording"));
    assert_eq!(replaced.len(), items.len());
}

fn parse_feed(body: &str) -> Vec<(String, chrono::NaiveDate)> {
    let cal = icalendar::Calendar::from_str(body).expect("valid iCalendar");
    cal.events()
        .map(|e| {
            let date = match e.get_start().expect("DTSTART") {
                DatePerhapsTime::Date(d) => d,
                other => panic!("all-day events expected, got {other:?}"),
            };
            (e.get_summary().unwrap().to_owned(), date)
        })
        .collect()
}

#[tokio::test]
async fn the_calendar_feed_parses_back_to_the_milestones_and_can_be_revoked() {
    let app = spawn_app().await;
    let email = "calendar@example.com";
    let b = signed_in(&app, email).await;
    let plan_id = build_plan(&app, &b, email, "6", "10").await;
    let expected: Vec<(String, chrono::NaiveDate)> = milestones(&app, plan_id)
        .into_iter()
        .filter_map(|m| Some((m.title, m.due_on?)))
        .collect();

    let download = b.get(&format!("/plans/{plan_id}/calendar.ics")).await;
    assert_eq!(download.status, 200);
    assert_eq!(parse_feed(&download.html), expected);

    let page = format!("/plans/{plan_id}");
    let reset = format!("/plans/{plan_id}/calendar/reset");
    assert_eq!(
        b.submit(&page, &reset, &[("choice", "reset")]).await.status,
        303
    );
    let token = plans_of(&app, email)[0]
        .calendar_token
        .clone()
        .expect("a feed");
    assert!(
        b.get(&page)
            .await
            .html
            .contains(&format!("/calendar/{token}.ics"))
    );
    // The feed needs no session: a calendar app fetches it.
    let (status, body) = app.get_text(&format!("/calendar/{token}.ics")).await;
    assert_eq!(status, 200);
    assert_eq!(parse_feed(&body), expected);
    assert!(
        app.get(&format!("/calendar/{token}.ics"))
            .await
            .headers()
            .get("set-cookie")
            .is_none()
    );

    // A new address: the old one stops working.
    b.submit(&page, &reset, &[("choice", "reset")]).await;
    let fresh = plans_of(&app, email)[0].calendar_token.clone().unwrap();
    assert_ne!(fresh, token);
    assert_eq!(
        app.get(&format!("/calendar/{token}.ics")).await.status(),
        404
    );
    assert_eq!(
        app.get(&format!("/calendar/{fresh}.ics")).await.status(),
        200
    );
    b.submit(&page, &reset, &[("choice", "stop")]).await;
    assert_eq!(
        app.get(&format!("/calendar/{fresh}.ics")).await.status(),
        404
    );
    assert_eq!(app.get("/calendar/not-a-token.ics").await.status(), 404);
}

#[tokio::test]
async fn another_users_ids_are_not_found_on_every_route() {
    let app = spawn_app().await;
    let owner_email = "owner@example.com";
    let owner = signed_in(&app, owner_email).await;
    let plan_id = build_plan(&app, &owner, owner_email, "6", "10").await;
    let saved = saved_of(&app, owner_email)[0].id;
    let mid = milestones(&app, plan_id)[0].id;
    let before = milestones(&app, plan_id);

    let other = signed_in(&app, "other@example.com").await;
    // The other user has a plan of their own, so their ids exist too.
    let own_plan = build_plan(&app, &other, "other@example.com", "6", "10").await;
    let own_mid = milestones(&app, own_plan)[0].id;

    for path in [
        format!("/plans/{plan_id}"),
        format!("/plans/{plan_id}/calendar.ics"),
        format!("/plans/new?saved={saved}"),
    ] {
        assert_eq!(other.get(&path).await.status, 404, "GET {path}");
    }
    let fields: Vec<(&str, &str)> = vec![
        ("title", "Mine now"),
        ("starts_on", ""),
        ("due_on", ""),
        ("notes", "x"),
        ("status", "done"),
        ("direction", "up"),
        ("note", "x"),
        ("choice", "replace"),
        ("confirm", "yes"),
        ("months", "6"),
        ("hours_per_week", "10"),
        ("start_date", "2027-01-04"),
    ];
    let saved_s = saved.to_string();
    let mut create_fields = fields.clone();
    create_fields.push(("saved", &saved_s));
    let posts = [
        format!("/saved/{saved}/note"),
        format!("/saved/{saved}/delete"),
        format!("/plans/{plan_id}/milestones"),
        format!("/plans/{plan_id}/milestones/{mid}"),
        format!("/plans/{plan_id}/milestones/{mid}/delete"),
        format!("/plans/{plan_id}/milestones/{mid}/move"),
        format!("/plans/{plan_id}/archive"),
        format!("/plans/{plan_id}/regenerate"),
        format!("/plans/{plan_id}/calendar/reset"),
        // Their own plan with someone else's milestone.
        format!("/plans/{own_plan}/milestones/{mid}"),
        format!("/plans/{own_plan}/milestones/{mid}/delete"),
        format!("/plans/{own_plan}/milestones/{mid}/move"),
    ];
    for path in &posts {
        let page = other.submit("/dashboard", path, &fields).await;
        assert_eq!(page.status, 404, "POST {path}");
    }
    let page = other.submit("/dashboard", "/plans", &create_fields).await;
    assert_eq!(
        page.status, 404,
        "POST /plans with someone else's saved move"
    );
    // Someone else's plan with their own milestone id is a 404 too.
    let page = other
        .submit(
            "/dashboard",
            &format!("/plans/{plan_id}/milestones/{own_mid}"),
            &fields,
        )
        .await;
    assert_eq!(page.status, 404);

    // Nothing of the owner's changed, and the dashboard shows only the other's own.
    let after = milestones(&app, plan_id);
    assert_eq!(after.len(), before.len());
    assert!(
        after
            .iter()
            .zip(&before)
            .all(|(a, b)| a.title == b.title && a.status == b.status)
    );
    assert_eq!(plans_of(&app, owner_email)[0].status, "active");
    assert_eq!(plans_of(&app, owner_email)[0].calendar_token, None);
    assert_eq!(saved_of(&app, owner_email)[0].note, "");

    // Signed out: sent to sign in, never shown anything.
    let stranger = app.browser();
    let page = stranger.get(&format!("/plans/{plan_id}")).await;
    assert_eq!(page.status, 303);
    assert!(page.location.unwrap().starts_with("/sign-in"));
    assert_eq!(stranger.get("/dashboard").await.status, 303);
}

#[tokio::test]
async fn deleting_the_account_deletes_its_moves_and_plans() {
    let app = spawn_app().await;
    let email = "leaving@example.com";
    let b = signed_in(&app, email).await;
    let plan_id = build_plan(&app, &b, email, "6", "10").await;
    let id = user_id(&app, email);
    let gone = b
        .submit("/account", "/account/delete", &[("password", PASSWORD)])
        .await;
    assert_eq!(gone.status, 200, "{}", gone.text());
    let mut conn = app.state.pool.get().unwrap();
    assert!(db::plans::list_saved(&mut conn, id).unwrap().is_empty());
    assert!(db::plans::plans_of(&mut conn, id).unwrap().is_empty());
    assert!(
        db::plans::milestones_of(&mut conn, plan_id)
            .unwrap()
            .is_empty()
    );
}
