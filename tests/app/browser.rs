//! Real headless Chromium through chromedriver (feature `browser-tests`; `.ci/run`
//! installs both).

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::helpers::spawn_app;

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

async fn browser(driver: &Chromedriver, profile: &std::path::Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,900", format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a browser session starts")
}

#[tokio::test]
async fn the_picker_leads_to_a_guide_without_javascript_and_the_skip_link_comes_first() {
    let app = spawn_app().await;
    let driver = start_chromedriver();
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;

    c.goto(&format!("{}/", app.address)).await.unwrap();
    // The first Tab lands on the skip link, which is visible while focused.
    c.find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("\u{E004}")
        .await
        .unwrap();
    let focused = c.active_element().await.unwrap();
    assert_eq!(focused.text().await.unwrap(), "Skip to main content");

    c.find(Locator::Css("#from"))
        .await
        .unwrap()
        .select_by_value("registered-nurse")
        .await
        .unwrap();
    c.find(Locator::Css("#to"))
        .await
        .unwrap()
        .select_by_value("data-analyst")
        .await
        .unwrap();
    c.find(Locator::Css(".picker button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let heading = c.wait().for_element(Locator::Css("h1")).await.unwrap();
    assert_eq!(
        c.current_url().await.unwrap().path(),
        "/careers/registered-nurse-to-data-analyst"
    );
    assert_eq!(
        heading.text().await.unwrap(),
        "Registered Nurse to Data Analyst"
    );
    // The FAQ works as native disclosure widgets.
    let first = c.find(Locator::Css("details.faq summary")).await.unwrap();
    first.click().await.unwrap();
    let open = c
        .find(Locator::Css("details.faq"))
        .await
        .unwrap()
        .attr("open")
        .await
        .unwrap();
    assert!(open.is_some(), "clicking a question opens its answer");
    c.close().await.unwrap();
}
