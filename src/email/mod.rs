//! Sending email: one `Mailer` over lettre, either SMTP or `.eml` files in the outbox
//! folder (the local default), plus the messages themselves in `messages`.

pub mod messages;
mod outbox;
pub mod scheduler;
pub mod worker;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::PoolConfig;
use lettre::{
    Address, AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};

pub use outbox::{OutboxEntry, list_outbox, remove_outbox_mail_to};

// lettre's own timeout covers each SMTP command once a conversation is under way, but
// not a server that accepts the connection and then says nothing, so every send is
// bounded from outside as well (`CAREERSWITCH_SMTP_TIMEOUT_SECS`, 10 s by default).

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("not a usable email address: {0}")]
    Address(String),
    #[error("could not build the email: {0}")]
    Build(String),
    #[error("could not send the email: {0}")]
    Send(String),
    /// The mail server answered with a 5xx: sending it again would fail again.
    #[error("the mail server refused the email: {0}")]
    Refused(String),
    #[error("the mail server did not answer in time")]
    Timeout,
    #[error("could not render the email: {0}")]
    Template(#[from] askama::Error),
}

/// One email ready to send. `to` must be a plain address (already validated by the caller).
#[derive(Clone)]
pub struct OutgoingEmail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

// Bodies carry single-use links; keep them out of logs and panic messages.
impl fmt::Debug for OutgoingEmail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutgoingEmail")
            .field("to", &self.to)
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File {
        transport: AsyncFileTransport<Tokio1Executor>,
        dir: PathBuf,
    },
}

/// Sends email over SMTP, or writes it to the outbox folder when no SMTP server is set.
/// Cheap to clone: clones share one SMTP connection pool.
#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    timeout: Duration,
}

impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let transport = match &self.transport {
            Transport::Smtp(_) => "smtp".to_owned(),
            Transport::File { dir, .. } => format!("file ({})", dir.display()),
        };
        f.debug_struct("Mailer")
            .field("transport", &transport)
            .field("from", &self.from.to_string())
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl Mailer {
    /// SMTP when `settings.smtp_url` is set (lettre's URL form: `smtp://127.0.0.1:2525`
    /// without TLS, `smtps://user:pass@host:465`, `smtp://host:587?tls=required`);
    /// otherwise `.eml` files in `settings.outbox_dir()`, which is created.
    ///
    /// The SMTP connection pool starts a background task, so with an SMTP URL this must be
    /// called inside a tokio runtime (it returns an error otherwise).
    pub fn from_settings(settings: &crate::config::Settings) -> anyhow::Result<Self> {
        let from: Mailbox = settings.mail_from.parse().map_err(|e| {
            anyhow::anyhow!(
                "CAREERSWITCH_MAIL_FROM {:?} is not a valid sender: {e}",
                settings.mail_from
            )
        })?;
        let transport = match &settings.smtp_url {
            Some(url) => {
                if tokio::runtime::Handle::try_current().is_err() {
                    anyhow::bail!("the SMTP mailer must be built inside a tokio runtime");
                }
                let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| anyhow::anyhow!("CAREERSWITCH_SMTP_URL is not usable: {e}"))?;
                Transport::Smtp(builder.pool_config(PoolConfig::new()).build())
            }
            None => {
                let dir = settings.outbox_dir();
                std::fs::create_dir_all(&dir).map_err(|e| {
                    anyhow::anyhow!("cannot create the email outbox {}: {e}", dir.display())
                })?;
                Transport::File {
                    transport: AsyncFileTransport::new(&dir),
                    dir,
                }
            }
        };
        Ok(Self {
            transport,
            from,
            timeout: settings.smtp_timeout,
        })
    }

    /// Replaces the 10-second limit on each send (tests use a short one).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The outbox folder when the file transport is in use.
    pub fn outbox_dir(&self) -> Option<&Path> {
        match &self.transport {
            Transport::File { dir, .. } => Some(dir),
            Transport::Smtp(_) => None,
        }
    }

    /// Builds a multipart/alternative (text + HTML) message from the configured sender,
    /// with a fresh Message-ID and a Date, and sends it within the time limit.
    pub async fn send(&self, email: &OutgoingEmail) -> Result<(), MailError> {
        self.send_with_id(email, &message_id(self.from.email.domain()))
            .await
    }

    /// `<local@our-domain>` for an id the caller derives (the outbox derives it from the
    /// row's idempotency key, so a resend carries the same Message-ID).
    pub fn message_id_for(&self, local: &str) -> String {
        format!("<{local}@{}>", self.from.email.domain())
    }

    /// As `send`, with the given Message-ID.
    pub async fn send_with_id(&self, email: &OutgoingEmail, id: &str) -> Result<(), MailError> {
        self.send_with(email, id, None).await
    }

    /// As `send`, with the given Message-ID and, for reminders, a one-click unsubscribe
    /// address (RFC 8058: `List-Unsubscribe` and `List-Unsubscribe-Post`).
    pub async fn send_with(
        &self,
        email: &OutgoingEmail,
        id: &str,
        unsubscribe: Option<&str>,
    ) -> Result<(), MailError> {
        let message = self.build(email, id, unsubscribe)?;
        let sent = match &self.transport {
            Transport::Smtp(smtp) => {
                tokio::time::timeout(self.timeout, async {
                    smtp.send(message).await.map(drop).map_err(|e| {
                        if e.is_permanent() {
                            MailError::Refused(e.to_string())
                        } else {
                            MailError::Send(e.to_string())
                        }
                    })
                })
                .await
            }
            Transport::File { transport, dir } => {
                tokio::time::timeout(self.timeout, async {
                    let id = transport
                        .send(message)
                        .await
                        .map_err(|e| MailError::Send(e.to_string()))?;
                    let name = outbox::file_name_for(&id, std::time::SystemTime::now());
                    tokio::fs::rename(dir.join(format!("{id}.eml")), dir.join(name))
                        .await
                        .map_err(|e| MailError::Send(format!("cannot name the outbox file: {e}")))
                })
                .await
            }
        };
        match sent {
            Ok(Ok(())) => {
                tracing::debug!(subject = %email.subject, "email sent");
                Ok(())
            }
            Ok(Err(e)) => {
                tracing::warn!(subject = %email.subject, error = %e, "email not sent");
                Err(e)
            }
            Err(_elapsed) => {
                tracing::warn!(subject = %email.subject, timeout = ?self.timeout, "email not sent: mail server did not answer");
                Err(MailError::Timeout)
            }
        }
    }

    fn build(
        &self,
        email: &OutgoingEmail,
        id: &str,
        unsubscribe: Option<&str>,
    ) -> Result<Message, MailError> {
        let to = parse_address(&email.to)?;
        if email.subject.contains(['\r', '\n']) {
            return Err(MailError::Build("the subject contains a line break".into()));
        }
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new(None, to))
            .subject(email.subject.as_str())
            .message_id(Some(id.to_owned()));
        if let Some(url) = unsubscribe {
            if url
                .chars()
                .any(|c| c.is_control() || c.is_whitespace() || c == '>')
            {
                return Err(MailError::Build(
                    "the unsubscribe address is not a plain URL".into(),
                ));
            }
            builder = builder
                .header(ListUnsubscribe(format!("<{url}>")))
                .header(ListUnsubscribePost);
        }
        builder
            .date_now()
            .multipart(MultiPart::alternative_plain_html(
                email.text.clone(),
                email.html.clone(),
            ))
            .map_err(|e| MailError::Build(e.to_string()))
    }
}

/// `List-Unsubscribe: <https://…/unsubscribe/TOKEN>`.
#[derive(Clone)]
struct ListUnsubscribe(String);

impl lettre::message::header::Header for ListUnsubscribe {
    fn name() -> lettre::message::header::HeaderName {
        lettre::message::header::HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_owned()))
    }

    fn display(&self) -> lettre::message::header::HeaderValue {
        lettre::message::header::HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click`: the mail client may unsubscribe
/// with one POST, without opening a page.
#[derive(Clone)]
struct ListUnsubscribePost;

impl lettre::message::header::Header for ListUnsubscribePost {
    fn name() -> lettre::message::header::HeaderName {
        lettre::message::header::HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> lettre::message::header::HeaderValue {
        lettre::message::header::HeaderValue::new(
            Self::name(),
            "List-Unsubscribe=One-Click".to_owned(),
        )
    }
}

/// A bare address only: no display name, no spaces, no control characters, so nothing
/// a caller passes can add a header or a second recipient.
fn parse_address(to: &str) -> Result<Address, MailError> {
    if to.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(MailError::Address(
            "it contains spaces or control characters".into(),
        ));
    }
    to.parse::<Address>()
        .map_err(|e| MailError::Address(e.to_string()))
}

/// `<random@sender-domain>`: unique, and names our domain rather than the machine's
/// host name.
fn message_id(domain: &str) -> String {
    let id: [u8; 16] = rand::random();
    format!("<{}@{}>", hex::encode(id), domain)
}

#[cfg(test)]
mod tests;
