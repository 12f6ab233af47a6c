//! Real headless Chromium through chromedriver (feature `browser-tests`; `.ci/run`
//! installs both).
//!
//! The user flows run with JavaScript switched off in the browser, so they prove every
//! page works without it; the accessibility check runs axe-core (from npm, pinned in
//! `tests/browser`) in a session with JavaScript on. When a flow fails, a screenshot and
//! the HTML of the page it was on are saved under
//! `$CARGO_TARGET_TMPDIR/browser-screenshots/<test>-<step>.{png,html}`.

mod accessibility;
mod flows;

use std::future::Future;
use std::net::{TcpListener, TcpStream};
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use futures_util::FutureExt;
use serde_json::json;

struct Chromedriver {
    child: Child,
    port: u16,
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_chromedriver() -> Chromedriver {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child =
        Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is installed (apt-get install -y chromium chromium-driver)");
    // Wait until it accepts connections: readiness of a child process, not test timing.
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Chromedriver { child, port }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum JavaScript {
    On,
    Off,
}

async fn browser(driver: &Chromedriver, profile: &std::path::Path, js: JavaScript) -> Client {
    let mut options = json!({
        "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--window-size=1280,900", format!("--user-data-dir={}", profile.display()),
        ],
    });
    if js == JavaScript::Off {
        // What a visitor with JavaScript blocked gets: the page's scripts never run.
        options["prefs"] = json!({ "profile.managed_default_content_settings.javascript": 2 });
    }
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), options);
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a browser session starts")
}

/// How long a page may take to show what a step waits for.
const PATIENCE: Duration = Duration::from_secs(10);

/// One browser window on the app under test, with its own chromedriver and profile. It
/// knows which step of its flow it is on, so a failure can leave a screenshot behind.
struct Tab {
    c: Client,
    base: String,
    test: &'static str,
    step: Mutex<String>,
    _profile: tempfile::TempDir,
    _driver: Chromedriver,
}

impl Tab {
    async fn open(base: &str, test: &'static str, js: JavaScript) -> Tab {
        let driver = start_chromedriver();
        let profile = tempfile::tempdir().unwrap();
        let c = browser(&driver, profile.path(), js).await;
        let tab = Tab {
            c,
            base: base.trim_end_matches('/').to_owned(),
            test,
            step: Mutex::new("start".into()),
            _profile: profile,
            _driver: driver,
        };
        if js == JavaScript::Off {
            tab.run(async {
                // A page whose only script would retitle it keeps its title.
                tab.c
                    .goto("data:text/html,<title>off</title><script>document.title='on'</script>")
                    .await
                    .unwrap();
                assert_eq!(
                    tab.c.title().await.unwrap(),
                    "off",
                    "JavaScript is off in this session"
                );
            })
            .await;
        }
        tab
    }

    /// Runs `flow`; if it panics, saves what the browser shows, ends the browser session
    /// and lets the panic go on.
    async fn run(&self, flow: impl Future<Output = ()>) {
        if let Err(panic) = AssertUnwindSafe(flow).catch_unwind().await {
            self.save_evidence().await;
            let _ = self.c.clone().close().await;
            std::panic::resume_unwind(panic);
        }
    }

    /// Ends the browser session (chromedriver goes when the tab is dropped).
    async fn close(self) {
        self.c.clone().close().await.unwrap();
    }

    async fn save_evidence(&self) {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots");
        let _ = std::fs::create_dir_all(&dir);
        let stem = format!("{}-{}", self.test, self.current_step());
        if let Ok(url) = self.c.current_url().await {
            eprintln!("[{stem}] the browser was at {url}");
        }
        match self.c.screenshot().await {
            Ok(png) => {
                let path = dir.join(format!("{stem}.png"));
                match std::fs::write(&path, png) {
                    Ok(()) => eprintln!("[{stem}] screenshot saved: {}", path.display()),
                    Err(e) => eprintln!("[{stem}] could not save {}: {e}", path.display()),
                }
            }
            Err(e) => eprintln!("[{stem}] no screenshot: {e}"),
        }
        if let Ok(html) = self.c.source().await {
            let path = dir.join(format!("{stem}.html"));
            if std::fs::write(&path, html).is_ok() {
                eprintln!("[{stem}] page source saved: {}", path.display());
            }
        }
    }

    fn current_step(&self) -> String {
        self.step.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Names the key page the flow is on now (used for the screenshot's name).
    fn step(&self, name: &str) {
        *self.step.lock().unwrap_or_else(|e| e.into_inner()) = name.to_owned();
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Opens `path` as if typed into the address bar.
    async fn visit(&self, step: &str, path: &str) {
        self.step(step);
        self.c
            .goto(&self.url(path))
            .await
            .unwrap_or_else(|e| panic!("[{step}] open {path}: {e}"));
    }

    /// The path (and query) the browser is at.
    async fn path(&self) -> String {
        let url = self.c.current_url().await.unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        }
    }

    async fn find(&self, css: &str) -> Element {
        self.c
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("[{}] no element {css}: {e}", self.current_step()))
    }

    async fn count(&self, css: &str) -> usize {
        self.c.find_all(Locator::Css(css)).await.unwrap().len()
    }

    async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap()
    }

    /// The current value of the form field `css` (what the browser would submit).
    async fn value(&self, css: &str) -> Option<String> {
        self.find(css).await.prop("value").await.unwrap()
    }

    async fn attr(&self, css: &str, name: &str) -> Option<String> {
        self.find(css).await.attr(name).await.unwrap()
    }

    /// The page's main content as a reader sees it.
    async fn main_text(&self) -> String {
        self.text("main").await
    }

    /// Waits until an element matching `xpath` is on the page.
    async fn wait_xpath(&self, xpath: &str, what: &str) -> Element {
        match self
            .c
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::XPath(xpath))
            .await
        {
            Ok(element) => element,
            Err(e) => {
                let h1 = match self.c.find(Locator::Css("h1")).await {
                    Ok(h) => h.text().await.unwrap_or_default(),
                    Err(_) => "(no h1)".into(),
                };
                let at = self.path().await;
                let step = self.current_step();
                panic!("[{step}] waited for {what}; the page at {at} (“{h1}”) never showed it: {e}")
            }
        }
    }

    /// Waits for the page whose main heading reads `text`.
    async fn expect_h1(&self, text: &str) {
        self.wait_xpath(
            &format!("//h1[normalize-space()={}]", xpath_literal(text)),
            &format!("the heading “{text}”"),
        )
        .await;
    }

    /// Waits until an element matching `css_scope` (an XPath step such as `main` or
    /// `p[@id='allowance']`) shows `text`.
    async fn expect_in(&self, scope: &str, text: &str) -> Element {
        self.wait_xpath(
            &format!(
                "//{scope}[contains(normalize-space(.), {})]",
                xpath_literal(text)
            ),
            &format!("“{text}” in {scope}"),
        )
        .await
    }

    /// Types `value` into the field `css`, replacing what was there.
    async fn fill(&self, css: &str, value: &str) {
        let field = self.find(css).await;
        field.clear().await.unwrap();
        field.send_keys(value).await.unwrap();
    }

    async fn choose(&self, css: &str, value: &str) {
        self.find(css)
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("[{}] choose {value} in {css}: {e}", self.current_step()));
    }

    async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("[{}] click {css}: {e}", self.current_step()));
    }

    /// Follows the link whose text is exactly `text`.
    async fn click_link(&self, text: &str) {
        self.c
            .find(Locator::LinkText(text))
            .await
            .unwrap_or_else(|e| panic!("[{}] no link “{text}”: {e}", self.current_step()))
            .click()
            .await
            .unwrap();
    }
}

/// `s` as an XPath 1.0 string literal (which has no escapes).
fn xpath_literal(s: &str) -> String {
    if !s.contains('"') {
        format!("\"{s}\"")
    } else if !s.contains('\'') {
        format!("'{s}'")
    } else {
        let parts: Vec<String> = s.split('"').map(|p| format!("\"{p}\"")).collect();
        format!("concat({})", parts.join(", '\"', "))
    }
}
