//! axe-core in a real browser (JavaScript on, since axe is a script): no serious or
//! critical violation on any key page. axe-core comes from npm, pinned in
//! `tests/browser/package.json`; `npm ci --prefix tests/browser` installs it.

use std::path::PathBuf;

use serde::Deserialize;
use serde_json::json;

use super::flows::{
    ADMIN, GUIDE, answer_question, register_confirm_and_sign_in, save_and_build_plan,
};
use super::{JavaScript, Tab};
use crate::helpers::spawn_app_with_smtp;

/// axe.min.js: `AXE_CORE_JS`, or where `npm ci --prefix tests/browser` puts it.
fn axe_source() -> String {
    let path = std::env::var_os("AXE_CORE_JS").map_or_else(
        || {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/browser/node_modules/axe-core/axe.min.js")
        },
        PathBuf::from,
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "axe-core is needed for the accessibility test but {} cannot be read ({e}). \
             Run `npm ci --prefix tests/browser`, or set AXE_CORE_JS to an axe.min.js.",
            path.display()
        )
    })
}

#[derive(Debug, Deserialize)]
struct Violation {
    id: String,
    impact: Option<String>,
    help: String,
    #[serde(rename = "helpUrl")]
    help_url: String,
    nodes: Vec<ViolationNode>,
}

#[derive(Debug, Deserialize)]
struct ViolationNode {
    target: serde_json::Value,
    html: String,
    #[serde(rename = "failureSummary")]
    failure_summary: Option<String>,
}

impl Violation {
    fn blocks(&self) -> bool {
        matches!(self.impact.as_deref(), Some("serious" | "critical"))
    }

    fn describe(&self, page: &str) -> String {
        let mut out = format!(
            "{page}: [{}] {} — {} ({})",
            self.impact.as_deref().unwrap_or("?"),
            self.id,
            self.help,
            self.help_url
        );
        for node in &self.nodes {
            out.push_str(&format!("\n    at {}: {}", node.target, node.html));
            if let Some(summary) = &node.failure_summary {
                out.push_str(&format!("\n      {}", summary.replace('\n', "\n      ")));
            }
        }
        out
    }
}

const RUN_AXE: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ["violations"] })
  .then((r) => done({
    violations: r.violations,
    passed: r.passes.length,
    undecided: r.incomplete.map((i) => {
      const at = i.nodes.map((n) =>
        `${n.target.join(" ")} (${n.any.map((c) => c.message).join("; ")})`);
      return `${i.id} at ${at.join(", ")}`;
    }),
  }))
  .catch((e) => done({ error: String(e) }));
"#;

/// Injects axe into the page the tab shows, runs it and returns its violations.
async fn axe(tab: &Tab, source: &str) -> Vec<Violation> {
    let loaded = tab
        .c
        .execute(&format!("{source}\nreturn typeof axe;"), vec![])
        .await
        .unwrap_or_else(|e| panic!("[{}] injecting axe-core: {e}", tab.current_step()));
    assert_eq!(loaded, json!("object"), "axe-core is on the page");
    let result = tab
        .c
        .execute_async(RUN_AXE, vec![])
        .await
        .unwrap_or_else(|e| panic!("[{}] running axe-core: {e}", tab.current_step()));
    if let Some(error) = result.get("error") {
        panic!("[{}] axe-core failed: {error}", tab.current_step());
    }
    eprintln!(
        "[{}] axe-core: {} rules passed; needs a person to judge: {}",
        tab.current_step(),
        result["passed"],
        result["undecided"]
    );
    serde_json::from_value(result["violations"].clone()).expect("axe's result format")
}

#[tokio::test]
async fn key_pages_have_no_serious_or_critical_axe_violations() {
    let source = axe_source();
    let (app, mailbox) = spawn_app_with_smtp(&[("CAREERSWITCH_ADMIN_EMAILS", ADMIN)]).await;
    let tab = Tab::open(&app.address, "axe", JavaScript::On).await;
    tab.run(async {
        let mut checked = Vec::new();
        let mut blocking = Vec::new();
        let mut check = async |name: &str, heading: &str| {
            tab.step(name);
            tab.expect_h1(heading).await;
            let path = tab.path().await;
            let page = format!("{name} ({path})");
            let mut fails_here = false;
            for v in axe(&tab, &source).await {
                if v.blocks() {
                    fails_here = true;
                    blocking.push(v.describe(&page));
                } else {
                    eprintln!("note, not failing: {}", v.describe(&page));
                }
            }
            if fails_here {
                tab.save_evidence().await;
            }
            checked.push(page);
        };

        // The check itself: a page with an image lacking a text alternative fails it.
        tab.step("self-check");
        let broken = "<html lang='en'><title>t</title><main><h1>t</h1><img src='x.png'></main>";
        tab.c
            .goto(&format!("data:text/html,{broken}"))
            .await
            .unwrap();
        let found: Vec<String> = axe(&tab, &source)
            .await
            .into_iter()
            .filter(Violation::blocks)
            .map(|v| v.id)
            .collect();
        assert_eq!(found, ["image-alt"], "axe-core reports a missing alt text");

        // What a visitor sees.
        tab.visit("home", "/").await;
        check("home", "Plan your next career with real numbers").await;
        tab.visit("guide", GUIDE).await;
        check("guide", "Cloud Engineer to Backend Developer").await;
        tab.visit("role", "/roles/data-analyst").await;
        check("role", "Data Analyst").await;
        tab.visit("sign-in", "/sign-in").await;
        check("sign-in", "Sign in").await;
        tab.visit("register", "/register").await;
        check("register", "Create an account").await;
        // A form sent back with errors.
        tab.fill("#email", "not an address").await;
        tab.click("form[action='/register'] button[type=submit]")
            .await;
        tab.wait_xpath("//p[@class='field-error']", "the field errors")
            .await;
        check("register-errors", "Create an account").await;
        tab.visit("practice", "/practice/data-analyst").await;
        check("practice", "Data Analyst interview practice").await;

        // What a signed-in user (here also an admin) sees.
        register_confirm_and_sign_in(&tab, &mailbox, ADMIN).await;
        save_and_build_plan(&tab).await;
        check("plan", "Your plan: Cloud Engineer to Backend Developer").await;
        tab.visit("guide-signed-in", GUIDE).await;
        check("guide-signed-in", "Cloud Engineer to Backend Developer").await;
        tab.visit("dashboard", "/dashboard").await;
        check("dashboard", "Your dashboard").await;
        tab.visit("practice-question", "/practice/backend-developer")
            .await;
        tab.find("section[aria-labelledby='questions-heading'] ul.route-list a")
            .await
            .click()
            .await
            .unwrap();
        tab.wait_xpath("//textarea[@id='answer-text']", "the answer box")
            .await;
        answer_question(
            &tab,
            "I built an API in Python, tested it and measured the result.",
        )
        .await;
        tab.wait_xpath("//section[@id='feedback']", "feedback")
            .await;
        check("practice-feedback", "Backend Developer interview practice").await;
        tab.visit("admin", "/admin").await;
        check("admin", "Admin").await;
        tab.visit("admin-role", "/admin/roles/data-analyst").await;
        check("admin-role", "Edit Data Analyst").await;

        eprintln!("axe-core checked: {}", checked.join(", "));
        assert!(
            blocking.is_empty(),
            "serious or critical accessibility violations:\n{}",
            blocking.join("\n")
        );
    })
    .await;
    tab.close().await;
}
