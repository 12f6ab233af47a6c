use std::collections::HashMap;

use careerswitch::config::Settings;
use careerswitch::startup::Application;
use careerswitch::web::AppState;

use crate::smtp::TestSmtp;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub state: actix_web::web::Data<AppState>,
    pub data_dir: tempfile::TempDir,
    /// The database this app uses: a file in `data_dir`, or a fresh PostgreSQL database
    /// made for this test when `TEST_DATABASE_URL` is set.
    pub database_url: String,
    /// Drops that PostgreSQL database when the test ends.
    _database: Option<crate::database::TestDatabase>,
}

pub fn settings_for(dir: &std::path::Path, extra: &[(&str, &str)]) -> Settings {
    let mut vars: HashMap<String, String> = HashMap::from([
        ("CAREERSWITCH_BIND".to_owned(), "127.0.0.1:0".to_owned()),
        (
            "CAREERSWITCH_DATA_DIR".to_owned(),
            dir.to_string_lossy().into_owned(),
        ),
        ("CAREERSWITCH_WORKERS".to_owned(), "2".to_owned()),
        // Tests drive the mail worker's step function themselves (`deliver_mail`).
        ("CAREERSWITCH_MAIL_WORKER".to_owned(), "off".to_owned()),
    ]);
    for (k, v) in extra {
        vars.insert((*k).to_owned(), (*v).to_owned());
    }
    Settings::from_lookup(|k| vars.get(k).cloned()).expect("test settings are valid")
}

pub async fn spawn_app() -> TestApp {
    spawn_app_configured(tempfile::tempdir().expect("temp dir"), &[]).await
}

/// An app that sends email to a real SMTP server on loopback inside this process.
pub async fn spawn_app_with_smtp(extra: &[(&str, &str)]) -> (TestApp, Mailbox) {
    let smtp = TestSmtp::start();
    let url = smtp.url();
    let mut vars = vec![("CAREERSWITCH_SMTP_URL", url.as_str())];
    vars.extend_from_slice(extra);
    let app = spawn_app_configured(tempfile::tempdir().expect("temp dir"), &vars).await;
    let mailbox = Mailbox {
        smtp,
        state: app.state.clone(),
    };
    (app, mailbox)
}

/// The test SMTP server's mailbox, read the way a person would: after everything the app
/// has queued so far has been delivered. Emails go out after a response, so each read
/// first waits for the app's background deliveries (an event, not a sleep).
pub struct Mailbox {
    pub smtp: TestSmtp,
    state: actix_web::web::Data<AppState>,
}

impl Mailbox {
    pub async fn received(&self) -> Vec<crate::smtp::ReceivedEmail> {
        deliver_mail(&self.state).await;
        self.smtp.received()
    }

    pub async fn to(&self, address: &str) -> Vec<crate::smtp::ReceivedEmail> {
        deliver_mail(&self.state).await;
        self.smtp.to(address)
    }
}

/// Everything the app has queued so far, handed to the mail server: waits for work
/// started after earlier responses, then runs the mail worker's step until nothing is due.
pub async fn deliver_mail(state: &AppState) {
    state.background_settled().await;
    state
        .mail_worker
        .drain(chrono::Utc::now().naive_utc())
        .await
        .expect("the mail worker runs");
}

pub async fn spawn_app_configured(data_dir: tempfile::TempDir, extra: &[(&str, &str)]) -> TestApp {
    let database = test_database(data_dir.path());
    spawn_app_on(data_dir, database, extra).await
}

/// A fresh database for one test: a PostgreSQL database of its own when
/// `TEST_DATABASE_URL` is set, else a file in `dir`. Returns its URL and, for PostgreSQL,
/// the handle that drops it.
pub fn test_database(dir: &std::path::Path) -> (String, Option<crate::database::TestDatabase>) {
    let database = crate::database::TestDatabase::create();
    let url = match &database {
        Some(db) => db.url.clone(),
        None => dir.join("careerswitch.db").to_string_lossy().into_owned(),
    };
    (url, database)
}

/// The app on this data folder and database (from `test_database`), which may already
/// hold data.
pub async fn spawn_app_on(
    data_dir: tempfile::TempDir,
    (database_url, database): (String, Option<crate::database::TestDatabase>),
    extra: &[(&str, &str)],
) -> TestApp {
    let mut vars: Vec<(&str, &str)> = vec![("CAREERSWITCH_DATABASE_URL", &database_url)];
    vars.extend_from_slice(extra);
    let (address, state) = start(settings_for(data_dir.path(), &vars)).await;
    TestApp {
        address,
        client: plain_client(),
        state,
        data_dir,
        database_url,
        _database: database,
    }
}

async fn start(settings: Settings) -> (String, actix_web::web::Data<AppState>) {
    let app = Application::build(settings).await.expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state();
    tokio::spawn(app.run_until_stopped());
    (address, state)
}

fn plain_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A second server on the same data folder and database, as after a restart or as
/// another instance behind a load balancer: it shares the session key and every row.
pub struct Sibling {
    pub address: String,
    pub state: actix_web::web::Data<AppState>,
}

impl TestApp {
    /// See `deliver_mail`.
    pub async fn deliver_mail(&self) {
        deliver_mail(&self.state).await;
    }

    /// Settings for another app on this one's data folder and database.
    pub fn settings_with(&self, extra: &[(&str, &str)]) -> Settings {
        let mut vars: Vec<(&str, &str)> = vec![("CAREERSWITCH_DATABASE_URL", &self.database_url)];
        vars.extend_from_slice(extra);
        settings_for(self.data_dir.path(), &vars)
    }

    /// Starts another server on the same data folder and database.
    pub async fn sibling(&self, extra: &[(&str, &str)]) -> Sibling {
        let (address, state) = start(self.settings_with(extra)).await;
        Sibling { address, state }
    }

    /// Whether this run uses PostgreSQL (`TEST_DATABASE_URL`) rather than SQLite.
    pub fn on_postgres(&self) -> bool {
        self.database_url.starts_with("postgres")
    }

    /// Renames a role straight in the database, as an admin edit would.
    pub async fn rename_role(&self, slug: &str, title: &str) {
        let pool = self.state.pool.clone();
        let mut role = self
            .state
            .content
            .catalogue()
            .role(slug)
            .expect("role exists")
            .clone();
        role.title = title.to_owned();
        let slug = slug.to_owned();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().unwrap();
            careerswitch::db::catalogue::save_role(&mut conn, &slug, &role).unwrap();
        })
        .await
        .unwrap();
    }

    /// A fresh "browser": its own cookie jar, redirects not followed.
    pub fn browser(&self) -> Browser {
        Browser {
            base: self.address.clone(),
            client: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
        }
    }

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

pub struct Browser {
    pub base: String,
    pub client: reqwest::Client,
}

pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub set_cookie: Vec<String>,
    pub html: String,
}

impl Page {
    pub fn text(&self) -> String {
        visible_text(&self.html)
    }

    pub fn csrf(&self) -> String {
        csrf_token(&self.html)
            .unwrap_or_else(|| panic!("no CSRF token on the page: {}", self.text()))
    }
}

/// The value of the first hidden `csrf_token` field.
pub fn csrf_token(html: &str) -> Option<String> {
    between(html, r#"name="csrf_token" value=""#, "\"").map(str::to_owned)
}

async fn into_page(resp: reqwest::Response) -> Page {
    let status = resp.status().as_u16();
    let location = resp
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned());
    let set_cookie = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    Page {
        status,
        location,
        set_cookie,
        html: resp.text().await.unwrap(),
    }
}

impl Browser {
    pub async fn get(&self, path: &str) -> Page {
        into_page(
            self.client
                .get(format!("{}{}", self.base, path))
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        into_page(
            self.client
                .post(format!("{}{}", self.base, path))
                .form(form)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// Opens `page_path`, then submits its form to `action` with the page's CSRF token.
    pub async fn submit(&self, page_path: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.get(page_path).await.csrf();
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf_token", &token));
        self.post(action, &form).await
    }

    pub async fn register(&self, email: &str, password: &str) -> Page {
        self.submit(
            "/register",
            "/register",
            &[
                ("email", email),
                ("password", password),
                ("time_zone", "Europe/London"),
            ],
        )
        .await
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Page {
        self.submit(
            "/sign-in",
            "/sign-in",
            &[("email", email), ("password", password)],
        )
        .await
    }

    pub async fn sign_out(&self) -> Page {
        self.submit("/account", "/sign-out", &[]).await
    }

    /// Whether /account is open to this browser (rather than redirecting to sign in).
    pub async fn is_signed_in(&self) -> bool {
        let page = self.get("/account").await;
        match page.status {
            200 => true,
            303 => false,
            other => panic!("unexpected status {other} for /account"),
        }
    }
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The value of attribute `name` in one tag's text (`<input name="x" value="y">`).
fn attribute(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let from = tag.find(&key)? + key.len();
    let to = tag[from..].find('"')? + from;
    Some(unescape(&tag[from..to]))
}

/// What a browser would submit from the form whose action is `action`: every named input
/// (checkboxes only when checked; buttons left out), textarea and select (its selected
/// option, or its first).
pub fn form_fields(html: &str, action: &str) -> Vec<(String, String)> {
    let marker = format!("action=\"{action}\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no form posting to {action}"));
    let end = html[start..]
        .find("</form>")
        .map_or(html.len(), |e| start + e);
    let form = &html[start..end];
    let mut fields = Vec::new();
    let mut rest = form;
    while let Some(open) = rest.find('<') {
        rest = &rest[open..];
        let close = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..close];
        if tag.starts_with("<input") {
            let kind = attribute(tag, "type").unwrap_or_default();
            if let Some(name) = attribute(tag, "name")
                && kind != "submit"
                && (kind != "checkbox" || tag.contains(" checked"))
            {
                fields.push((name, attribute(tag, "value").unwrap_or_default()));
            }
        } else if tag.starts_with("<textarea") {
            let body_end = rest.find("</textarea>").unwrap_or(rest.len());
            if let Some(name) = attribute(tag, "name") {
                fields.push((name, unescape(&rest[close + 1..body_end])));
            }
        } else if tag.starts_with("<select") {
            let body_end = rest.find("</select>").unwrap_or(rest.len());
            let body = &rest[close + 1..body_end];
            let options: Vec<&str> = body.split("<option").skip(1).collect();
            let chosen = options
                .iter()
                .find(|o| o.split('>').next().unwrap_or("").contains(" selected"))
                .or(options.first());
            if let (Some(name), Some(option)) = (attribute(tag, "name"), chosen) {
                fields.push((name, attribute(option, "value").unwrap_or_default()));
            }
        }
        rest = &rest[1..];
    }
    fields
}

/// `fields` with each of `changes` set (replacing the first field of that name, or added).
pub fn with_changes(
    mut fields: Vec<(String, String)>,
    changes: &[(&str, &str)],
) -> Vec<(String, String)> {
    for (name, value) in changes {
        match fields.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = (*value).to_owned(),
            None => fields.push(((*name).to_owned(), (*value).to_owned())),
        }
    }
    fields
}

impl Browser {
    /// Opens `page_path`, takes the form posting to `action` as the browser shows it, applies
    /// `changes` and submits it.
    pub async fn edit_form(&self, page_path: &str, action: &str, changes: &[(&str, &str)]) -> Page {
        let page = self.get(page_path).await;
        assert_eq!(page.status, 200, "{page_path}: {}", page.text());
        let fields = with_changes(form_fields(&page.html, action), changes);
        let form: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        self.post(action, &form).await
    }

    /// The response headers of a GET, with its body.
    pub async fn get_with_headers(&self, path: &str) -> (reqwest::header::HeaderMap, Page) {
        let resp = self
            .client
            .get(format!("{}{}", self.base, path))
            .send()
            .await
            .unwrap();
        let headers = resp.headers().clone();
        (headers, into_page(resp).await)
    }
}
