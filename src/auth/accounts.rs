//! Account flows: each step that touches the database, the password hasher and the mailer
//! together lives here, so handlers only read input, call one of these and render.

use chrono::{Duration, NaiveDateTime, Utc};
use tokio_util::task::TaskTracker;

use super::password::{self, PasswordHashError};
use super::tokens::{new_token, sha256_hex};
use crate::db::users::{self, AccountExport, EmailChange, TokenPurpose, User};
use crate::db::{self, DbError, DbPool};
use crate::domain::account::{
    Email, PASSWORD_MAX_CHARS, Password, SIGN_IN_WINDOW_MINUTES, TimeZone, sign_in_lockout,
};
use crate::email::worker::MailWorker;
use crate::email::{Mailer, OutgoingEmail, messages};

const VERIFY_VALID_FOR: Duration = Duration::hours(24);
const RESET_VALID_FOR: Duration = Duration::hours(1);
/// Verification emails one account may ask for in an hour, on top of the per-IP limit.
const RESENDS_PER_HOUR: i64 = 3;
/// Address-change links one account may ask for in an hour, on top of the per-IP limit.
const EMAIL_CHANGES_PER_HOUR: i64 = 5;
pub use crate::email::worker::EMAILS_PER_RECIPIENT_PER_HOUR;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Hash(#[from] PasswordHashError),
}

pub enum SignIn {
    Success(User),
    /// Wrong address or wrong password: deliberately the same answer.
    Refused,
    LockedOut {
        minutes: i64,
    },
    /// The right password for an account an admin has disabled: said only to someone who
    /// knows the password, so it reveals nothing to a stranger.
    Disabled {
        reason: String,
    },
}

pub enum Resend {
    Sent,
    AlreadyVerified,
    TooMany,
}

/// The answer to "is this the account's password?" on the account pages, which count
/// towards the same per-address lockout as signing in.
pub enum PasswordCheck {
    Correct,
    Wrong,
    LockedOut { minutes: i64 },
}

pub enum EmailChangeRequest {
    Sent,
    TooMany,
}

pub enum LinkOutcome {
    Verified(User),
    EmailChanged(User),
    AddressTaken,
    Invalid,
}

pub struct Accounts<'a> {
    pub pool: &'a DbPool,
    pub mailer: &'a Mailer,
    pub base_url: &'a str,
    pub admin_emails: &'a [String],
    /// Work done after the request has answered (a reset request, so its timing says
    /// nothing about the address).
    pub background: &'a TaskTracker,
    pub worker: &'a MailWorker,
}

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

/// A submitted password worth checking against a hash.
pub fn plausible_password(candidate: &str) -> bool {
    !candidate.is_empty() && candidate.chars().count() <= PASSWORD_MAX_CHARS
}

impl Accounts<'_> {
    fn link(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Queues an email about account `user_id` in the outbox and wakes the mail worker.
    /// The request only adds a row: a slow mail server never slows a page, and a failure
    /// to send is the worker's to retry and log, never shown, so it cannot reveal anything.
    async fn deliver(
        &self,
        user_id: i32,
        kind: &'static str,
        email: Result<OutgoingEmail, askama::Error>,
    ) -> Result<(), AccountError> {
        let email = match email {
            Ok(email) => email,
            Err(e) => {
                tracing::error!(error = %e, kind, "email not rendered");
                return Ok(());
            }
        };
        // Account emails are never scheduled twice, so each gets a key of its own.
        let key = format!("account:{kind}:{}", new_token());
        let message_id = self.mailer.message_id_for(&sha256_hex(&key)[..32]);
        db::run(self.pool, move |conn| {
            crate::db::outbox::enqueue(
                conn,
                &crate::db::outbox::NewMail {
                    idempotency_key: &key,
                    message_id: &message_id,
                    user_id: Some(user_id),
                    kind,
                    recipient: &email.to,
                    subject: &email.subject,
                    text_body: &email.text,
                    html_body: &email.html,
                    list_unsubscribe: None,
                    milestone_id: None,
                    not_before: now(),
                },
                now(),
            )
        })
        .await?;
        self.worker.nudge();
        Ok(())
    }

    async fn issue_token(
        &self,
        user_id: i32,
        purpose: TokenPurpose,
        new_email: Option<String>,
        valid_for: Duration,
    ) -> Result<String, AccountError> {
        let token = new_token();
        let hash = sha256_hex(&token);
        db::run(self.pool, move |conn| {
            users::create_token(
                conn,
                user_id,
                purpose,
                &hash,
                new_email.as_deref(),
                now(),
                valid_for,
            )
        })
        .await?;
        Ok(token)
    }

    pub async fn find_user(&self, user_id: i32) -> Result<Option<User>, AccountError> {
        Ok(db::run(self.pool, move |conn| users::find(conn, user_id)).await?)
    }

    /// Creates the account and sends a verification link; if the address already has an
    /// account, its owner is told someone tried instead. The caller shows the same page
    /// either way.
    pub async fn register(
        &self,
        email: &Email,
        password: &Password,
        time_zone: &TimeZone,
    ) -> Result<(), AccountError> {
        // Hash first, whatever happens next, so both outcomes take the same time.
        let hash = password::hash(password).await?;
        let (address, zone) = (email.as_str().to_owned(), time_zone.as_str().to_owned());
        let created = db::run(self.pool, move |conn| {
            users::create(conn, &address, &hash, &zone, now())
        })
        .await?;
        match created {
            Some(user) => self.send_verification(&user).await,
            None => {
                let address = email.as_str().to_owned();
                let owner =
                    db::run(self.pool, move |conn| users::find_by_email(conn, &address)).await?;
                if let Some(owner) = owner {
                    let email = messages::registration_attempt(
                        email.as_str(),
                        &self.link("/sign-in"),
                        &self.link("/forgot-password"),
                    );
                    self.deliver(owner.id, "registration_attempt", email)
                        .await?;
                }
                Ok(())
            }
        }
    }

    async fn send_verification(&self, user: &User) -> Result<(), AccountError> {
        let token = self
            .issue_token(user.id, TokenPurpose::Verify, None, VERIFY_VALID_FOR)
            .await?;
        let email =
            messages::verify_email(&user.email, &self.link(&format!("/verify-email/{token}")));
        self.deliver(user.id, "verify_email", email).await?;
        Ok(())
    }

    pub async fn resend_verification(&self, user: &User) -> Result<Resend, AccountError> {
        if user.is_verified() {
            return Ok(Resend::AlreadyVerified);
        }
        let user_id = user.id;
        let since = now() - Duration::hours(1);
        let recent = db::run(self.pool, move |conn| {
            users::tokens_sent_since(conn, user_id, TokenPurpose::Verify, since)
        })
        .await?;
        if recent >= RESENDS_PER_HOUR {
            return Ok(Resend::TooMany);
        }
        self.send_verification(user).await?;
        Ok(Resend::Sent)
    }

    /// Checks a sign-in. Failures are counted per submitted address whether or not it has
    /// an account, and an unknown address still costs a full password verification.
    pub async fn sign_in(&self, email: &Email, password: &str) -> Result<SignIn, AccountError> {
        let email_hash = users::email_hash(email.as_str());
        let address = email.as_str().to_owned();
        let (failures, user) = {
            let email_hash = email_hash.clone();
            db::run(self.pool, move |conn| {
                let since = now() - Duration::minutes(SIGN_IN_WINDOW_MINUTES);
                Ok((
                    users::sign_in_failures_since(conn, &email_hash, since)?,
                    users::find_by_email(conn, &address)?,
                ))
            })
            .await?
        };
        if let Some(minutes) = sign_in_lockout(&failures, now()) {
            return Ok(SignIn::LockedOut { minutes });
        }
        let ok = password::verify(user.as_ref().map(|u| u.password_hash.clone()), password).await?;
        match user {
            Some(user) if ok && user.disabled_at.is_some() => Ok(SignIn::Disabled {
                reason: user.disabled_reason,
            }),
            Some(user) if ok => {
                let id = user.id;
                db::run(self.pool, move |conn| {
                    users::record_sign_in(conn, id, now())
                })
                .await?;
                Ok(SignIn::Success(user))
            }
            _ => {
                db::run(self.pool, move |conn| {
                    users::record_sign_in_failure(conn, &email_hash, now())
                })
                .await?;
                Ok(SignIn::Refused)
            }
        }
    }

    /// Sends a reset link if the address has an account. All of the work happens after
    /// the caller has answered (the same page either way), so neither the page nor its
    /// timing says whether the address has an account.
    pub fn request_reset(&self, email: &Email) {
        let accounts = OwnedAccounts::from(self);
        let address = email.as_str().to_owned();
        self.background.spawn(async move {
            if let Err(e) = accounts.send_reset(address).await {
                tracing::error!(error = %e, "reset link not sent");
            }
        });
    }

    /// The account behind a live link, without using the link up.
    pub async fn peek_link(
        &self,
        token: &str,
        purposes: &[TokenPurpose],
    ) -> Result<Option<User>, AccountError> {
        let hash = sha256_hex(token);
        let purposes = purposes.to_vec();
        Ok(db::run(self.pool, move |conn| {
            for purpose in purposes {
                if let Some((user, _)) = users::peek_token(conn, &hash, purpose, now())? {
                    return Ok(Some(user));
                }
            }
            Ok(None)
        })
        .await?)
    }

    /// Sets a new password from a reset link and ends every session of the account.
    pub async fn reset_password(
        &self,
        token: &str,
        password: &Password,
    ) -> Result<Option<User>, AccountError> {
        let password_hash = password::hash(password).await?;
        let hash = sha256_hex(token);
        let user = db::run(self.pool, move |conn| {
            users::reset_password(conn, &hash, &password_hash, now())
        })
        .await?;
        if let Some(user) = &user {
            let email = messages::password_changed(&user.email, &self.link("/forgot-password"));
            self.deliver(user.id, "password_changed", email).await?;
        }
        Ok(user)
    }

    /// Follows an emailed confirmation link: either a first verification or an address
    /// change. Either way every session of the account ends (the caller renews the
    /// confirming browser's own, if it was signed in to the account), and a confirmed
    /// address listed in `CAREERSWITCH_ADMIN_EMAILS` becomes an admin.
    pub async fn confirm_link(&self, token: &str) -> Result<LinkOutcome, AccountError> {
        let hash = sha256_hex(token);
        let admin_emails = self.admin_emails.to_vec();
        let verified = {
            let (hash, admin_emails) = (hash.clone(), admin_emails.clone());
            db::run(self.pool, move |conn| {
                let verified = users::verify_email(conn, &hash, now())?;
                promote_if_listed(conn, verified.as_ref(), &admin_emails)?;
                Ok(verified)
            })
            .await?
        };
        if let Some(user) = verified {
            return Ok(LinkOutcome::Verified(user));
        }
        match db::run(self.pool, move |conn| {
            let outcome = users::confirm_email_change(conn, &hash, now())?;
            if let EmailChange::Changed { user, .. } = &outcome {
                promote_if_listed(conn, Some(user), &admin_emails)?;
            }
            Ok(outcome)
        })
        .await?
        {
            EmailChange::Changed { user, old_email } => {
                let email = messages::email_changed(
                    &old_email,
                    &user.email,
                    &self.link("/forgot-password"),
                );
                self.deliver(user.id, "email_changed", email).await?;
                Ok(LinkOutcome::EmailChanged(user))
            }
            EmailChange::Taken => Ok(LinkOutcome::AddressTaken),
            EmailChange::InvalidLink => Ok(LinkOutcome::Invalid),
        }
    }

    /// Whether `candidate` is the account's password. A wrong one counts towards the
    /// address's lockout, exactly as a failed sign-in does, and a locked address is not
    /// checked at all. Empty or over-long input is refused without hashing.
    pub async fn check_password(
        &self,
        user: &User,
        candidate: &str,
    ) -> Result<PasswordCheck, AccountError> {
        let email_hash = users::email_hash(&user.email);
        let failures = {
            let email_hash = email_hash.clone();
            db::run(self.pool, move |conn| {
                let since = now() - Duration::minutes(SIGN_IN_WINDOW_MINUTES);
                users::sign_in_failures_since(conn, &email_hash, since)
            })
            .await?
        };
        if let Some(minutes) = sign_in_lockout(&failures, now()) {
            return Ok(PasswordCheck::LockedOut { minutes });
        }
        let correct = plausible_password(candidate)
            && password::verify(Some(user.password_hash.clone()), candidate).await?;
        if correct {
            return Ok(PasswordCheck::Correct);
        }
        db::run(self.pool, move |conn| {
            users::record_sign_in_failure(conn, &email_hash, now())
        })
        .await?;
        Ok(PasswordCheck::Wrong)
    }

    /// Changes the password (the caller has checked the current one). Every emailed link
    /// of the account dies; with `end_other_sessions` (the default on the form) so does
    /// every other session. The caller renews the current session either way.
    pub async fn change_password(
        &self,
        user: &User,
        new_password: &Password,
        end_other_sessions: bool,
    ) -> Result<(), AccountError> {
        let hash = password::hash(new_password).await?;
        let user_id = user.id;
        db::run(self.pool, move |conn| {
            // The current session is renewed by the caller, which stores it afresh.
            users::set_password(conn, user_id, &hash, end_other_sessions, None, now())
        })
        .await?;
        let email = messages::password_changed(&user.email, &self.link("/forgot-password"));
        self.deliver(user.id, "password_changed", email).await?;
        Ok(())
    }

    /// Sends a confirmation link to the new address; nothing changes until it is followed.
    /// If another account already uses the address, its owner is told instead, so the
    /// answer never reveals which addresses have accounts.
    pub async fn request_email_change(
        &self,
        user: &User,
        new_email: &Email,
    ) -> Result<EmailChangeRequest, AccountError> {
        let user_id = user.id;
        let since = now() - Duration::hours(1);
        let recent = db::run(self.pool, move |conn| {
            users::tokens_sent_since(conn, user_id, TokenPurpose::ChangeEmail, since)
        })
        .await?;
        if recent >= EMAIL_CHANGES_PER_HOUR {
            return Ok(EmailChangeRequest::TooMany);
        }
        let address = new_email.as_str().to_owned();
        let owner = db::run(self.pool, move |conn| users::find_by_email(conn, &address)).await?;
        if let Some(owner) = owner {
            let email = messages::email_in_use(new_email.as_str(), &self.link("/forgot-password"));
            self.deliver(owner.id, "email_in_use", email).await?;
            // Counted like a real request, so the hourly cap reveals nothing either.
            self.issue_token(user.id, TokenPurpose::ChangeEmail, None, Duration::zero())
                .await?;
            return Ok(EmailChangeRequest::Sent);
        }
        let token = self
            .issue_token(
                user.id,
                TokenPurpose::ChangeEmail,
                Some(new_email.as_str().to_owned()),
                VERIFY_VALID_FOR,
            )
            .await?;
        let email = messages::confirm_new_email(
            new_email.as_str(),
            &self.link(&format!("/verify-email/{token}")),
        );
        self.deliver(user.id, "confirm_new_email", email).await?;
        Ok(EmailChangeRequest::Sent)
    }

    pub async fn set_time_zone(
        &self,
        user: &User,
        time_zone: &TimeZone,
    ) -> Result<(), AccountError> {
        let (user_id, zone) = (user.id, time_zone.as_str().to_owned());
        db::run(self.pool, move |conn| {
            users::set_time_zone(conn, user_id, &zone, now())
        })
        .await?;
        Ok(())
    }

    /// Erases the account and everything kept about it, the outbox copies of the emails
    /// sent to it included.
    pub async fn delete(&self, user: &User) -> Result<(), AccountError> {
        let user_id = user.id;
        let email_hash = users::email_hash(&user.email);
        db::run(self.pool, move |conn| {
            users::delete(conn, user_id, &email_hash)
        })
        .await?;
        if let Some(dir) = self.mailer.outbox_dir() {
            let (dir, address) = (dir.to_owned(), user.email.clone());
            let removed = crate::telemetry::spawn_blocking_with_span(move || {
                crate::email::remove_outbox_mail_to(&dir, &address)
            })
            .await;
            if !matches!(removed, Ok(Ok(_))) {
                tracing::warn!("could not clear the deleted account's mail from the outbox");
            }
        }
        Ok(())
    }

    pub async fn export(&self, user: &User) -> Result<Option<AccountExport>, AccountError> {
        let user_id = user.id;
        Ok(db::run(self.pool, move |conn| users::export(conn, user_id, now())).await?)
    }
}

/// What the background reset task needs, owned so it can outlive the request.
struct OwnedAccounts {
    pool: DbPool,
    mailer: Mailer,
    base_url: String,
    admin_emails: Vec<String>,
    background: TaskTracker,
    worker: MailWorker,
}

impl From<&Accounts<'_>> for OwnedAccounts {
    fn from(a: &Accounts<'_>) -> Self {
        Self {
            pool: a.pool.clone(),
            mailer: a.mailer.clone(),
            base_url: a.base_url.to_owned(),
            admin_emails: a.admin_emails.to_vec(),
            background: a.background.clone(),
            worker: a.worker.clone(),
        }
    }
}

impl OwnedAccounts {
    fn borrow(&self) -> Accounts<'_> {
        Accounts {
            pool: &self.pool,
            mailer: &self.mailer,
            base_url: &self.base_url,
            admin_emails: &self.admin_emails,
            background: &self.background,
            worker: &self.worker,
        }
    }

    async fn send_reset(&self, address: String) -> Result<(), AccountError> {
        let accounts = self.borrow();
        let user = db::run(&self.pool, move |conn| users::find_by_email(conn, &address)).await?;
        if let Some(user) = user.filter(|u| u.disabled_at.is_none()) {
            let token = accounts
                .issue_token(user.id, TokenPurpose::Reset, None, RESET_VALID_FOR)
                .await?;
            let email = messages::reset_password(
                &user.email,
                &accounts.link(&format!("/reset-password/{token}")),
            );
            accounts.deliver(user.id, "reset_password", email).await?;
        }
        Ok(())
    }
}

/// Makes a just-confirmed account an admin when its address is listed.
fn promote_if_listed(
    conn: &mut crate::db::DbConnection,
    user: Option<&User>,
    admin_emails: &[String],
) -> Result<(), DbError> {
    if let Some(user) = user
        && admin_emails.contains(&user.email)
    {
        users::promote_admins(conn, std::slice::from_ref(&user.email))?;
    }
    Ok(())
}
