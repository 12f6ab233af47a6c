use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mail_parser::MessageParser;

use super::messages;
use super::*;
use crate::config::Settings;

const HOSTILE: &str = r#"https://example.org/verify-email/abc"><script>alert(1)</script>&x='y'"#;

fn settings(dir: &Path, smtp_url: Option<&str>) -> Settings {
    let dir = dir.to_string_lossy().into_owned();
    let smtp_url = smtp_url.map(str::to_owned);
    Settings::from_lookup(move |name| match name {
        "CAREERSWITCH_DATA_DIR" => Some(dir.clone()),
        "CAREERSWITCH_SMTP_URL" => smtp_url.clone(),
        "CAREERSWITCH_MAIL_FROM" => Some("CareerSwitch <no-reply@careerswitch.test>".into()),
        _ => None,
    })
    .unwrap()
}

/// Every message, rendered with `link` in each link slot.
fn all_messages(to: &str, link: &str) -> Vec<OutgoingEmail> {
    vec![
        messages::verify_email(to, link).unwrap(),
        messages::reset_password(to, link).unwrap(),
        messages::registration_attempt(to, link, link).unwrap(),
        messages::password_changed(to, link).unwrap(),
        messages::confirm_new_email(to, link).unwrap(),
        messages::email_changed(to, "new@example.org", link).unwrap(),
        messages::email_in_use(to, link).unwrap(),
    ]
}

#[test]
fn every_message_renders_its_links_once() {
    let sign_in = "https://example.org/sign-in";
    let reset = "https://example.org/forgot-password";
    let token = "https://example.org/verify-email/tok123?a=1&b=2";
    let html_token = "https://example.org/verify-email/tok123?a=1&#38;b=2";
    let cases: Vec<(OutgoingEmail, Vec<(&str, &str)>)> = vec![
        (
            messages::verify_email("a@example.org", token).unwrap(),
            vec![(token, html_token)],
        ),
        (
            messages::reset_password("a@example.org", token).unwrap(),
            vec![(token, html_token)],
        ),
        (
            messages::registration_attempt("a@example.org", sign_in, reset).unwrap(),
            vec![(sign_in, sign_in), (reset, reset)],
        ),
        (
            messages::password_changed("a@example.org", reset).unwrap(),
            vec![(reset, reset)],
        ),
        (
            messages::confirm_new_email("a@example.org", token).unwrap(),
            vec![(token, html_token)],
        ),
        (
            messages::email_changed("a@example.org", "new@example.org", reset).unwrap(),
            vec![(reset, reset)],
        ),
        (
            messages::email_in_use("a@example.org", reset).unwrap(),
            vec![(reset, reset)],
        ),
    ];
    for (email, links) in cases {
        assert_eq!(email.to, "a@example.org");
        assert!(!email.subject.is_empty() && email.subject.contains("CareerSwitch"));
        assert!(!email.subject.contains(['\r', '\n']), "{}", email.subject);
        assert!(email.text.ends_with('\n'));
        assert!(email.html.contains(r#"<html lang="en-GB">"#));
        assert!(email.html.contains("max-width:600px"));
        assert!(
            email
                .html
                .contains(&format!("<title>{}</title>", email.subject)),
            "{}",
            email.subject
        );
        for (text_link, html_link) in links {
            // On a line of its own in the text part.
            let own_line = format!("\n{text_link}\n");
            assert_eq!(
                email.text.matches(&own_line).count(),
                1,
                "{}",
                email.subject
            );
            assert_eq!(
                email.text.matches(text_link).count(),
                1,
                "{}",
                email.subject
            );
            // A button plus the address spelled out, which is only text.
            let href = format!("href=\"{html_link}\"");
            assert_eq!(email.html.matches(&href).count(), 1, "{}", email.subject);
            assert_eq!(
                email.html.matches(html_link).count(),
                2,
                "{}",
                email.subject
            );
        }
        // Voice: plain, no exclamation marks, in either part.
        assert!(!email.text.contains('!'), "{}", email.subject);
        assert_eq!(
            email.html.matches('!').count(),
            1,
            "only <!DOCTYPE: {}",
            email.subject
        );
    }
}

#[test]
fn the_time_limits_are_stated() {
    let link = "https://example.org/x";
    let verify = messages::verify_email("a@example.org", link).unwrap();
    assert!(verify.text.contains("24 hours") && verify.html.contains("24 hours"));
    let reset = messages::reset_password("a@example.org", link).unwrap();
    assert!(reset.text.contains("1 hour ") && reset.html.contains("1 hour "));
    assert!(reset.text.contains("Your password\nis unchanged"));
    let confirm = messages::confirm_new_email("a@example.org", link).unwrap();
    assert!(confirm.text.contains("24 hours") && confirm.html.contains("24 hours"));
    let changed = messages::email_changed("old@example.org", "new@example.org", link).unwrap();
    assert!(changed.text.contains("\nnew@example.org\n"));
    assert!(changed.html.contains("new@example.org"));
}

#[test]
fn html_escapes_hostile_links_and_addresses_and_text_does_not() {
    let hostile_email = r#"x"><script>@example.org"#;
    for email in all_messages("a@example.org", HOSTILE) {
        assert!(!email.html.contains("<script>"), "{}", email.subject);
        assert!(email.html.contains("&#34;&#62;&#60;script&#62;"));
        // Plain text is not HTML: the link must reach the reader exactly as given.
        assert!(email.text.contains(HOSTILE), "{}", email.subject);
    }
    let changed =
        messages::email_changed("a@example.org", hostile_email, "https://e.org/r").unwrap();
    assert!(!changed.html.contains("<script>"));
    assert!(changed.text.contains(hostile_email));
}

#[tokio::test]
async fn the_file_transport_writes_a_multipart_eml_that_the_outbox_lists() {
    let dir = tempfile::tempdir().unwrap();
    let mailer = Mailer::from_settings(&settings(dir.path(), None)).unwrap();
    let outbox = dir.path().join("outbox");
    assert_eq!(mailer.outbox_dir(), Some(outbox.as_path()));
    assert!(outbox.is_dir());
    assert!(list_outbox(&outbox, 10).unwrap().is_empty());

    let link = "https://example.org/verify-email/abc123";
    let first = messages::verify_email("first@example.org", link).unwrap();
    mailer.send(&first).await.unwrap();
    let second = messages::reset_password("second@example.org", link).unwrap();
    mailer.send(&second).await.unwrap();

    let files: Vec<_> = std::fs::read_dir(&outbox).unwrap().collect();
    assert_eq!(files.len(), 2);
    let entries = list_outbox(&outbox, 10).unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].to, "second@example.org");
    assert_eq!(entries[0].subject, messages::RESET_PASSWORD_SUBJECT);
    assert_eq!(entries[1].to, "first@example.org");
    assert_eq!(entries[1].subject, messages::VERIFY_EMAIL_SUBJECT);
    for entry in &entries {
        assert!(entry.file_name.ends_with(".eml"));
        assert!(
            outbox::stamp_of(&entry.file_name).is_some(),
            "{}",
            entry.file_name
        );
    }
    assert!(entries[0].date.ends_with(" UTC"), "{}", entries[0].date);
    assert_eq!(list_outbox(&outbox, 1).unwrap(), entries[..1].to_vec());

    let raw = std::fs::read(outbox.join(&entries[1].file_name)).unwrap();
    let head = String::from_utf8_lossy(&raw);
    let head = head.split("\r\n\r\n").next().unwrap();
    for header in ["To: ", "Subject: ", "Message-ID: <", "Date: ", "From: "] {
        assert!(
            head.contains(&format!("\r\n{header}")) || head.starts_with(header),
            "{header} in {head}"
        );
    }
    assert!(head.contains("@careerswitch.test>"), "{head}");
    assert!(head.contains("multipart/alternative"), "{head}");
    let parsed = MessageParser::default().parse(&raw).unwrap();
    assert_eq!(parsed.subject(), Some(messages::VERIFY_EMAIL_SUBJECT));
    let text = parsed.body_text(0).unwrap().replace("\r\n", "\n");
    assert_eq!(text.trim_end(), first.text.trim_end());
    assert!(parsed.body_html(0).unwrap().contains(link));
    assert_eq!(parsed.text_body.len(), 1);
    assert_eq!(parsed.html_body.len(), 1);
}

#[test]
fn the_outbox_orders_by_the_time_in_the_name_and_falls_back_to_file_time() {
    let dir = tempfile::tempdir().unwrap();
    let at = |secs: u64| std::time::UNIX_EPOCH + Duration::from_secs(secs);
    let eml = |subject: &str| format!("To: a@example.org\r\nSubject: {subject}\r\n\r\nbody\r\n");
    let write =
        |name: &str, subject: &str| std::fs::write(dir.path().join(name), eml(subject)).unwrap();
    write(&outbox::file_name_for("id-b", at(2_000_000_000)), "newest");
    write(
        &outbox::file_name_for("id-a", at(1_000_000_000)),
        "oldest named",
    );
    // Written by hand or by something else: ordered by its file time.
    write("hand-made.eml", "hand made");
    let file = std::fs::File::options()
        .write(true)
        .open(dir.path().join("hand-made.eml"))
        .unwrap();
    file.set_modified(at(1_500_000_000)).unwrap();
    write("notes.txt", "not an email");
    let subjects: Vec<String> = list_outbox(dir.path(), 10)
        .unwrap()
        .into_iter()
        .map(|e| e.subject)
        .collect();
    assert_eq!(subjects, ["newest", "hand made", "oldest named"]);
    assert_eq!(
        outbox::file_name_for("x", at(1_738_332_309)),
        "20250131T140509.000000000Z-x.eml"
    );
}

#[test]
fn the_outbox_of_a_missing_folder_is_empty() {
    let dir = tempfile::tempdir().unwrap();
    assert!(list_outbox(&dir.path().join("nope"), 5).unwrap().is_empty());
}

#[test]
fn outbox_headers_are_unfolded_and_decoded() {
    let raw = b"From: a@b.c\r\nTo: x@example.org\r\nSubject: =?utf-8?b?Q2Fmw6k=?=\r\n =?utf-8?b?IGNsb3NlZA==?= today\r\nDate: Tue, 1 Jul 2025 09:05:00 +0100\r\n\r\nbody\r\nTo: not@header\r\n";
    let entry = outbox::entry_from("f.eml".into(), raw);
    assert_eq!(entry.to, "x@example.org");
    assert_eq!(entry.subject, "Café closed today");
    assert_eq!(entry.date, "2025-07-01 08:05:00 UTC");
}

#[tokio::test]
async fn header_injection_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mailer = Mailer::from_settings(&settings(dir.path(), None)).unwrap();
    let good = messages::verify_email("a@example.org", "https://example.org/v/1").unwrap();
    for to in [
        "a@example.org\r\nBcc: x@y",
        "a@example.org\nBcc: x@y",
        "Someone <a@example.org>",
        "a@example.org, b@example.org",
        "not an address",
        "",
    ] {
        let email = OutgoingEmail {
            to: to.to_owned(),
            ..good.clone()
        };
        assert!(
            matches!(mailer.send(&email).await, Err(MailError::Address(_))),
            "{to:?}"
        );
    }
    let email = OutgoingEmail {
        subject: "Hello\r\nBcc: x@y".into(),
        ..good.clone()
    };
    assert!(matches!(
        mailer.send(&email).await,
        Err(MailError::Build(_))
    ));
    assert!(
        list_outbox(mailer.outbox_dir().unwrap(), 10)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_bad_sender_or_smtp_url_is_a_startup_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = settings(dir.path(), None);
    s.mail_from = "not a mailbox".into();
    assert!(Mailer::from_settings(&s).is_err());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let _guard = rt.enter();
    let s = settings(dir.path(), Some("ftp://127.0.0.1:25"));
    assert!(Mailer::from_settings(&s).is_err());
}

/// Envelope recipients and raw bytes of each message received.
type Inbox = Arc<Mutex<Vec<(Vec<String>, Vec<u8>)>>>;

/// A bare SMTP server on loopback: records envelope recipients and raw data, and
/// replies 250 only once the message is stored.
#[derive(Clone, Default)]
struct Recorder {
    inbox: Inbox,
    to: Vec<String>,
    data: Vec<u8>,
}

impl mailin_embedded::Handler for Recorder {
    fn data_start(
        &mut self,
        _domain: &str,
        _from: &str,
        _is8bit: bool,
        to: &[String],
    ) -> mailin_embedded::Response {
        self.to = to.to_vec();
        self.data.clear();
        mailin_embedded::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> mailin_embedded::Response {
        let message = (std::mem::take(&mut self.to), std::mem::take(&mut self.data));
        self.inbox.lock().unwrap().push(message);
        mailin_embedded::response::OK
    }
}

fn start_smtp() -> (String, Inbox) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let recorder = Recorder::default();
    let inbox = Arc::clone(&recorder.inbox);
    let mut server = mailin_embedded::Server::new(recorder);
    server
        .with_name("smtp.test")
        .with_num_threads(4)
        .with_tcp_listener(listener);
    // serve() runs forever and is not Send: the thread is left to end with the process.
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    (url, inbox)
}

#[tokio::test]
async fn smtp_delivers_a_multipart_message_to_a_real_server() {
    let (url, inbox) = start_smtp();
    let dir = tempfile::tempdir().unwrap();
    let mailer = Mailer::from_settings(&settings(dir.path(), Some(&url))).unwrap();
    assert_eq!(mailer.outbox_dir(), None);
    let link = "https://example.org/reset-password/tok?x=1&y=2";
    mailer
        .send(&messages::reset_password("Reader@Example.org", link).unwrap())
        .await
        .unwrap();
    // The pool reuses the connection for a second message.
    mailer
        .send(
            &messages::password_changed("b@example.org", "https://example.org/forgot-password")
                .unwrap(),
        )
        .await
        .unwrap();

    let inbox = inbox.lock().unwrap().clone();
    assert_eq!(inbox.len(), 2);
    assert_eq!(inbox[0].0, vec!["Reader@Example.org".to_owned()]);
    assert_eq!(inbox[1].0, vec!["b@example.org".to_owned()]);
    let parsed = MessageParser::default().parse(&inbox[0].1).unwrap();
    assert_eq!(parsed.subject(), Some(messages::RESET_PASSWORD_SUBJECT));
    let text = parsed.body_text(0).unwrap().replace("\r\n", "\n");
    assert!(text.contains(&format!("\n{link}\n")), "{text}");
    assert!(parsed.body_html(0).unwrap().contains("tok?x=1&#38;y=2"));
    assert!(parsed.message_id().unwrap().ends_with("@careerswitch.test"));
    assert!(parsed.date().is_some());
    assert!(!dir.path().join("outbox").exists());
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    // The kernel completes the TCP handshake from the backlog; nobody ever accepts, so
    // no greeting comes.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let mailer = Mailer::from_settings(&settings(dir.path(), Some(&url)))
        .unwrap()
        .with_timeout(Duration::from_secs(1));
    let started = Instant::now();
    let result = mailer
        .send(&messages::verify_email("a@example.org", "https://example.org/v/1").unwrap())
        .await;
    assert!(matches!(result, Err(MailError::Timeout)), "{result:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    drop(listener);
}

#[test]
fn outgoing_email_debug_hides_the_bodies() {
    let email =
        messages::reset_password("a@example.org", "https://example.org/reset-password/secret")
            .unwrap();
    let shown = format!("{email:?}");
    assert!(shown.contains("a@example.org") && !shown.contains("secret"));
}

#[test]
fn reminders_list_each_milestone_with_its_link_and_the_way_out() {
    let items = [messages::ReminderItem {
        title: "Finish the SQL course <b>now</b>\r\nBcc: x@y.z".to_owned(),
        when: "due Thursday 14 January".to_owned(),
        link: "https://example.org/plans/3#milestone-9".to_owned(),
    }];
    let email = messages::reminder(
        "ada@example.org",
        messages::ReminderWording::Upcoming,
        &items,
        "https://example.org/account/reminders",
        "https://example.org/unsubscribe/tok",
    )
    .unwrap();
    assert!(!email.subject.contains(['\r', '\n']), "{}", email.subject);
    assert!(
        email
            .subject
            .starts_with("Coming up: Finish the SQL course")
    );
    for body in [&email.text, &email.html] {
        assert!(body.contains("https://example.org/plans/3#milestone-9"));
        assert!(body.contains("https://example.org/unsubscribe/tok"));
        assert!(body.contains("due Thursday 14 January"));
    }
    assert!(
        !email.html.contains("<b>now</b>"),
        "titles are escaped in HTML"
    );
    let digest = messages::reminder(
        "ada@example.org",
        messages::ReminderWording::Digest,
        &[items[0].clone(), items[0].clone()],
        "https://example.org/account/reminders",
        "https://example.org/unsubscribe/tok",
    )
    .unwrap();
    assert_eq!(digest.subject, "Your week: 2 milestones due or overdue");
}
