use std::collections::HashMap;

use careerswitch::config::Settings;
use careerswitch::startup::Application;
use careerswitch::web::AppState;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub state: actix_web::web::Data<AppState>,
    pub data_dir: tempfile::TempDir,
}

pub fn settings_for(dir: &std::path::Path, extra: &[(&str, &str)]) -> Settings {
    let mut vars: HashMap<String, String> = HashMap::from([
        ("CAREERSWITCH_BIND".to_owned(), "127.0.0.1:0".to_owned()),
        (
            "CAREERSWITCH_DATA_DIR".to_owned(),
            dir.to_string_lossy().into_owned(),
        ),
        ("CAREERSWITCH_WORKERS".to_owned(), "2".to_owned()),
    ]);
    for (k, v) in extra {
        vars.insert((*k).to_owned(), (*v).to_owned());
    }
    Settings::from_lookup(|k| vars.get(k).cloned()).expect("test settings are valid")
}

pub async fn spawn_app() -> TestApp {
    spawn_app_in(tempfile::tempdir().expect("temp dir")).await
}

pub async fn spawn_app_in(data_dir: tempfile::TempDir) -> TestApp {
    let settings = settings_for(data_dir.path(), &[]);
    let app = Application::build(settings).await.expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state();
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    TestApp {
        address,
        client,
        state,
        data_dir,
    }
}

impl TestApp {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{}", self.address, path))
            .send()
            .await
            .expect("request sent")
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let resp = self.get(path).await;
        let status = resp.status().as_u16();
        (status, resp.text().await.expect("body"))
    }
}

/// The visible text of an HTML page: tags, scripts and entities removed, whitespace folded.
pub fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        strip_tags(&rest[..start], &mut out);
        rest = rest[start..]
            .find("</script>")
            .map_or("", |end| &rest[start + end + 9..]);
    }
    strip_tags(rest, &mut out);
    let decoded = out
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn strip_tags(html: &str, out: &mut String) {
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
}

/// The HTML between the first occurrence of `start` and the next `end` after it.
pub fn between<'a>(html: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = html.find(start)? + start.len();
    let to = html[from..].find(end)? + from;
    Some(&html[from..to])
}
