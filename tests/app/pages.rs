use crate::helpers::{spawn_app, visible_text};

#[tokio::test]
async fn first_start_creates_the_database_and_serves_the_home_page() {
    let app = spawn_app().await;
    assert!(app.on_postgres() || app.data_dir.path().join("careerswitch.db").exists());
    let (status, html) = app.get_text("/").await;
    assert_eq!(status, 200);
    let text = visible_text(&html);
    assert!(text.contains("Plan your next career"));
    // The picker works without JavaScript: a GET form with both selects.
    assert!(html.contains(r#"<form class="picker" method="get" action="/careers""#));
    assert!(html.contains(r#"<select id="from" name="from""#));
    assert!(html.contains(r#"<option value="cloud-engineer">Cloud Engineer</option>"#));
}

#[tokio::test]
async fn anonymous_content_pages_set_no_cookie_and_carry_security_headers() {
    let app = spawn_app().await;
    for path in [
        "/",
        "/roles",
        "/roles/data-analyst",
        "/careers/cloud-engineer-to-backend-developer",
        "/privacy",
        "/no-such-page",
    ] {
        let resp = app.get(path).await;
        assert!(
            resp.headers().get("set-cookie").is_none(),
            "{path} set a cookie"
        );
        let csp = resp
            .headers()
            .get("content-security-policy")
            .unwrap()
            .to_str()
            .unwrap();
        for part in [
            "frame-ancestors 'none'",
            "object-src 'none'",
            "base-uri 'none'",
            "script-src 'self'",
        ] {
            assert!(csp.contains(part), "{path}: {csp}");
        }
        assert_eq!(
            resp.headers().get("x-content-type-options").unwrap(),
            "nosniff"
        );
        assert!(resp.headers().get("referrer-policy").is_some());
    }
}

#[tokio::test]
async fn head_requests_are_answered_like_get_without_a_body() {
    let app = spawn_app().await;
    for path in [
        "/",
        "/roles",
        "/careers/cloud-engineer-to-backend-developer",
        "/sitemap.xml",
    ] {
        let resp = app
            .client
            .head(format!("{}{}", app.address, path))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{path}");
        assert!(resp.text().await.unwrap().is_empty(), "{path}");
    }
    let missing = app
        .client
        .head(format!("{}/nowhere", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn roles_can_be_searched_by_title_or_skill_and_filtered_by_sector() {
    let app = spawn_app().await;
    let (status, html) = app.get_text("/roles").await;
    assert_eq!(status, 200);
    let all = html.matches(r#"class="card role-card""#).count();
    assert!(all >= 40, "{all} roles listed");
    assert!(visible_text(&html).contains(&format!("All {all} roles.")));

    let (_, html) = app.get_text("/roles?q=sql").await;
    let text = visible_text(&html);
    assert!(
        text.contains("Data Analyst"),
        "SQL is a skill of data analysts"
    );
    assert!(!text.contains("Registered Nurse"));
    let shown = html.matches(r#"class="card role-card""#).count();
    assert!(
        text.contains(&format!("{shown} roles match.")),
        "summary agrees with the list"
    );

    let (_, html) = app.get_text("/roles?q=nurse").await;
    assert!(visible_text(&html).contains("Registered Nurse"));

    let (_, html) = app.get_text("/roles?sector=healthcare").await;
    let text = visible_text(&html);
    assert!(text.contains("Registered Nurse") && !text.contains("Backend Developer"));
    assert!(
        html.contains(r#"<option value="healthcare" selected>"#),
        "the filter stays chosen"
    );

    let (status, html) = app.get_text("/roles?sector=atlantis&q=python").await;
    assert_eq!(status, 400);
    assert!(visible_text(&html).contains("Choose a sector from the list."));
    assert!(
        html.contains(r#"value="python""#),
        "what the user typed is kept"
    );
}

#[tokio::test]
async fn a_role_page_shows_pay_skills_day_to_day_and_best_matches() {
    let app = spawn_app().await;
    let (status, html) = app.get_text("/roles/registered-nurse").await;
    assert_eq!(status, 200);
    let text = visible_text(&html);
    for expected in [
        "Salary by level",
        "Entry",
        "Senior",
        "Core skills",
        "Day to day",
        "NMC",
        "Best-matched routes into this role",
        "Best-matched moves out of it",
    ] {
        assert!(text.contains(expected), "missing {expected}");
    }
    assert!(html.contains(r#"href="/careers/registered-nurse-to-"#));
    assert!(html.contains(&format!(
        r#"<link rel="canonical" href="{}/roles/registered-nurse">"#,
        app.address
    )));
}

#[tokio::test]
async fn legal_pages_crawler_files_and_health_checks() {
    let app = spawn_app().await;
    let (status, privacy) = app.get_text("/privacy").await;
    assert_eq!(status, 200);
    let privacy = visible_text(&privacy).to_lowercase();
    for word in ["delete", "download", "ico", "cookie", "how long"] {
        assert!(privacy.contains(word), "privacy notice should cover {word}");
    }
    assert_eq!(app.get("/terms").await.status(), 200);
    let (status, robots) = app.get_text("/robots.txt").await;
    assert_eq!(status, 200);
    assert!(robots.contains("Sitemap: ") && robots.contains("/sitemap.xml"));
    assert!(robots.contains("Disallow: /account"));
    assert_eq!(app.get("/healthz").await.status(), 200);
    assert_eq!(app.get("/readyz").await.status(), 200);
    let css = app.get("/assets/site.css").await;
    assert_eq!(css.status(), 200);
    assert!(
        css.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
}

#[tokio::test]
async fn sitemap_lists_every_role_and_every_guide() {
    let app = spawn_app().await;
    let roles = app.state.content.catalogue().roles.len();
    let resp = app.get("/sitemap.xml").await;
    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("xml")
    );
    let xml = resp.text().await.unwrap();
    assert!(xml.starts_with("<?xml"));
    assert!(xml.contains("<urlset"), "under 50,000 URLs fits one file");
    assert_eq!(
        xml.matches("<url>").count(),
        4 + roles + roles * (roles - 1)
    );
    assert!(xml.contains("/careers/cloud-engineer-to-backend-developer</loc>"));
    assert!(xml.contains("/roles/teaching-assistant</loc>"));
    assert!(!xml.contains("/careers/cloud-engineer-to-cloud-engineer<"));
    assert_eq!(
        app.get("/sitemaps/1.xml").await.status(),
        404,
        "no parts when one file suffices"
    );
}

#[tokio::test]
async fn restarting_keeps_catalogue_edits() {
    let app = spawn_app().await;
    app.rename_role("data-analyst", "Data and Insight Analyst")
        .await;
    let again = app.sibling(&[]).await;
    let html = app
        .client
        .get(format!("{}/roles/data-analyst", again.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        visible_text(&html).contains("Data and Insight Analyst"),
        "the bundled catalogue must not overwrite edits"
    );
}

#[tokio::test]
async fn unknown_pages_get_a_styled_404() {
    let app = spawn_app().await;
    let (status, html) = app.get_text("/definitely/not/here").await;
    assert_eq!(status, 404);
    let text = visible_text(&html);
    assert!(text.contains("Page not found"));
    assert!(
        html.contains("site.css"),
        "styled like the rest of the site"
    );
    let (status, _) = app.get_text("/roles/not-a-role").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_sitemap_follows_a_renamed_slug() {
    let app = spawn_app().await;
    let (_, before) = app.get_text("/sitemap.xml").await;
    assert!(before.contains("/roles/data-analyst</loc>"));
    let pool = app.state.pool.clone();
    let mut role = app
        .state
        .content
        .catalogue()
        .role("data-analyst")
        .unwrap()
        .clone();
    role.slug = "insight-analyst".to_owned();
    tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().unwrap();
        careerswitch::db::catalogue::save_role(&mut conn, "data-analyst", &role).unwrap();
    })
    .await
    .unwrap();
    app.state.reload_catalogue().await.unwrap();
    let (_, after) = app.get_text("/sitemap.xml").await;
    assert!(after.contains("/roles/insight-analyst</loc>"));
    assert!(after.contains("/careers/insight-analyst-to-data-scientist</loc>"));
    assert!(
        !after.contains("/roles/data-analyst</loc>"),
        "the cached list was rebuilt"
    );
    assert_eq!(app.get("/roles/insight-analyst").await.status(), 200);
}
