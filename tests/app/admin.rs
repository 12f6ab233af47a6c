//! The admin area end to end: who may enter, every edit form valid and invalid, what a
//! published edit does to the public pages (and to the cache), history and restore, and
//! account management.

use careerswitch::db;

use crate::helpers::{Browser, Page, TestApp, form_fields, spawn_app, with_changes};

const PASSWORD: &str = "violet harbour lantern";

async fn signed_in(app: &TestApp, email: &str) -> Browser {
    let b = app.browser();
    assert_eq!(b.register(email, PASSWORD).await.status, 200);
    let page = b.sign_in(email, PASSWORD).await;
    assert_eq!(page.status, 303, "{}", gist(&page));
    b
}

fn user(app: &TestApp, email: &str) -> db::users::User {
    let mut conn = app.state.pool.get().unwrap();
    db::users::find_by_email(&mut conn, email)
        .unwrap()
        .expect("account exists")
}

/// A signed-in admin (made one the way `create-admin` does).
async fn admin(app: &TestApp, email: &str) -> Browser {
    let b = signed_in(app, email).await;
    let id = user(app, email).id;
    let mut conn = app.state.pool.get().unwrap();
    db::users::make_admin(&mut conn, id).unwrap();
    b
}

fn cache_state(headers: &reqwest::header::HeaderMap) -> String {
    headers
        .get("x-cache")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// Every admin page, and a POST to each admin action.
const ADMIN_PAGES: &[&str] = &[
    "/admin",
    "/admin/outbox",
    "/admin/roles",
    "/admin/roles/new",
    "/admin/roles/data-analyst",
    "/admin/skills",
    "/admin/skills/new",
    "/admin/skills/merge",
    "/admin/skills/sql",
    "/admin/questions",
    "/admin/questions/data-analyst",
    "/admin/questions/data-analyst/new",
    "/admin/questions/data-analyst/{question}",
    "/admin/notes",
    "/admin/notes/open?from=data-analyst&to=financial-analyst",
    "/admin/notes/data-analyst/financial-analyst",
    "/admin/revisions",
    "/admin/revisions/1",
    "/admin/audit",
    "/admin/users",
    "/admin/users/1",
];

const ADMIN_ACTIONS: &[&str] = &[
    "/admin/roles/new",
    "/admin/roles/data-analyst",
    "/admin/roles/data-analyst/retired",
    "/admin/skills/new",
    "/admin/skills/sql",
    "/admin/skills/merge",
    "/admin/questions/data-analyst/new",
    "/admin/questions/data-analyst/{question}",
    "/admin/questions/data-analyst/{question}/delete",
    "/admin/notes/data-analyst/financial-analyst",
    "/admin/revisions/1/restore",
    "/admin/users/1/premium",
    "/admin/users/1/disable",
    "/admin/users/1/enable",
];

#[tokio::test]
async fn every_admin_route_is_for_admins_only() {
    let app = spawn_app().await;
    let boss = admin(&app, "boss@example.com").await;
    // One revision to look at.
    let published = boss
        .edit_form(
            "/admin/skills/sql",
            "/admin/skills/sql",
            &[("learn_weeks", "9")],
        )
        .await;
    assert_eq!(published.status, 303, "{}", gist(&published));
    let question = {
        let mut conn = app.state.pool.get().unwrap();
        db::practice::questions_for(&mut conn, "data-analyst").unwrap()[0].id
    };
    let pages: Vec<String> = ADMIN_PAGES
        .iter()
        .map(|p| p.replace("{question}", &question.to_string()))
        .collect();
    let actions: Vec<String> = ADMIN_ACTIONS
        .iter()
        .map(|p| p.replace("{question}", &question.to_string()))
        .collect();
    for path in &pages {
        let page = boss.get(path).await;
        assert!(
            page.status == 200 || (page.status == 303 && path.contains("/open")),
            "{path}: {} {}",
            page.status,
            gist(&page)
        );
    }

    let stranger = app.browser();
    for path in &pages {
        let page = stranger.get(path).await;
        assert_eq!(page.status, 303, "{path}");
        assert!(
            page.location
                .as_deref()
                .unwrap_or("")
                .starts_with("/sign-in?next=/admin"),
            "{path}: {:?}",
            page.location
        );
    }
    // A signed-out POST with a valid form token is sent to sign in too; without one it is
    // refused before anything else.
    let token = stranger.get("/sign-in").await.csrf();
    for path in &actions {
        let page = stranger.post(path, &[("csrf_token", &token)]).await;
        assert_eq!(page.status, 303, "{path}");
        assert!(page.location.unwrap().starts_with("/sign-in"), "{path}");
        assert_eq!(stranger.post(path, &[]).await.status, 403, "{path}");
    }

    let pat = signed_in(&app, "pat@example.com").await;
    for path in &pages {
        let page = pat.get(path).await;
        assert_eq!(page.status, 403, "{path}");
        assert!(page.text().contains("admin"), "{path}: {}", gist(&page));
    }
    let token = pat.get("/account").await.csrf();
    for path in &actions {
        let page = pat
            .post(
                path,
                &[("csrf_token", &token), ("reason", "x"), ("premium", "on")],
            )
            .await;
        assert_eq!(page.status, 403, "{path}");
    }
    // Nothing an ordinary user tried changed anything.
    assert!(!user(&app, "pat@example.com").is_admin);
    assert_eq!(
        app.state
            .content
            .catalogue()
            .skill("sql")
            .unwrap()
            .learn_weeks,
        9
    );

    // A disabled admin is out at once.
    let other = admin(&app, "other-admin@example.com").await;
    let other_id = user(&app, "other-admin@example.com").id;
    let disabled = boss
        .edit_form(
            &format!("/admin/users/{other_id}"),
            &format!("/admin/users/{other_id}/disable"),
            &[("reason", "Left the team")],
        )
        .await;
    assert_eq!(disabled.status, 303, "{}", gist(&disabled));
    for path in ["/admin", "/admin/roles"] {
        let page = other.get(path).await;
        assert_eq!(page.status, 303, "{path}");
        assert!(page.location.unwrap().starts_with("/sign-in"));
    }
    let again = other.sign_in("other-admin@example.com", PASSWORD).await;
    assert_eq!(again.status, 403);
    assert!(again.text().contains("disabled"), "{}", gist(&again));
    assert!(again.text().contains("Left the team"), "{}", gist(&again));
}

/// The part of a page worth printing when a check fails: its messages, not its menus.
fn gist(page: &Page) -> String {
    let text = page.text();
    let from = ["Please fix", "Error", "Preview", "disabled"]
        .iter()
        .find_map(|m| text.find(m))
        .unwrap_or(0);
    format!(
        "status {}: {}",
        page.status,
        text.chars().skip(from).take(700).collect::<String>()
    )
}

#[tokio::test]
async fn a_salary_edit_shows_at_once_and_unrelated_pages_stay_cached() {
    let app = spawn_app().await;
    let boss = admin(&app, "boss@example.com").await;
    let visitor = app.browser();
    let affected = "/careers/financial-analyst-to-data-analyst";
    let unrelated = "/careers/registered-nurse-to-pharmacist";
    for path in [
        affected,
        unrelated,
        "/roles/data-analyst",
        "/roles/pharmacist",
    ] {
        let (first, _) = visitor.get_with_headers(path).await;
        assert_eq!(cache_state(&first), "MISS", "{path}");
        let (second, page) = visitor.get_with_headers(path).await;
        assert_eq!(cache_state(&second), "HIT", "{path}");
        assert_eq!(page.status, 200);
    }
    let (_, before) = visitor.get_with_headers(affected).await;
    assert!(!before.text().contains("£46,000"));

    // The senior band below the mid band is refused, with what was typed kept.
    let form = "/admin/roles/data-analyst";
    let refused = boss
        .edit_form(
            form,
            form,
            &[
                ("mid_min", "46000"),
                ("mid_max", "53000"),
                ("senior_min", "40000"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.text().contains("entry ≤ mid ≤ senior"),
        "{}",
        gist(&refused)
    );
    assert!(refused.text().contains("Nothing was published"));
    let kept = form_fields(&refused.html, form);
    assert!(
        kept.contains(&("mid_min".to_owned(), "46000".to_owned())),
        "{kept:?}"
    );
    assert!(kept.contains(&("senior_min".to_owned(), "40000".to_owned())));
    let (h, _) = visitor.get_with_headers(affected).await;
    assert_eq!(cache_state(&h), "HIT", "a refused edit changes nothing");

    // A preview shows the change without publishing it.
    let preview = boss
        .edit_form(
            form,
            form,
            &[
                ("mid_min", "46000"),
                ("mid_max", "53000"),
                ("action", "preview"),
            ],
        )
        .await;
    assert_eq!(preview.status, 200, "{}", gist(&preview));
    assert!(preview.text().contains("Preview: not published yet"));
    assert!(
        preview.text().contains("£46,000"),
        "the preview shows the new band"
    );
    let (h, page) = visitor.get_with_headers(affected).await;
    assert_eq!(cache_state(&h), "HIT");
    assert!(!page.text().contains("£46,000"), "not live yet");

    let published = boss
        .edit_form(form, form, &[("mid_min", "46000"), ("mid_max", "53000")])
        .await;
    assert_eq!(published.status, 303, "{}", gist(&published));
    assert_eq!(
        published.location.as_deref(),
        Some("/admin/roles/data-analyst?published=1")
    );
    assert_eq!(
        app.state
            .content
            .catalogue()
            .role("data-analyst")
            .unwrap()
            .salary
            .mid
            .min,
        46_000
    );
    for path in [affected, "/roles/data-analyst"] {
        let (h, page) = visitor.get_with_headers(path).await;
        assert_eq!(cache_state(&h), "MISS", "{path} was refreshed");
        assert!(page.text().contains("£46,000"), "{path} shows the new pay");
    }
    for path in [unrelated, "/roles/pharmacist"] {
        let (h, _) = visitor.get_with_headers(path).await;
        assert_eq!(cache_state(&h), "HIT", "{path} is untouched by the edit");
    }

    // The edit is a revision with a readable diff, and in the audit log.
    let revisions = boss.get("/admin/revisions").await;
    assert!(
        revisions.text().contains("Edited Data Analyst"),
        "{}",
        gist(&revisions)
    );
    let id = {
        let mut conn = app.state.pool.get().unwrap();
        db::admin::revisions(&mut conn, None, 1).unwrap()[0].id
    };
    let diff = boss.get(&format!("/admin/revisions/{id}")).await;
    assert!(
        diff.text().contains("− role.salary.mid: 35000 – 50000"),
        "{}",
        gist(&diff)
    );
    assert!(
        diff.text().contains("+ role.salary.mid: 46000 – 53000"),
        "{}",
        gist(&diff)
    );
    assert!(diff.text().contains("boss@example.com"));
    let audit = boss.get("/admin/audit").await;
    assert!(audit.text().contains("edited role"), "{}", gist(&audit));
}

#[tokio::test]
async fn restoring_an_older_revision_brings_its_version_back() {
    let app = spawn_app().await;
    let boss = admin(&app, "boss@example.com").await;
    let form = "/admin/roles/data-analyst";
    let original = app
        .state
        .content
        .catalogue()
        .role("data-analyst")
        .unwrap()
        .clone();
    assert_eq!(
        boss.edit_form(form, form, &[("title", "Insight Analyst")])
            .await
            .status,
        303
    );
    assert_eq!(
        boss.edit_form(form, form, &[("title", "Numbers Analyst")])
            .await
            .status,
        303
    );
    let revs = {
        let mut conn = app.state.pool.get().unwrap();
        db::admin::revisions(
            &mut conn,
            Some((db::admin::Entity::Role, "data-analyst")),
            10,
        )
        .unwrap()
    };
    assert_eq!(revs.len(), 2);
    let first = revs.last().unwrap().id;
    let page = boss.get(&format!("/admin/revisions/{first}")).await;
    assert!(
        page.text()
            .contains(&format!("− role.title: {}", original.title)),
        "{}",
        gist(&page)
    );
    assert!(page.text().contains("+ role.title: Insight Analyst"));
    let restored = boss
        .edit_form(
            &format!("/admin/revisions/{first}"),
            &format!("/admin/revisions/{first}/restore"),
            &[],
        )
        .await;
    assert_eq!(restored.status, 303, "{}", gist(&restored));
    let (_, role) = app.get_text("/roles/data-analyst").await;
    assert!(
        role.contains("Insight Analyst"),
        "the first edit's version is back"
    );
    assert!(!role.contains("Numbers Analyst"));
    let revs = {
        let mut conn = app.state.pool.get().unwrap();
        db::admin::revisions(
            &mut conn,
            Some((db::admin::Entity::Role, "data-analyst")),
            10,
        )
        .unwrap()
    };
    assert_eq!(revs.len(), 3, "a restore is itself a revision");
    assert!(
        revs[0]
            .summary
            .starts_with(&format!("Restored revision {first}"))
    );
}

#[tokio::test]
async fn role_form_refuses_bad_input_and_keeps_it() {
    let app = spawn_app().await;
    let boss = admin(&app, "boss@example.com").await;
    let form = "/admin/roles/data-analyst";
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("slug", "data-to-analyst")], "-to-"),
        (&[("slug", "Data Analyst")], "lowercase"),
        (
            &[("slug", "financial-analyst")],
            "already belongs to another role",
        ),
        (&[("title", "")], "Title: enter some text"),
        (
            &[("entry_min", "lots")],
            "Entry from: enter a yearly salary",
        ),
        (&[("salary_reviewed", "March")], "YYYY-MM-DD"),
        (
            &[
                ("skill_0", ""),
                ("skill_1", ""),
                ("skill_2", ""),
                ("skill_3", ""),
                ("skill_4", ""),
                ("skill_5", ""),
                ("skill_6", ""),
            ],
            "6 to 12 skills",
        ),
        (
            &[("activity_description_0", "")],
            "give both a heading and a description",
        ),
        (&[("routes_in", "  ")], "Routes in"),
        (&[("regulated", "on")], "Qualification: give its name"),
    ];
    let before = app
        .state
        .content
        .catalogue()
        .role("data-analyst")
        .unwrap()
        .clone();
    for (changes, message) in cases {
        let page = boss.edit_form(form, form, changes).await;
        assert_eq!(page.status, 422, "{changes:?}");
        assert!(
            page.text().contains(message),
            "{changes:?}: {}",
            gist(&page)
        );
        let fields = form_fields(&page.html, form);
        for (name, value) in changes.iter().filter(|(n, _)| !n.starts_with("skill_")) {
            if *name == "regulated" {
                continue;
            }
            assert!(
                fields
                    .iter()
                    .any(|(n, v)| n == name && v.trim() == value.trim()),
                "{name} kept as typed"
            );
        }
    }
    assert_eq!(
        app.state.content.catalogue().role("data-analyst").unwrap(),
        &before,
        "nothing was stored"
    );
    let mut conn = app.state.pool.get().unwrap();
    assert!(
        db::admin::revisions(&mut conn, None, 10)
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_new_slug_keeps_old_addresses_and_saved_moves_working() {
    let app = spawn_app().await;
    let boss = admin(&app, "boss@example.com").await;
    let planner = signed_in(&app, "planner@example.com").await;
    let plan_id = crate::plans::build_plan(&app, &planner, "planner@example.com", "9", "10").await;
    let milestones = |app: &TestApp| {
        crate::plans::milestones(app, plan_id)
            .into_iter()
            .map(|m| (m.id, m.title, m.skill_slug, m.due_on, m.status))
            .collect::<Vec<_>>()
    };
    let before = milestones(&app);
    let form = "/admin/roles/backend-developer";
    let published = boss
        .edit_form(
            form,
            form,
            &[
                ("slug", "api-developer"),
                ("title", "API Developer"),
                ("skill_0", ""),
            ],
        )
        .await;
    assert_eq!(published.status, 303, "{}", gist(&published));
    for (old, new) in [
        ("/roles/backend-developer", "/roles/api-developer"),
        (
            "/careers/cloud-engineer-to-backend-developer",
            "/careers/cloud-engineer-to-api-developer",
        ),
        (
            "/careers/backend-developer-to-cloud-engineer",
            "/careers/api-developer-to-cloud-engineer",
        ),
    ] {
        let page = app.browser().get(old).await;
        assert_eq!(page.status, 301, "{old}");
        assert_eq!(page.location.as_deref(), Some(new), "{old}");
        let (status, body) = app.get_text(new).await;
        assert_eq!(status, 200, "{new}");
        assert!(body.contains("API Developer"));
    }
    let dashboard = planner.get("/dashboard").await;
    assert!(
        dashboard.text().contains("Cloud Engineer to API Developer"),
        "{}",
        gist(&dashboard)
    );
    let plan = planner.get(&format!("/plans/{plan_id}")).await;
    assert_eq!(plan.status, 200);
    assert!(plan.text().contains("API Developer"));
    assert_eq!(
        milestones(&app),
        before,
        "a plan built earlier is the user's own: an edit to the role leaves it be"
    );
    // Renaming again keeps the first old slug working, straight to the newest.
    let form = "/admin/roles/api-developer";
    assert_eq!(
        boss.edit_form(form, form, &[("slug", "server-developer")])
            .await
            .status,
        303
    );
    let page = app.browser().get("/roles/backend-developer").await;
    assert_eq!(page.location.as_deref(), Some("/roles/server-developer"));
    // The role's history followed it.
    let edit = boss.get("/admin/roles/server-developer").await;
    assert!(
        edit.text()
            .contains("slug backend-developer → api-developer"),
        "{}",
        gist(&edit)
    );
}

#[tokio::test]
async fn markdown_in_role_text_is_rendered_and_sanitised() {
    let app = spawn_app().await;
    let boss = admin(&app, "boss@example.com").await;
    let form = "/admin/roles/data-analyst";
    let summary = "You turn **raw numbers** into decisions. <script>alert('x')</script> \
                   [Read more](javascript:alert(1)) <img src=x onerror=alert(2)> \
                   [ONS](https://www.ons.gov.uk)";
    let published = boss
        .edit_form(
            form,
            form,
            &[
                ("summary", summary),
                (
                    "activity_description_0",
                    "Pull data with *SQL*.\n\n- one\n- two",
                ),
            ],
        )
        .await;
    assert_eq!(published.status, 303, "{}", gist(&published));
    for path in [
        "/roles/data-analyst",
        "/careers/financial-analyst-to-data-analyst",
    ] {
        let (_, html) = app.get_text(path).await;
        let lower = html.to_lowercase();
        assert!(!lower.contains("alert("), "{path}: script survived");
        assert!(!lower.contains("javascript:"), "{path}");
        assert!(!lower.contains("onerror"), "{path}");
        if path.starts_with("/roles") {
            assert!(html.contains("<strong>raw numbers</strong>"), "{path}");
            assert!(
                html.contains(
                    r#"<a href="https://www.ons.gov.uk" rel="nofollow noopener">ONS</a>"#
                ),
                "{path}"
            );
        }
        assert!(
            html.contains("<em>SQL</em>"),
            "{path}: activities take Markdown"
        );
    }
    let (_, roles) = app.get_text("/roles?q=data").await;
    assert!(
        roles.contains("You turn raw numbers into decisions."),
        "the list shows plain text"
    );
}

#[tokio::test]
async fn a_retired_role_answers_gone_and_plans_keep_working() {
    let app = spawn_app().await;
    let boss = admin(&app, "boss@example.com").await;
    let planner = signed_in(&app, "planner@example.com").await;
    let plan_id = crate::plans::build_plan(&app, &planner, "planner@example.com", "9", "10").await;
    let retire = boss
        .edit_form(
            "/admin/roles/backend-developer",
            "/admin/roles/backend-developer/retired",
            &[],
        )
        .await;
    assert_eq!(retire.status, 303, "{}", gist(&retire));
    let (status, body) = app.get_text("/roles/backend-developer").await;
    assert_eq!(status, 410);
    assert!(body.contains("no longer listed"), "{body}");
    let (status, body) = app
        .get_text("/careers/cloud-engineer-to-backend-developer")
        .await;
    assert_eq!(status, 410);
    assert!(
        body.contains("Other career changes from Cloud Engineer"),
        "{body}"
    );
    assert!(
        body.contains("/careers/cloud-engineer-to-"),
        "links to live guides"
    );
    let (_, sitemap) = app.get_text("/sitemap.xml").await;
    let (_, roles) = app.get_text("/roles").await;
    assert!(!roles.contains("/roles/backend-developer\""), "not listed");
    assert!(!sitemap.contains("backend-developer-to"), "{sitemap}");

    let dashboard = planner.get("/dashboard").await;
    assert_eq!(dashboard.status, 200);
    assert!(
        dashboard.text().contains("no longer in our catalogue"),
        "{}",
        gist(&dashboard)
    );
    let plan = planner.get(&format!("/plans/{plan_id}")).await;
    assert_eq!(plan.status, 200);
    assert!(plan.text().contains("no longer in our catalogue"));
    assert!(plan.text().contains("Backend Developer"));

    let back = boss
        .edit_form(
            "/admin/roles/backend-developer",
            "/admin/roles/backend-developer/retired",
            &[],
        )
        .await;
    assert_eq!(back.status, 303);
    assert_eq!(app.get_text("/roles/backend-developer").await.0, 200);
    assert_eq!(
        app.get_text("/careers/cloud-engineer-to-backend-developer")
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn a_new_role_and_a_new_skill_can_be_added() {
    let app = spawn_app().await;
    let boss = admin(&app, "boss@example.com").await;
    // A skill first.
    let bad = boss
        .edit_form(
            "/admin/skills/new",
            "/admin/skills/new",
            &[
                ("slug", "dbt"),
                ("name", "dbt modelling"),
                ("learn_weeks", "0"),
                ("evidence", "A dbt project on GitHub."),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.text().contains("1 to 260"), "{}", gist(&bad));
    assert!(
        form_fields(&bad.html, "/admin/skills/new")
            .contains(&("name".into(), "dbt modelling".into()))
    );
    let ok = boss
        .edit_form(
            "/admin/skills/new",
            "/admin/skills/new",
            &[
                ("slug", "dbt"),
                ("name", "dbt modelling"),
                ("learn_weeks", "6"),
                ("evidence", "A dbt project on GitHub."),
            ],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", gist(&ok));
    // A role built from an existing one's form, under a new slug.
    let analyst = boss.get("/admin/roles/data-analyst").await;
    let mut fields = with_changes(
        form_fields(&analyst.html, "/admin/roles/data-analyst"),
        &[
            ("original", ""),
            ("slug", "analytics-engineer"),
            ("title", "Analytics Engineer"),
        ],
    );
    let spare = fields
        .iter()
        .position(|(n, v)| n.starts_with("skill_") && v.is_empty())
        .unwrap();
    fields[spare].1 = "dbt".into();
    let usage = fields[spare].0.replace("skill_", "usage_");
    fields = with_changes(fields, &[(&usage, "build tested data models")]);
    let token = boss.get("/admin/roles/new").await.csrf();
    fields = with_changes(fields, &[("csrf_token", &token)]);
    let form: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let created = boss.post("/admin/roles/new", &form).await;
    assert_eq!(created.status, 303, "{}", gist(&created));
    let (status, body) = app.get_text("/roles/analytics-engineer").await;
    assert_eq!(status, 200);
    assert!(body.contains("dbt modelling"));
    let (status, body) = app
        .get_text("/careers/data-analyst-to-analytics-engineer")
        .await;
    assert_eq!(status, 200, "a new role has guides at once");
    assert!(body.contains("dbt modelling"), "the one skill to learn");
    // The original is untouched.
    assert!(app.state.content.catalogue().role("data-analyst").is_some());
}

#[tokio::test]
async fn merging_skills_rewrites_roles_and_removes_the_duplicate() {
    let app = spawn_app().await;
    let boss = admin(&app, "boss@example.com").await;
    let catalogue = app.state.content.catalogue();
    // Two skills on one role with more than six, where every other holder of the skill
    // merged away either has spare skills too or already lists the one kept: the merge is
    // allowed, and it rewrites a role that has both.
    let allowed = |keep: &str, away: &str| {
        catalogue
            .roles
            .iter()
            .chain(&catalogue.retired)
            .filter(|r| r.has_skill(away).is_some() && r.has_skill(keep).is_some())
            .all(|r| r.skills.len() > 6)
    };
    let (role, keep, away) = catalogue
        .roles
        .iter()
        .filter(|r| r.skills.len() > 6)
        .find_map(|r| {
            let pairs = r
                .skills
                .iter()
                .flat_map(|a| r.skills.iter().map(move |b| (a, b)));
            pairs
                .filter(|(a, b)| a.skill != b.skill)
                .find(|(a, b)| allowed(&a.skill, &b.skill))
                .map(|(a, b)| (r.clone(), a.skill.clone(), b.skill.clone()))
        })
        .expect("a pair of skills that can be merged");
    let holders: Vec<String> = catalogue
        .roles
        .iter()
        .filter(|r| r.has_skill(&away).is_some())
        .map(|r| r.slug.clone())
        .collect();
    let same = boss
        .edit_form(
            "/admin/skills/merge",
            "/admin/skills/merge",
            &[("from", &keep), ("into", &keep)],
        )
        .await;
    assert_eq!(same.status, 422);
    assert!(same.text().contains("different"));
    let preview = boss
        .edit_form(
            "/admin/skills/merge",
            "/admin/skills/merge",
            &[("from", &away), ("into", &keep), ("action", "preview")],
        )
        .await;
    assert_eq!(preview.status, 200, "{}", gist(&preview));
    assert!(
        preview.text().contains(&role.title),
        "lists the rewritten roles"
    );
    assert!(
        app.state.content.catalogue().skill(&away).is_some(),
        "a preview changes nothing"
    );
    let merged = boss
        .edit_form(
            "/admin/skills/merge",
            "/admin/skills/merge",
            &[("from", &away), ("into", &keep)],
        )
        .await;
    assert_eq!(merged.status, 303, "{}", gist(&merged));
    let after = app.state.content.catalogue();
    assert!(after.skill(&away).is_none());
    for slug in &holders {
        let r = after.role(slug).unwrap();
        assert!(r.has_skill(&away).is_none(), "{slug}");
        assert!(r.has_skill(&keep).is_some(), "{slug}");
    }
    assert_eq!(
        after.role(&role.slug).unwrap().skills.len(),
        role.skills.len() - 1,
        "a role with both keeps one"
    );
    assert_eq!(boss.get(&format!("/admin/skills/{away}")).await.status, 404);
    let audit = boss.get("/admin/audit").await;
    assert!(audit.text().contains("merged skills"));
}

#[tokio::test]
async fn interview_questions_can_be_added_edited_and_removed() {
    let app = spawn_app().await;
    let boss = admin(&app, "boss@example.com").await;
    let new = "/admin/questions/data-analyst/new";
    let bad = boss
        .edit_form(
            new,
            new,
            &[("text", "How do you check a dashboard is right?")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.text().contains("at least one"), "{}", gist(&bad));
    assert!(
        bad.html.contains("How do you check a dashboard is right?"),
        "kept"
    );
    let created = boss
        .edit_form(
            new,
            new,
            &[
                ("kind", "technical"),
                ("text", "How do you check a dashboard is right?"),
                ("point_0", "Reconcile totals against the source"),
                ("signals_0", "reconcile, source system, totals"),
                ("point_1", "Ask the people who use it"),
                ("signals_1", "stakeholder, users"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", gist(&created));
    let location = created.location.unwrap();
    let id: i32 = location
        .trim_start_matches("/admin/questions/data-analyst/")
        .trim_end_matches("?published=1")
        .parse()
        .unwrap();
    let practice = app
        .browser()
        .get(&format!("/practice/data-analyst?q={id}"))
        .await;
    assert_eq!(practice.status, 200);
    assert!(
        practice
            .text()
            .contains("How do you check a dashboard is right?")
    );

    let path = format!("/admin/questions/data-analyst/{id}");
    let edited = boss
        .edit_form(
            &path,
            &path,
            &[("text", "How would you check that a dashboard is right?")],
        )
        .await;
    assert_eq!(edited.status, 303);
    let stored = {
        let mut conn = app.state.pool.get().unwrap();
        db::practice::question(&mut conn, "data-analyst", id)
            .unwrap()
            .unwrap()
    };
    assert_eq!(
        stored.row.text,
        "How would you check that a dashboard is right?"
    );
    assert_eq!(stored.points.len(), 2);
    assert_eq!(
        stored.points[0].signals,
        vec!["reconcile", "source system", "totals"]
    );

    let removed = boss.edit_form(&path, &format!("{path}/delete"), &[]).await;
    assert_eq!(removed.status, 303);
    assert_eq!(boss.get(&path).await.status, 404);
    let mut conn = app.state.pool.get().unwrap();
    let revs = db::admin::revisions(
        &mut conn,
        Some((db::admin::Entity::Question, &id.to_string())),
        10,
    )
    .unwrap();
    assert_eq!(revs.len(), 3, "added, edited, removed");
}

#[tokio::test]
async fn a_note_for_one_transition_shows_only_on_its_guide() {
    let app = spawn_app().await;
    let boss = admin(&app, "boss@example.com").await;
    let path = "/admin/notes/data-analyst/financial-analyst";
    let bad = boss
        .edit_form(path, path, &[("question_0", "Is the pay better?")])
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.text().contains("give both the question and its answer"));
    let saved = boss
        .edit_form(
            path,
            path,
            &[
                (
                    "note",
                    "Many **banks** run analyst schemes for career changers.",
                ),
                ("question_0", "Do I need an accountancy qualification?"),
                (
                    "answer_0",
                    "Not to start: many teams hire on *modelling* skill.",
                ),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", gist(&saved));
    let (_, guide) = app
        .get_text("/careers/data-analyst-to-financial-analyst")
        .await;
    assert!(guide.contains("Many <strong>banks</strong> run analyst schemes"));
    assert!(guide.contains("Do I need an accountancy qualification?"));
    assert!(guide.contains("<em>modelling</em>"));
    assert!(
        guide.contains("\"text\":\"Not to start: many teams hire on modelling skill.\""),
        "JSON-LD gets plain text"
    );
    let (_, other) = app
        .get_text("/careers/financial-analyst-to-data-analyst")
        .await;
    assert!(!other.contains("analyst schemes for career changers"));
    // Emptying it removes it.
    let cleared = boss
        .edit_form(
            path,
            path,
            &[("note", ""), ("question_0", ""), ("answer_0", "")],
        )
        .await;
    assert_eq!(cleared.status, 303);
    let (_, guide) = app
        .get_text("/careers/data-analyst-to-financial-analyst")
        .await;
    assert!(!guide.contains("analyst schemes"));
}

#[tokio::test]
async fn admins_find_accounts_change_tiers_and_disable_them() {
    let app = spawn_app().await;
    let boss = admin(&app, "boss@example.com").await;
    let pat = signed_in(&app, "pat@example.com").await;
    let id = user(&app, "pat@example.com").id;
    let table = |page: &Page| {
        crate::helpers::between(&page.html, "<tbody>", "</tbody>")
            .unwrap_or("")
            .to_owned()
    };
    let list = boss.get("/admin/users?q=PAT@").await;
    assert!(table(&list).contains("pat@example.com"), "{}", gist(&list));
    assert!(!table(&list).contains("boss@example.com"), "search filters");
    assert!(table(&list).contains("Free"));
    assert!(
        !table(&list).contains("Never"),
        "pat has signed in, and the list says when"
    );
    let none = boss.get("/admin/users?q=%25").await;
    assert!(!none.html.contains("<tbody>"), "% is a plain character");

    let detail = format!("/admin/users/{id}");
    let granted = boss
        .edit_form(&detail, &format!("{detail}/premium"), &[])
        .await;
    assert_eq!(granted.status, 303);
    assert!(boss.get(&detail).await.text().contains("Premium"));
    let page = pat.get("/practice/data-analyst").await;
    let allowance = crate::helpers::between(&page.html, r#"id="allowance""#, "</p>").unwrap_or("");
    assert!(allowance.to_lowercase().contains("premium"), "{allowance}");

    let empty = boss
        .edit_form(&detail, &format!("{detail}/disable"), &[("reason", " ")])
        .await;
    assert_eq!(empty.status, 422);
    assert!(empty.text().contains("Give a reason"));
    assert!(pat.is_signed_in().await, "nothing happened");
    let disabled = boss
        .edit_form(
            &detail,
            &format!("{detail}/disable"),
            &[("reason", "Repeated spam")],
        )
        .await;
    assert_eq!(disabled.status, 303);
    assert!(!pat.is_signed_in().await, "the session ended at once");
    let refused = pat.sign_in("pat@example.com", PASSWORD).await;
    assert_eq!(refused.status, 403);
    assert!(refused.text().contains("Repeated spam"));
    let wrong = app
        .browser()
        .sign_in("pat@example.com", "not the password at all")
        .await;
    assert!(
        !wrong.text().contains("Repeated spam"),
        "only the owner learns why"
    );

    let enabled = boss
        .edit_form(&detail, &format!("{detail}/enable"), &[])
        .await;
    assert_eq!(enabled.status, 303);
    assert_eq!(pat.sign_in("pat@example.com", PASSWORD).await.status, 303);
    let shown = boss.get(&detail).await;
    assert!(
        !shown.text().contains("Last sign-in Never"),
        "{}",
        gist(&shown)
    );

    // Admins cannot lock themselves out.
    let me = user(&app, "boss@example.com").id;
    let page = boss.get(&format!("/admin/users/{me}")).await;
    assert!(page.text().contains("your own account"));

    let audit = boss.get("/admin/audit").await.text();
    for action in ["granted premium", "disabled account", "re-enabled account"] {
        assert!(audit.contains(action), "{action}: {audit}");
    }
    assert!(audit.contains("Repeated spam"));
}

#[tokio::test]
async fn an_edit_on_one_instance_reaches_another_on_the_same_database() {
    let app = spawn_app().await;
    let other = app.sibling(&[]).await;
    let guide = "/careers/financial-analyst-to-data-analyst";
    let fetch = |base: String| async move {
        let resp = reqwest::get(format!("{base}{guide}")).await.unwrap();
        resp.text().await.unwrap()
    };
    assert!(
        !fetch(other.address.clone())
            .await
            .contains("Insight Analyst")
    );
    let boss = admin(&app, "boss@example.com").await;
    let form = "/admin/roles/data-analyst";
    assert_eq!(
        boss.edit_form(form, form, &[("title", "Insight Analyst")])
            .await
            .status,
        303
    );
    assert!(fetch(app.address.clone()).await.contains("Insight Analyst"));
    // The other instance's watcher runs every two seconds; run its step now.
    assert!(
        other.state.follow_catalogue_edits().await.unwrap(),
        "it saw the edit"
    );
    assert!(
        fetch(other.address.clone())
            .await
            .contains("Insight Analyst")
    );
    assert!(
        !other.state.follow_catalogue_edits().await.unwrap(),
        "and only once"
    );
}
