//! Operating the app: a backup taken while it serves.

use careerswitch::db;
use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::helpers::spawn_app;

#[derive(QueryableByName)]
struct Check {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

#[tokio::test]
async fn a_backup_is_a_consistent_copy_taken_while_the_app_runs() {
    let app = spawn_app().await;
    let b = app.browser();
    assert_eq!(
        b.register("kept@example.com", "violet harbour lantern")
            .await
            .status,
        200
    );
    let target = app.data_dir.path().join("backup.db");
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_careerswitch"))
            .args(["backup", "--to", target.to_str().unwrap()])
            .env("CAREERSWITCH_DATA_DIR", app.data_dir.path())
            .env("CAREERSWITCH_DATABASE_URL", &app.database_url)
            .env("RUST_LOG", "warn")
            .output()
            .expect("the binary runs")
    };
    let out = run();
    if app.on_postgres() {
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("pg_dump"));
        return;
    }
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("wrote a consistent copy"));
    // The server is still serving, and the copy opens on its own with everything in it.
    assert_eq!(app.get("/roles").await.status(), 200);
    let pool = db::pool(target.to_str().unwrap()).unwrap();
    let mut conn = pool.get().unwrap();
    assert!(
        db::users::find_by_email(&mut conn, "kept@example.com")
            .unwrap()
            .is_some()
    );
    let catalogue = db::catalogue::load(&mut conn).unwrap();
    assert_eq!(
        catalogue.roles.len(),
        app.state.content.catalogue().roles.len()
    );
    let mut sqlite = diesel::SqliteConnection::establish(target.to_str().unwrap()).unwrap();
    let check: Vec<Check> = diesel::sql_query("PRAGMA integrity_check")
        .load(&mut sqlite)
        .unwrap();
    assert_eq!(check[0].integrity_check, "ok");
    // It never overwrites.
    let again = run();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
}

#[tokio::test]
async fn every_log_line_of_a_request_carries_its_id() {
    crate::logs::capture();
    let app = spawn_app().await;
    let client = reqwest::Client::new();
    let resp = client
        .get(format!("{}/roles/data-analyst", app.address))
        .header("X-Request-Id", "trace-me-42")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["x-request-id"], "trace-me-42");
    // A refused form logs its reason inside the request too.
    let refused = client
        .post(format!("{}/sign-out", app.address))
        .header("X-Request-Id", "refused-7")
        .form(&[("csrf_token", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    // An id that is not plausible is replaced.
    let odd = client
        .get(format!("{}/", app.address))
        .header("X-Request-Id", "<script>")
        .send()
        .await
        .unwrap();
    let fresh = odd.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(fresh.len(), 16);
    assert!(fresh.bytes().all(|b| b.is_ascii_hexdigit()));

    let logs = crate::logs::text();
    let lines = |id: &str| -> Vec<String> {
        logs.lines()
            .filter(|l| l.contains(&format!("id={id}")))
            .map(str::to_owned)
            .collect()
    };
    let traced = lines("trace-me-42");
    assert!(
        traced.iter().any(|l| l.contains("request finished")
            && l.contains("status=200")
            && l.contains("path=/roles/data-analyst")),
        "{traced:?}"
    );
    let refused = lines("refused-7");
    assert!(
        refused.iter().any(|l| l.contains("refused a POST")),
        "{refused:?}"
    );
    assert!(
        refused.iter().any(|l| l.contains("status=403")),
        "{refused:?}"
    );
    assert!(!logs.contains("<script>"));
}

/// The value of the first sample line starting with `prefix` (name and labels).
fn sample(metrics: &str, prefix: &str) -> Option<f64> {
    metrics
        .lines()
        .find(|l| l.starts_with(prefix))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_the_events_an_operator_watches() {
    let app = spawn_app().await;
    for _ in 0..3 {
        assert_eq!(
            app.get("/careers/cloud-engineer-to-backend-developer")
                .await
                .status(),
            200
        );
    }
    assert_eq!(
        app.get("/careers/cloud-engineer-to-nowhere").await.status(),
        404
    );
    assert_eq!(app.get("/no/such/page/at/all").await.status(), 404);
    let b = app.browser();
    b.register("m@example.com", "violet harbour lantern").await;
    let refused = b.sign_in("m@example.com", "a wrong password here").await;
    assert_eq!(refused.status, 422);

    let resp = app.get("/metrics").await;
    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = resp.text().await.unwrap();
    let guide =
        r#"careerswitch_http_requests_total{method="GET",route="/careers/{pair}",status="200"}"#;
    assert_eq!(sample(&text, guide), Some(3.0), "{text}");
    let missing =
        r#"careerswitch_http_requests_total{method="GET",route="/careers/{pair}",status="404"}"#;
    assert_eq!(sample(&text, missing), Some(1.0));
    // Paths nobody routes share one label, whatever they are.
    assert!(text.contains(r#"route="unmatched""#));
    assert!(!text.contains("/no/such/page"));
    assert!(
        text.contains(r#"careerswitch_http_request_duration_seconds_bucket{le="#)
            || text.contains("careerswitch_http_request_duration_seconds_bucket{route=")
    );
    assert_eq!(
        sample(&text, "careerswitch_sign_in_failures_total"),
        Some(1.0)
    );
    assert_eq!(
        sample(&text, "careerswitch_practice_gate_hits_total"),
        Some(0.0)
    );
    // The verification email waits in the outbox (no worker runs in tests).
    assert!(
        sample(&text, "careerswitch_mail_outbox_depth").unwrap() >= 1.0,
        "{text}"
    );
    app.deliver_mail().await;
    let text = app.get("/metrics").await.text().await.unwrap();
    assert_eq!(
        sample(&text, r#"careerswitch_mail_sends_total{outcome="sent"}"#),
        Some(1.0),
        "{text}"
    );
    assert_eq!(sample(&text, "careerswitch_mail_outbox_depth"), Some(0.0));
}
