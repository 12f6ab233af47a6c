//! My skills: the profile, the "for you" panel (and that it never reaches the cache),
//! plans built around held skills, suggestions, and privacy.

use careerswitch::db;
use careerswitch::domain::profile::SkillLevel;

use crate::helpers::{Browser, Page, TestApp, between, spawn_app};

const PASSWORD: &str = "violet harbour lantern";

async fn signed_in(app: &TestApp, email: &str) -> Browser {
    let b = app.browser();
    assert_eq!(b.register(email, PASSWORD).await.status, 200);
    assert_eq!(b.sign_in(email, PASSWORD).await.status, 303);
    b
}

fn profile_of(app: &TestApp, email: &str) -> Option<careerswitch::domain::profile::Profile> {
    let mut conn = app.state.pool.get().unwrap();
    let user = db::users::find_by_email(&mut conn, email).unwrap().unwrap();
    db::profiles::stored(&mut conn, user.id).unwrap()
}

async fn post(b: &Browser, action: &str, fields: &[(&str, &str)]) -> Page {
    b.submit("/account/skills", action, fields).await
}

fn panel(page: &Page) -> String {
    between(
        &page.html,
        r#"aria-labelledby="for-you-heading""#,
        "</aside>",
    )
    .map(crate::helpers::visible_text)
    .unwrap_or_default()
}

#[tokio::test]
async fn a_profile_is_built_edited_and_checked() {
    let app = spawn_app().await;
    let b = signed_in(&app, "sam@example.com").await;
    let page = b.get("/account/skills").await;
    assert_eq!(page.status, 200);
    assert!(
        page.text()
            .contains("Start by choosing the role you are in now")
    );
    assert!(
        b.get("/account")
            .await
            .html
            .contains(r#"href="/account/skills""#)
    );

    let set = post(
        &b,
        "/account/skills/role",
        &[("current_role", "data-analyst"), ("start_from_role", "on")],
    )
    .await;
    assert_eq!(set.status, 303);
    let profile = profile_of(&app, "sam@example.com").unwrap();
    assert_eq!(profile.current_role.as_deref(), Some("data-analyst"));
    assert_eq!(profile.skills.len(), 10, "the role's skills to start from");
    assert!(
        profile
            .skills
            .iter()
            .all(|s| s.level == SkillLevel::Working)
    );

    let changed = post(
        &b,
        "/account/skills",
        &[
            ("level_sql", "strong"),
            ("level_python", "learning"),
            ("remove_report-writing", "on"),
        ],
    )
    .await;
    assert_eq!(changed.status, 303);
    let profile = profile_of(&app, "sam@example.com").unwrap();
    assert_eq!(profile.level_of("sql"), Some(SkillLevel::Strong));
    assert_eq!(profile.level_of("python"), Some(SkillLevel::Learning));
    assert_eq!(profile.level_of("report-writing"), None);
    assert_eq!(profile.skills.len(), 9);

    // By name (as the picker fills it in), in any case, and by slug (the search's buttons).
    assert_eq!(
        post(
            &b,
            "/account/skills/add",
            &[("skill", "machine LEARNING"), ("level", "strong")]
        )
        .await
        .status,
        303
    );
    assert_eq!(
        post(
            &b,
            "/account/skills/add",
            &[("skill", "git"), ("level", "working")]
        )
        .await
        .status,
        303
    );
    let profile = profile_of(&app, "sam@example.com").unwrap();
    assert_eq!(
        profile.level_of("machine-learning"),
        Some(SkillLevel::Strong)
    );
    assert_eq!(profile.level_of("git"), Some(SkillLevel::Working));

    let unknown = post(
        &b,
        "/account/skills/add",
        &[("skill", "Basket weaving"), ("level", "strong")],
    )
    .await;
    assert_eq!(unknown.status, 422);
    assert!(
        unknown
            .text()
            .contains("We have no skill called “Basket weaving”"),
        "{}",
        unknown.text()
    );
    assert!(
        unknown.html.contains(r#"value="Basket weaving""#),
        "what was typed is kept"
    );
    let bad_level = post(
        &b,
        "/account/skills/add",
        &[("skill", "SQL"), ("level", "guru")],
    )
    .await;
    assert_eq!(bad_level.status, 422);
    let bad_role = post(&b, "/account/skills/role", &[("current_role", "astronaut")]).await;
    assert_eq!(bad_role.status, 422);
    assert_eq!(
        profile_of(&app, "sam@example.com").unwrap(),
        profile,
        "nothing changed"
    );

    // Search without JavaScript lists matches with an add button each.
    let found = b.get("/account/skills?find=cloud").await;
    assert!(
        found.text().contains("Cloud architecture"),
        "{}",
        found.text()
    );
    assert!(
        found
            .html
            .contains(r#"name="skill" value="cloud-architecture""#)
    );
    assert!(
        found.html.contains(r#"<datalist id="skill-options">"#),
        "the picker's suggestions"
    );

    let shown = b.get("/account/skills").await.text();
    assert!(
        shown.contains("Machine learning extra"),
        "extra skills are marked: {shown}"
    );

    let export = b.get("/account/export").await;
    let json: serde_json::Value = serde_json::from_str(&export.html).unwrap();
    assert_eq!(json["skills_profile"]["current_role"], "data-analyst");
    assert!(
        json["skills_profile"]["skills"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["skill"] == "machine-learning" && s["level"] == "strong")
    );
}

#[tokio::test]
async fn the_for_you_panel_is_personal_and_never_cached() {
    let app = spawn_app().await;
    let guide = "/careers/data-analyst-to-data-scientist";
    let b = signed_in(&app, "sam@example.com").await;
    let public = app.browser().get(guide).await;
    assert!(panel(&public).is_empty(), "no panel for visitors");

    // Before a profile: an invitation.
    assert!(panel(&b.get(guide).await).contains("Set up my skills"));

    post(
        &b,
        "/account/skills/role",
        &[("current_role", "data-analyst"), ("start_from_role", "on")],
    )
    .await;
    let same = panel(&b.get(guide).await);
    assert!(same.contains("Your overlap"), "{same}");
    assert!(
        !same.contains("typical:"),
        "the role's own skills give the public figures: {same}"
    );

    post(
        &b,
        "/account/skills/add",
        &[("skill", "Machine learning"), ("level", "strong")],
    )
    .await;
    let mine = b.get(guide).await;
    let text = panel(&mine);
    assert!(
        text.contains("Your extra skills that help here: Machine learning"),
        "{text}"
    );
    assert!(
        text.contains("typical:"),
        "the overlap differs from the public one: {text}"
    );
    assert!(!text.contains("Machine learning (about"), "no longer a gap");

    // The cached body is the same for everyone, and holds nothing of Sam's.
    let (headers, visitor) = app.browser().get_with_headers(guide).await;
    assert_eq!(headers.get("x-cache").unwrap(), "HIT");
    assert!(panel(&visitor).is_empty());
    assert!(!visitor.html.contains("For you"));
    assert!(!visitor.html.contains("sam@example.com"));
    assert!(!visitor.html.contains("Your extra skills"));
    assert_eq!(
        between(&visitor.html, "<main", "</main>").map(|m| m.len()),
        between(&public.html, "<main", "</main>").map(|m| m.len()),
        "the visitor's page is the one served before Sam's visit"
    );

    // Another user sees their own panel, not Sam's.
    let pat = signed_in(&app, "pat@example.com").await;
    let theirs = panel(&pat.get(guide).await);
    assert!(!theirs.contains("Machine learning"), "{theirs}");
    let pat_page = pat.get("/account/skills").await.text();
    assert!(!pat_page.contains("Machine learning extra"));
}

#[tokio::test]
async fn plans_leave_out_held_skills_and_say_so() {
    let app = spawn_app().await;
    let email = "plan@example.com";
    let b = signed_in(&app, email).await;
    post(
        &b,
        "/account/skills/role",
        &[
            ("current_role", "cloud-engineer"),
            ("start_from_role", "on"),
        ],
    )
    .await;
    post(
        &b,
        "/account/skills/add",
        &[("skill", "SQL"), ("level", "strong")],
    )
    .await;
    post(
        &b,
        "/account/skills/add",
        &[("skill", "REST API design"), ("level", "learning")],
    )
    .await;
    let plan_id = crate::plans::build_plan(&app, &b, email, "9", "10").await;
    let items = crate::plans::milestones(&app, plan_id);
    assert!(
        !items.iter().any(|m| m.skill_slug.as_deref() == Some("sql")),
        "SQL is held: not planned"
    );
    assert!(
        items
            .iter()
            .any(|m| m.skill_slug.as_deref() == Some("api-design")),
        "learning is still planned"
    );
    assert!(
        items
            .iter()
            .any(|m| m.skill_slug.as_deref() == Some("database-design"))
    );
    let page = b.get(&format!("/plans/{plan_id}")).await.text();
    assert!(
        page.contains("SQL: left out, because your skills profile has it at strong level"),
        "{page}"
    );
    assert!(
        page.contains("REST API design: planned at about half the usual time"),
        "{page}"
    );

    // Learning takes about half: the same move for someone without the profile takes longer.
    let other = signed_in(&app, "plain@example.com").await;
    let plain_id = crate::plans::build_plan(&app, &other, "plain@example.com", "9", "10").await;
    let weeks = |id: i32| {
        crate::plans::milestones(&app, id)
            .into_iter()
            .find(|m| m.skill_slug.as_deref() == Some("api-design"))
            .map(|m| (m.due_on.unwrap() - m.starts_on.unwrap()).num_days())
            .unwrap()
    };
    assert!(
        weeks(plan_id) < weeks(plain_id),
        "{} vs {}",
        weeks(plan_id),
        weeks(plain_id)
    );
    let plain = other.get(&format!("/plans/{plain_id}")).await.text();
    assert!(!plain.contains("Built around the skills you have"));
}

#[tokio::test]
async fn the_dashboard_suggests_moves_ranked_by_the_users_own_overlap() {
    let app = spawn_app().await;
    let b = signed_in(&app, "sam@example.com").await;
    let before = b.get("/dashboard").await.text();
    assert!(
        before.contains("Tell us your current role and your skills"),
        "{before}"
    );

    post(
        &b,
        "/account/skills/role",
        &[("current_role", "data-analyst"), ("start_from_role", "on")],
    )
    .await;
    post(
        &b,
        "/account/skills/add",
        &[("skill", "Machine learning"), ("level", "strong")],
    )
    .await;
    let page = b.get("/dashboard").await;
    let list = between(&page.html, r#"<ol class="suggestions">"#, "</ol>").expect("suggestions");
    let items: Vec<String> = list
        .split("<li>")
        .skip(1)
        .map(crate::helpers::visible_text)
        .collect();
    assert!(!items.is_empty() && items.len() <= 6, "{items:?}");
    let percents: Vec<u32> = items
        .iter()
        .map(|i| {
            let lower = i.to_lowercase();
            let after = lower.split("viable: ").nth(1).unwrap().to_owned();
            after.split('%').next().unwrap().parse().unwrap()
        })
        .collect();
    assert!(
        percents.windows(2).all(|w| w[0] >= w[1]),
        "ranked: {percents:?}"
    );
    for (item, p) in items.iter().zip(&percents) {
        assert!(*p >= 30, "{item}");
        let mark = if *p >= 40 { "Highly viable" } else { "Viable" };
        assert!(item.contains(&format!("{mark}: {p}%")), "{item}");
        assert!(item.contains("carry over"), "explained: {item}");
        assert!(
            item.contains("the biggest") || item.contains("nothing"),
            "names the biggest gap: {item}"
        );
        assert!(
            item.contains("75%") || item.contains("pay cut"),
            "pay is said: {item}"
        );
    }
    // Data Scientist gains from the extra skill: it is among the suggestions, first or
    // level with the first.
    let ds = items
        .iter()
        .position(|i| i.starts_with("Data Scientist"))
        .expect("Data Scientist suggested");
    assert_eq!(percents[ds], percents[0]);
    assert!(list.contains(r#"href="/careers/data-analyst-to-data-scientist""#));
}
