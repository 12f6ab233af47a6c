use futures_util::StreamExt;

use crate::helpers::{between, spawn_app, visible_text};

#[tokio::test]
async fn a_guide_has_every_section_and_its_metadata() {
    let app = spawn_app().await;
    let (status, html) = app
        .get_text("/careers/cloud-engineer-to-backend-developer")
        .await;
    assert_eq!(status, 200);
    let text = visible_text(&html);
    for heading in [
        "Why people make this move",
        "How realistic is this change?",
        "Skills that transfer",
        "Skills to build",
        "Salary comparison",
        "Day-to-day comparison",
        "How to frame the change in interviews",
        "Frequently asked questions",
        "Other career changes from Cloud Engineer",
        "Other routes into Backend Developer",
    ] {
        assert!(text.contains(heading), "missing section {heading}");
    }
    assert!(
        text.contains("As a cloud engineer, you")
            && text.contains("As a backend developer, you would")
    );
    assert!(html.contains("<title>Cloud Engineer to Backend Developer"));
    assert!(html.contains(
        r#"<meta name="description" content="Moving from cloud engineer to backend developer"#
    ));
    assert!(html.contains(&format!(
        r#"<link rel="canonical" href="{}/careers/cloud-engineer-to-backend-developer">"#,
        app.address
    )));
    let json_ld = between(&html, r#"<script type="application/ld+json">"#, "</script>")
        .expect("JSON-LD present");
    let value: serde_json::Value = serde_json::from_str(json_ld).expect("JSON-LD parses");
    assert_eq!(value["@type"], "FAQPage");
    let questions = value["mainEntity"].as_array().unwrap();
    assert_eq!(
        questions.len(),
        html.matches(r#"<details class="faq">"#).count()
    );
    assert_eq!(questions[0]["acceptedAnswer"]["@type"], "Answer");
    // The salary chart is drawn on the server.
    assert!(html.contains("<svg") && html.contains("chart-bar"));
    // Backend pay no longer copies the seed page's figures; each role names its basis.
    assert!(
        text.contains("£27,000–£36,000") && !text.contains("£26,000–£38,000"),
        "backend entry pay is our own figure"
    );
    assert!(text.contains("Where these figures come from"));
    assert!(text.contains("Typical advertised salaries"));
}

#[tokio::test]
async fn wrong_pairs_are_404_and_near_misses_redirect_to_the_canonical_url() {
    let app = spawn_app().await;
    for path in [
        "/careers/cloud-engineer-to-cloud-engineer",
        "/careers/cloud-engineer-to-astronaut",
        "/careers/astronaut-to-cloud-engineer",
        "/careers/cloud-engineer",
        "/careers/-to-",
    ] {
        let (status, html) = app.get_text(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(visible_text(&html).contains("Page not found"), "{path}");
    }
    for (path, location) in [
        (
            "/careers/Cloud-Engineer-to-Backend-Developer",
            "/careers/cloud-engineer-to-backend-developer",
        ),
        (
            "/careers/cloud-engineer-to-backend-developer/",
            "/careers/cloud-engineer-to-backend-developer",
        ),
        (
            "/CAREERS/cloud-engineer-to-backend-developer/",
            "/careers/cloud-engineer-to-backend-developer",
        ),
        ("/roles/Data-Analyst", "/roles/data-analyst"),
        ("/roles/data-analyst/", "/roles/data-analyst"),
        ("/Roles", "/roles"),
        ("/roles/?q=sql", "/roles?q=sql"),
    ] {
        let resp = app.get(path).await;
        assert_eq!(resp.status(), 301, "{path}");
        assert_eq!(resp.headers()["location"], location, "{path}");
    }
}

#[tokio::test]
async fn the_picker_redirects_to_the_guide_or_explains_what_is_wrong() {
    let app = spawn_app().await;
    let resp = app
        .get("/careers?from=registered-nurse&to=data-analyst")
        .await;
    assert_eq!(resp.status(), 303);
    assert_eq!(
        resp.headers()["location"],
        "/careers/registered-nurse-to-data-analyst"
    );

    let (status, html) = app
        .get_text("/careers?from=registered-nurse&to=registered-nurse")
        .await;
    assert_eq!(status, 400);
    assert!(visible_text(&html).contains("Choose a different role from the one you are in now."));
    assert!(
        html.contains(r#"<option value="registered-nurse" selected>"#),
        "choices are kept"
    );

    let (status, html) = app.get_text("/careers?from=&to=data-analyst").await;
    assert_eq!(status, 400);
    assert!(visible_text(&html).contains("Choose the role you are in now."));
    assert!(html.contains(r#"<option value="data-analyst" selected>"#));
}

#[tokio::test]
async fn content_edits_reach_every_cached_guide_at_once() {
    let app = spawn_app().await;
    let (_, before) = app.get_text("/careers/accountant-to-data-analyst").await;
    assert!(visible_text(&before).contains("Accountant to Data Analyst"));
    assert!(
        app.state.content.cached_pages() > 0,
        "the guide body is cached"
    );
    app.rename_role("data-analyst", "Insight Analyst").await;
    app.state.reload_catalogue().await.unwrap();
    let (_, after) = app.get_text("/careers/accountant-to-data-analyst").await;
    assert!(visible_text(&after).contains("Accountant to Insight Analyst"));
    let (_, other) = app
        .get_text("/careers/data-analyst-to-data-scientist")
        .await;
    assert!(visible_text(&other).contains("Insight Analyst to Data Scientist"));
}

/// Problems a generated guide must never show, found in its visible text.
fn problems_in(text: &str, titles: &[(String, &'static str)]) -> Vec<String> {
    let mut problems = Vec::new();
    let lower = text.to_lowercase();
    for bad in [
        "{{",
        "}}",
        "{%",
        "{}",
        "nan",
        "some(",
        "undefined",
        "inf",
        " ,",
        " .",
        "..",
    ] {
        let hit = if bad.chars().all(|c| c.is_ascii_alphabetic() || c == '(') {
            lower
                .split(|c: char| !c.is_alphanumeric() && c != '(')
                .any(|w| w == bad)
        } else {
            lower.contains(bad)
        };
        if hit {
            problems.push(format!("contains {bad:?}"));
        }
    }
    let words: Vec<&str> = lower.split(|c: char| c.is_whitespace()).collect();
    for pair in words.windows(2) {
        let (n, noun) = (
            pair[0],
            pair[1].trim_end_matches(|c: char| !c.is_alphabetic()),
        );
        let Ok(n) = n.parse::<u64>() else { continue };
        if n >= 1000 {
            continue; // a year, as in "reviewed October 2026"
        }
        for (one, many) in [
            ("skill", "skills"),
            ("week", "weeks"),
            ("month", "months"),
            ("point", "points"),
            ("role", "roles"),
        ] {
            if n == 1 && noun == many {
                problems.push(format!("\"1 {many}\""));
            }
            if n != 1 && noun == one {
                problems.push(format!("\"{n} {one}\""));
            }
        }
    }
    if lower.contains("1 skill transfer ") || lower.contains("skills transfers") {
        problems.push("verb does not agree with the count".into());
    }
    for (title, expected) in titles {
        let wrong = if *expected == "an" { "a" } else { "an" };
        if lower.contains(&format!(" {wrong} {title}")) {
            problems.push(format!("\"{wrong} {title}\""));
        }
    }
    problems
}

/// Renders the guide for every ordered pair in the catalogue and reads each one.
#[tokio::test]
async fn every_pair_reads_naturally() {
    let app = spawn_app().await;
    let catalogue = app.state.content.catalogue();
    // Titles that take "an", decided by ear and listed by hand so the test does not reuse
    // the code it checks; a new vowel-sound title must be added here.
    const AN_TITLES: [&str; 4] = [
        "it support technician",
        "it project manager",
        "embedded software engineer",
        "hr advisor",
    ];
    let titles: Vec<(String, &'static str)> = catalogue
        .roles
        .iter()
        .map(|r| {
            let t = r.title.to_lowercase();
            let article = if AN_TITLES.contains(&t.as_str()) {
                "an"
            } else {
                "a"
            };
            (t, article)
        })
        .collect();
    for (t, article) in &titles {
        let starts_with_vowel = t.starts_with(['a', 'e', 'i', 'o', 'u']);
        assert!(
            *article == "a" || starts_with_vowel || t.starts_with("hr"),
            "{t}"
        );
        if starts_with_vowel && *article == "a" {
            assert!(
                t.starts_with("ux") || t.starts_with("ui") || t.starts_with("u"),
                "add {t} to AN_TITLES or explain"
            );
        }
    }
    let pairs: Vec<(String, String)> = catalogue
        .roles
        .iter()
        .flat_map(|f| {
            catalogue
                .roles
                .iter()
                .filter(move |t| t.slug != f.slug)
                .map(move |t| (f.slug.clone(), t.slug.clone()))
        })
        .collect();
    let total = pairs.len();
    let app = &app;
    let titles = &titles;
    let failures: Vec<String> = futures_util::stream::iter(pairs)
        .map(|(from, to)| async move {
            let path = format!("/careers/{from}-to-{to}");
            let (status, html) = app.get_text(&path).await;
            let mut problems = Vec::new();
            if status != 200 {
                problems.push(format!("status {status}"));
            }
            // No section without content: a heading directly followed by the end of its section.
            for section in html.split("<section").skip(1) {
                let body = section.split("</section>").next().unwrap_or("");
                let after_heading = body.split("</h2>").nth(1).unwrap_or("");
                if visible_text(after_heading).is_empty() {
                    problems.push("empty section".into());
                }
            }
            // No list without items.
            for (open, close) in [("<ul", "</ul>"), ("<ol", "</ol>"), ("<dl", "</dl>")] {
                for list in html.split(open).skip(1) {
                    let items = list.split(close).next().unwrap_or("");
                    if !items.contains("<li") && !items.contains("<dt") {
                        problems.push(format!("empty list {open}"));
                    }
                }
            }
            let text = visible_text(&html);
            problems.extend(problems_in(&text, titles));
            // Counts in summaries match the lists below them.
            let transfer_items = between(&html, "<ul class=\"transfer-list\">", "</ul>")
                .map_or(0, |l| l.matches("<li>").count());
            let expected = match transfer_items {
                0 => "nothing transfers directly".to_owned(),
                1 => "1 skill transfers directly".to_owned(),
                n => format!("{n} skills transfer directly"),
            };
            if !text.contains(&expected) {
                problems.push(format!("transfer count: expected {expected:?}"));
            }
            let build_items = between(&html, "<ol class=\"build-list\">", "</ol>")
                .map_or(0, |l| l.matches("<li>").count());
            let expected = match build_items {
                0 => "Every skill on the".to_owned(),
                1 => "There is 1 skill to build".to_owned(),
                n => format!("There are {n} skills to build"),
            };
            if !text.contains(&expected) {
                problems.push(format!("build count: expected {expected:?}"));
            }
            // Never a pay-cut sentence when pay goes up.
            let change = between(&html, "<dt>Starting pay change</dt><dd>", "</dd>").unwrap_or("");
            if change.starts_with('+') && text.to_lowercase().contains("pay cut") {
                problems.push("pay-cut sentence on a pay rise".into());
            }
            if change.starts_with('−') && text.contains("pay rise") {
                problems.push("pay-rise sentence on a pay cut".into());
            }
            problems
                .into_iter()
                .map(move |p| format!("{path}: {p}"))
                .collect::<Vec<_>>()
        })
        .buffer_unordered(8)
        .flat_map(futures_util::stream::iter)
        .collect()
        .await;
    assert!(total >= 40 * 39, "{total} pairs");
    assert!(
        failures.is_empty(),
        "{} problems, first: {:#?}",
        failures.len(),
        &failures[..failures.len().min(20)]
    );
}
