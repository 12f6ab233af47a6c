//! A real SMTP server inside the test process (mailin-embedded on a loopback port), so
//! tests can read what the application sent.
//!
//! Each message is stored before the server answers the end of DATA with 250, so once a
//! client's send has returned the message is already here: tests never need to wait.

// A shared helper: each test reads the parts it needs, so some go unused in a given build.
#![allow(dead_code)]

use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use mail_parser::MessageParser;
use mailin_embedded::{Handler, Response, Server, response};

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct ReceivedEmail {
    /// The envelope recipients (RCPT TO), as the client sent them.
    pub to: Vec<String>,
    pub subject: String,
    /// The decoded text/plain part.
    pub text: String,
    /// The decoded text/html part.
    pub html: String,
    /// The whole message as sent, headers included.
    pub raw: String,
}

impl ReceivedEmail {
    /// The Message-ID header's value.
    pub fn message_id(&self) -> Option<String> {
        self.raw.lines().find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("message-id")
                .then(|| value.trim().to_owned())
        })
    }
}

impl ReceivedEmail {
    /// The first absolute URL in the text part whose path starts with `path_prefix`,
    /// e.g. `"/verify-email/"`.
    pub fn link(&self, path_prefix: &str) -> Option<String> {
        self.text
            .split_whitespace()
            .filter_map(|word| {
                let start = word.find("http://").or_else(|| word.find("https://"))?;
                let url =
                    word[start..].trim_end_matches(['.', ',', ';', ':', ')', ']', '>', '"', '\'']);
                Some(url)
            })
            .find(|url| {
                let after_scheme = &url[url.find("://").map_or(0, |i| i + 3)..];
                after_scheme
                    .find('/')
                    .is_some_and(|slash| after_scheme[slash..].starts_with(path_prefix))
            })
            .map(str::to_owned)
    }

    pub fn parse(to: Vec<String>, raw: Vec<u8>) -> Self {
        let parsed = MessageParser::default().parse(&raw);
        let (subject, text, html) = match &parsed {
            Some(message) => (
                message.subject().unwrap_or_default().to_owned(),
                message
                    .body_text(0)
                    .map(|t| t.replace("\r\n", "\n"))
                    .unwrap_or_default(),
                message
                    .body_html(0)
                    .map(|h| h.replace("\r\n", "\n"))
                    .unwrap_or_default(),
            ),
            None => Default::default(),
        };
        Self {
            to,
            subject,
            text,
            html,
            raw: String::from_utf8_lossy(&raw).into_owned(),
        }
    }
}

type Inbox = Arc<(Mutex<Vec<ReceivedEmail>>, std::sync::Condvar)>;

/// How the server answers each recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// 250: stored.
    Accept,
    /// 451: try again later.
    TryLater,
    /// 550: never.
    Refuse,
    /// Say nothing until told otherwise: a send caught here stays in flight.
    Hold,
}

/// The current answer, and a signal for sessions held by `Answer::Hold`.
type Answering = Arc<(Mutex<Answer>, std::sync::Condvar)>;

/// One SMTP session's view; mailin clones it for every connection.
#[derive(Clone)]
struct Recorder {
    inbox: Inbox,
    answer: Answering,
    to: Vec<String>,
    data: Vec<u8>,
}

impl Handler for Recorder {
    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.to = to.to_vec();
        self.data.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    /// A refusal comes at RCPT, where real servers usually give it.
    fn rcpt(&mut self, _to: &str) -> Response {
        let (answer, changed) = &*self.answer;
        let mut current = answer.lock().unwrap_or_else(|p| p.into_inner());
        while *current == Answer::Hold {
            current = changed.wait(current).unwrap_or_else(|p| p.into_inner());
        }
        match *current {
            Answer::TryLater => response::INTERNAL_ERROR,
            Answer::Refuse => response::NO_MAILBOX,
            Answer::Accept | Answer::Hold => response::OK,
        }
    }

    fn data_end(&mut self) -> Response {
        let email =
            ReceivedEmail::parse(std::mem::take(&mut self.to), std::mem::take(&mut self.data));
        let (inbox, arrived) = &*self.inbox;
        inbox
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(email);
        arrived.notify_all();
        response::OK
    }
}

/// A running SMTP server on `127.0.0.1` with a free port.
///
/// mailin-embedded's `serve()` loops forever and offers no way to stop it, so the server
/// thread (and its small pool of session threads) lives until the test process ends;
/// dropping `TestSmtp` only lets go of the handle.
pub struct TestSmtp {
    port: u16,
    inbox: Inbox,
    answer: Answering,
}

impl TestSmtp {
    /// Starts mailin-embedded on `127.0.0.1:0` on its own thread (`serve()` blocks).
    pub fn start() -> Self {
        Self::start_on(TcpListener::bind("127.0.0.1:0").expect("bind a loopback port for SMTP"))
    }

    /// Starts on a listener the caller bound (to bring a server "back" on a known port).
    pub fn start_on(listener: TcpListener) -> Self {
        let port = listener.local_addr().expect("SMTP listener address").port();
        let inbox: Inbox = Arc::default();
        let answer: Answering = Arc::new((Mutex::new(Answer::Accept), Default::default()));
        let recorder = Recorder {
            inbox: Arc::clone(&inbox),
            answer: Arc::clone(&answer),
            to: Vec::new(),
            data: Vec::new(),
        };
        let mut server = Server::new(recorder);
        // Each open client connection holds one session thread, and lettre keeps idle
        // connections in its pool, so allow a few more than a test will use at once.
        server
            .with_name("smtp.test")
            .with_num_threads(16)
            .with_tcp_listener(listener);
        std::thread::Builder::new()
            .name(format!("test-smtp-{port}"))
            .spawn(move || {
                if let Err(e) = server.serve() {
                    eprintln!("test SMTP server on port {port} stopped: {e}");
                }
            })
            .expect("start the SMTP server thread");
        Self {
            port,
            inbox,
            answer,
        }
    }

    /// From now on, answer each recipient like this.
    pub fn answer(&self, answer: Answer) {
        let (current, changed) = &*self.answer;
        *current.lock().unwrap_or_else(|p| p.into_inner()) = answer;
        changed.notify_all();
    }

    /// Blocks until at least `n` messages have been stored (the event, not a sleep).
    pub fn wait_for(&self, n: usize) {
        let (inbox, arrived) = &*self.inbox;
        let mut stored = inbox.lock().unwrap_or_else(|p| p.into_inner());
        while stored.len() < n {
            stored = arrived.wait(stored).unwrap_or_else(|p| p.into_inner());
        }
    }

    /// `smtp://127.0.0.1:PORT` (plain SMTP, for `CAREERSWITCH_SMTP_URL`).
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Everything received so far, in order of arrival.
    pub fn received(&self) -> Vec<ReceivedEmail> {
        self.inbox
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// The messages with `address` among their envelope recipients (case-insensitive).
    pub fn to(&self, address: &str) -> Vec<ReceivedEmail> {
        self.received()
            .into_iter()
            .filter(|email| email.to.iter().any(|to| to.eq_ignore_ascii_case(address)))
            .collect()
    }
}
