use futures_util::StreamExt;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::helpers::spawn_app;

const PIECES: [&str; 24] = [
    "careers",
    "roles",
    "cloud-engineer",
    "-to-",
    "backend-developer",
    "assets",
    "sitemaps",
    "sitemap.xml",
    "%",
    "%2F",
    "%FF",
    "%00",
    "..",
    "",
    "é",
    "🙂",
    "to",
    "a-to-b",
    "1.xml",
    "0.xml",
    "99999999999999999999.xml",
    "%E2%82",
    "robots.txt",
    "UPPER",
];
const QUERIES: [&str; 10] = [
    "",
    "?q=",
    "?q=%FF",
    "?sector=%00",
    "?from=a&to=a",
    "?from=cloud-engineer&to=",
    "?q=a&q=b",
    "?%",
    "?from[]=x",
    "?q=x&sector=technology&sector=finance",
];

fn random_path(rng: &mut StdRng) -> String {
    let mut path = String::new();
    for _ in 0..rng.random_range(1..5) {
        path.push('/');
        match rng.random_range(0..4) {
            0 => {
                let len = rng.random_range(0..40);
                path.extend(
                    (0..len)
                        .map(|_| rng.random_range(b'!'..=b'~') as char)
                        .filter(|c| !matches!(c, '#' | '?' | '/')),
                );
            }
            1 => path.push_str(&"x".repeat(rng.random_range(0..3000))),
            _ => {
                for _ in 0..rng.random_range(1..4) {
                    path.push_str(PIECES[rng.random_range(0..PIECES.len())]);
                }
            }
        }
    }
    if rng.random_bool(0.2) {
        path.push('/');
    }
    path.push_str(QUERIES[rng.random_range(0..QUERIES.len())]);
    path
}

/// Throws 10,000 random paths and query strings at the server: none may produce a 5xx.
#[tokio::test]
async fn no_path_or_query_string_produces_a_server_error() {
    let app = spawn_app().await;
    let mut rng = StdRng::seed_from_u64(20261128);
    let paths: Vec<String> = (0..10_000).map(|_| random_path(&mut rng)).collect();
    let app = &app;
    let failures: Vec<String> = futures_util::stream::iter(paths)
        .map(|path| async move {
            match app
                .client
                .get(format!("{}{}", app.address, path))
                .send()
                .await
            {
                Ok(resp) if resp.status().is_server_error() => {
                    Some(format!("{} {path}", resp.status()))
                }
                Ok(_) => None,
                // A path the client itself refuses to send is not a server failure.
                Err(e) if e.is_builder() => None,
                Err(e) => Some(format!("{path}: {e}")),
            }
        })
        .buffer_unordered(16)
        .filter_map(|f| async move { f })
        .collect()
        .await;
    assert!(
        failures.is_empty(),
        "{} failures, first: {:?}",
        failures.len(),
        &failures[..failures.len().min(10)]
    );
}

/// Every `action="…"` of a POST form on a page.
fn post_actions(html: &str) -> Vec<String> {
    html.split("<form")
        .skip(1)
        .filter(|form| {
            form.split('>')
                .next()
                .unwrap_or("")
                .contains("method=\"post\"")
        })
        .filter_map(|form| {
            let tag = form.split('>').next()?;
            let start = tag.find("action=\"")? + 8;
            let end = tag[start..].find('"')? + start;
            Some(tag[start..end].replace("&amp;", "&"))
        })
        .collect()
}

const JUNK: [&str; 14] = [
    "",
    " ",
    "-1",
    "0",
    "99999999999999999999",
    "3.5",
    "2026-02-30",
    "%00",
    "\u{0}",
    "é🙂\u{200b}",
    "<script>alert(1)</script>",
    "'; DROP TABLE users; --",
    "on",
    "x",
];

/// A signed-in admin with a saved move, a plan and a profile submits every form on the
/// pages they can reach, with seeded random changes to its fields (the CSRF token kept,
/// so the parsers behind it really run): no body produces a server error.
#[tokio::test]
async fn no_form_body_produces_a_server_error() {
    let app = spawn_app().await;
    let b = app.browser();
    b.register("forms@example.com", "violet harbour lantern")
        .await;
    {
        let mut conn = app.state.pool.get().unwrap();
        let id = careerswitch::db::users::find_by_email(&mut conn, "forms@example.com")
            .unwrap()
            .unwrap()
            .id;
        careerswitch::db::users::make_admin(&mut conn, id).unwrap();
    }
    b.sign_in("forms@example.com", "violet harbour lantern")
        .await;
    let saved = b
        .submit(
            "/careers/cloud-engineer-to-backend-developer",
            "/saved",
            &[("from", "cloud-engineer"), ("to", "backend-developer")],
        )
        .await;
    assert_eq!(saved.status, 303);
    let created = b
        .submit(
            "/plans/new?saved=1",
            "/plans",
            &[
                ("saved", "1"),
                ("start_date", "2027-01-04"),
                ("months", "9"),
                ("hours_per_week", "8"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.text());
    let plan = created.location.expect("the plan's address");
    let dashboard = b.get("/dashboard").await;
    let mut pages = vec![
        "/dashboard".to_owned(),
        "/account".to_owned(),
        "/account/skills".to_owned(),
        "/practice/backend-developer".to_owned(),
        "/careers/cloud-engineer-to-backend-developer".to_owned(),
        "/admin/roles/data-analyst".to_owned(),
        "/admin/roles/new".to_owned(),
        "/admin/skills/sql".to_owned(),
        "/admin/skills/new".to_owned(),
        "/admin/skills/merge".to_owned(),
        "/admin/questions/data-analyst".to_owned(),
        "/admin/questions/data-analyst/new".to_owned(),
        "/admin/notes/cloud-engineer-to-backend-developer".to_owned(),
        "/admin/users".to_owned(),
        "/plans/new?saved=1".to_owned(),
        plan,
    ];
    assert_eq!(dashboard.status, 200);
    let practice = b.get("/practice/backend-developer").await;
    if let Some(q) = practice
        .html
        .split("href=\"/practice/backend-developer?q=")
        .nth(1)
    {
        pages.push(format!(
            "/practice/backend-developer?q={}",
            q.split('"').next().unwrap()
        ));
    }
    let mut forms: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for page in &pages {
        let html = b.get(page).await.html;
        for action in post_actions(&html) {
            // Leaving, or ending the session, would stop the rest from running as admin.
            // Resending mail only meets its rate limit.
            if ["sign-out", "delete", "sessions", "disable", "resend"]
                .iter()
                .any(|w| action.contains(w))
                || forms.iter().any(|(seen, _)| *seen == action)
            {
                continue;
            }
            forms.push((action.clone(), crate::helpers::form_fields(&html, &action)));
        }
    }
    assert!(forms.len() >= 15, "{} forms found", forms.len());

    let mut rng = StdRng::seed_from_u64(20261204);
    let mut failures = Vec::new();
    for _ in 0..600 {
        let (action, fields) = &forms[rng.random_range(0..forms.len())];
        let mut fields = fields.clone();
        for _ in 0..rng.random_range(1..4) {
            if fields.is_empty() {
                break;
            }
            let i = rng.random_range(0..fields.len());
            if fields[i].0 == "csrf_token" {
                continue;
            }
            match rng.random_range(0..4) {
                0 => {
                    fields.remove(i);
                }
                1 => fields[i].1 = "x".repeat(rng.random_range(0..6_000)),
                2 => fields.push((
                    fields[i].0.clone(),
                    JUNK[rng.random_range(0..JUNK.len())].into(),
                )),
                _ => fields[i].1 = JUNK[rng.random_range(0..JUNK.len())].into(),
            }
        }
        if rng.random_bool(0.2) {
            fields.push((format!("row_{}", rng.random_range(0..100)), "junk".into()));
        }
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let page = b.post(action, &pairs).await;
        if page.status >= 500 {
            failures.push(format!("{} {action} {:?}", page.status, &pairs));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures, first: {:?}",
        failures.len(),
        &failures[..failures.len().min(3)]
    );
    assert!(b.is_signed_in().await, "the run stayed signed in as admin");
}
