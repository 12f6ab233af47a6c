//! Delivers the mail outbox. `run_once(now)` is the whole job, once: claim what is due,
//! send it, record each outcome. `serve` calls it on an interval (and as soon as a request
//! queues an email); `send-reminders` calls it from cron; tests call it with the time
//! they choose.
//!
//! Delivery is at least once. A row is marked sent only after the mail server has
//! accepted the message; if the worker dies between the two (or a send times out after
//! the server took the message) the row's lease runs out and it is sent again, with the
//! same Message-ID. No other path sends a row twice: claiming is atomic, so two workers
//! never hold the same row.

use std::sync::Arc;

use chrono::{Duration, NaiveDateTime};
use futures_util::StreamExt;

use super::{MailError, Mailer, OutgoingEmail};
use crate::db::outbox::{self, OutboxRow};
use crate::db::{self, DbError, DbPool, users};

/// How long a claimed row is this worker's before another may take it over.
const LEASE: Duration = Duration::minutes(5);
/// Rows one pass claims at most.
const BATCH: i64 = 50;
/// Sends in flight at once.
pub const PARALLEL_SENDS: usize = 4;
/// After this many attempts a temporary failure counts as permanent.
const MAX_ATTEMPTS: i32 = 8;
/// Emails of any kind one address receives in an hour, whoever asks: enough for a person
/// registering, resending and resetting, too few to make us anyone's mail cannon.
pub const EMAILS_PER_RECIPIENT_PER_HOUR: i64 = 6;

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    /// Reminders the scheduler added to the outbox in this pass.
    pub scheduled: usize,
    pub claimed: usize,
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
    pub withdrawn: usize,
    /// Claimed rows handed back unsent because the worker is stopping.
    pub released: usize,
}

#[derive(Clone)]
pub struct MailWorker {
    pool: DbPool,
    mailer: Mailer,
    /// Set: each pass first schedules the reminders that have come due, with links to
    /// this public origin.
    reminders_base_url: Option<String>,
    /// Wakes the serve loop when a request queues an email.
    wake: Arc<tokio::sync::Notify>,
    /// Counts each pass's outcomes for `/metrics`.
    metrics: Option<Arc<crate::metrics::Metrics>>,
}

#[derive(Clone)]
enum Outcome {
    Sent,
    Retry(String),
    Failed(String),
    /// A reminder whose milestone was finished, removed or archived meanwhile.
    Withdrawn,
    /// Not tried: the worker is stopping, so the row goes back to the queue at once
    /// instead of waiting out its lease.
    Released,
}

/// When to try again after `attempts` tries: 1, 5, 15, 60 minutes, then every 3 hours.
fn backoff(attempts: i32) -> Duration {
    match attempts {
        ..=1 => Duration::minutes(1),
        2 => Duration::minutes(5),
        3 => Duration::minutes(15),
        4 => Duration::hours(1),
        _ => Duration::hours(3),
    }
}

impl MailWorker {
    pub fn new(pool: DbPool, mailer: Mailer) -> Self {
        Self {
            pool,
            mailer,
            reminders_base_url: None,
            wake: Arc::new(tokio::sync::Notify::new()),
            metrics: None,
        }
    }

    pub fn with_metrics(mut self, metrics: Arc<crate::metrics::Metrics>) -> Self {
        self.metrics = Some(metrics);
        self
    }

    /// Each pass schedules due milestone reminders first, linking to `base_url`.
    pub fn with_reminders(mut self, base_url: &str) -> Self {
        self.reminders_base_url = Some(base_url.trim_end_matches('/').to_owned());
        self
    }

    pub fn mailer(&self) -> &Mailer {
        &self.mailer
    }

    /// Tells the serve loop there is mail.
    pub fn nudge(&self) {
        self.wake.notify_one();
    }

    /// Claims what is due at `now`, sends it and records the outcomes.
    pub async fn run_once(&self, now: NaiveDateTime) -> Result<Pass, DbError> {
        self.pass(now, &|| false).await
    }

    /// One pass that stops sending once `stopping()` is true: sends already in flight
    /// finish and are recorded, and the rest of the batch is released unsent.
    async fn pass(
        &self,
        now: NaiveDateTime,
        stopping: &(dyn Fn() -> bool + Sync),
    ) -> Result<Pass, DbError> {
        let scheduled = match &self.reminders_base_url {
            Some(base_url) => {
                super::scheduler::schedule(&self.pool, &self.mailer, base_url, now).await?
            }
            None => 0,
        };
        let rows = db::run(&self.pool, move |conn| {
            outbox::claim_due(conn, now, now + LEASE, BATCH)
        })
        .await?;
        let mut pass = Pass {
            scheduled,
            claimed: rows.len(),
            ..Pass::default()
        };
        // One address's emails go in the order they were queued (a confirmation link
        // before the "already registered" notice that follows it); different addresses
        // go in parallel. Each outcome is recorded as soon as its send returns, so a
        // worker killed mid-batch leaves unrecorded only the sends that were in flight.
        let mut by_recipient: Vec<Vec<OutboxRow>> = Vec::new();
        for row in rows {
            match by_recipient
                .iter_mut()
                .find(|group| group[0].recipient == row.recipient)
            {
                Some(group) => group.push(row),
                None => by_recipient.push(vec![row]),
            }
        }
        let outcomes: Vec<Result<Vec<Outcome>, DbError>> = futures_util::stream::iter(by_recipient)
            .map(|group| async move {
                let mut outcomes = Vec::with_capacity(group.len());
                for row in group {
                    let outcome = if stopping() {
                        Outcome::Released
                    } else {
                        self.deliver(&row, now).await
                    };
                    self.record(row, outcome.clone(), now).await?;
                    outcomes.push(outcome);
                }
                Ok(outcomes)
            })
            .buffer_unordered(PARALLEL_SENDS)
            .collect()
            .await;
        for group in outcomes {
            for outcome in group? {
                match outcome {
                    Outcome::Sent => pass.sent += 1,
                    Outcome::Retry(_) => pass.retried += 1,
                    Outcome::Failed(_) => pass.failed += 1,
                    Outcome::Withdrawn => pass.withdrawn += 1,
                    Outcome::Released => pass.released += 1,
                }
            }
        }
        if let Some(m) = &self.metrics {
            m.record_mail("sent", pass.sent);
            m.record_mail("retried", pass.retried);
            m.record_mail("failed", pass.failed);
            m.record_mail("withdrawn", pass.withdrawn);
        }
        Ok(pass)
    }

    /// Runs passes until nothing is due at `now` (the `send-reminders` command, tests).
    pub async fn drain(&self, now: NaiveDateTime) -> Result<Pass, DbError> {
        self.drain_unless(now, &|| false).await
    }

    async fn drain_unless(
        &self,
        now: NaiveDateTime,
        stopping: &(dyn Fn() -> bool + Sync),
    ) -> Result<Pass, DbError> {
        let mut total = Pass::default();
        loop {
            let pass = self.pass(now, stopping).await?;
            total.scheduled += pass.scheduled;
            total.claimed += pass.claimed;
            total.sent += pass.sent;
            total.retried += pass.retried;
            total.failed += pass.failed;
            total.withdrawn += pass.withdrawn;
            total.released += pass.released;
            if (pass.claimed == 0 && pass.scheduled == 0) || stopping() {
                return Ok(total);
            }
        }
    }

    async fn deliver(&self, row: &OutboxRow, now: NaiveDateTime) -> Outcome {
        if let Some(milestone_id) = row.milestone_id {
            match db::run(&self.pool, move |conn| {
                db::plans::milestone_still_open(conn, milestone_id)
            })
            .await
            {
                Ok(true) => {}
                Ok(false) => return Outcome::Withdrawn,
                Err(e) => return Outcome::Retry(format!("cannot check the milestone: {e}")),
            }
        }
        let recipient = users::email_hash(&row.recipient);
        let since = now - Duration::hours(1);
        let recent = db::run(&self.pool, move |conn| {
            users::emails_to_since(conn, &recipient, since)
        })
        .await;
        match recent {
            Ok(n) if n >= EMAILS_PER_RECIPIENT_PER_HOUR => {
                return Outcome::Failed("held back: the address has had its hourly share".into());
            }
            Ok(_) => {}
            Err(e) => return Outcome::Retry(format!("cannot read the email log: {e}")),
        }
        let email = OutgoingEmail {
            to: row.recipient.clone(),
            subject: row.subject.clone(),
            text: row.text_body.clone(),
            html: row.html_body.clone(),
        };
        match self
            .mailer
            .send_with(&email, &row.message_id, row.list_unsubscribe.as_deref())
            .await
        {
            Ok(()) => Outcome::Sent,
            Err(MailError::Refused(reason)) => Outcome::Failed(reason),
            Err(e @ (MailError::Address(_) | MailError::Build(_) | MailError::Template(_))) => {
                Outcome::Failed(e.to_string())
            }
            Err(e) if row.attempts >= MAX_ATTEMPTS => {
                Outcome::Failed(format!("gave up after {} attempts: {e}", row.attempts))
            }
            Err(e) => Outcome::Retry(e.to_string()),
        }
    }

    async fn record(
        &self,
        row: OutboxRow,
        outcome: Outcome,
        now: NaiveDateTime,
    ) -> Result<(), DbError> {
        let kind = row.kind.clone();
        match &outcome {
            Outcome::Sent => tracing::debug!(kind, "email sent"),
            Outcome::Retry(reason) => {
                tracing::warn!(kind, attempts = row.attempts, %reason, "email will be retried")
            }
            Outcome::Failed(reason) => tracing::error!(kind, %reason, "email not sent"),
            Outcome::Withdrawn => tracing::debug!(kind, "reminder withdrawn: no longer due"),
            Outcome::Released => tracing::debug!(kind, "email released: the worker is stopping"),
        }
        db::run(&self.pool, move |conn| {
            db::dialect::write_transaction(conn, |conn| {
                match &outcome {
                    Outcome::Sent => outbox::mark_sent(conn, row.id, now)?,
                    Outcome::Retry(reason) => {
                        outbox::mark_retry(conn, row.id, reason, now + backoff(row.attempts))?
                    }
                    Outcome::Failed(reason) => outbox::mark_failed(conn, row.id, reason)?,
                    Outcome::Withdrawn => outbox::remove(conn, row.id)?,
                    Outcome::Released => outbox::release(conn, row.id)?,
                }
                // The record the privacy notice promises: which kind went, when, whether
                // it arrived at the server.
                if let (Some(user_id), Outcome::Sent | Outcome::Failed(_)) = (row.user_id, &outcome)
                {
                    let delivered = matches!(outcome, Outcome::Sent);
                    let recipient = users::email_hash(&row.recipient);
                    users::log_email(conn, user_id, &row.kind, &recipient, delivered, now)?;
                }
                Ok(())
            })
        })
        .await
    }

    /// The serve loop: a pass whenever a request queues mail, and every `every` anyway
    /// (retries come due, a crashed worker's leases run out). Ends when `stop` fires;
    /// a pass under way then finishes the sends in flight and releases the rest of its
    /// batch, so another worker can take it straight away.
    pub async fn serve(
        self,
        every: std::time::Duration,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) {
        // The first pass runs at once: a restarted instance sends what is due.
        loop {
            let now = chrono::Utc::now().naive_utc();
            let stopping = || *stop.borrow();
            match self.drain_unless(now, &stopping).await {
                Ok(pass) if pass.released > 0 => {
                    tracing::info!(released = pass.released, "mail worker stopped mid-batch");
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "mail worker pass failed"),
            }
            if stopping() {
                return;
            }
            tokio::select! {
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(every) => {}
                _ = stop.changed() => return,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::backoff;
    use chrono::Duration;

    #[test]
    fn retries_back_off() {
        assert_eq!(backoff(1), Duration::minutes(1));
        assert!(backoff(2) < backoff(3) && backoff(3) < backoff(4));
        assert_eq!(backoff(9), Duration::hours(3));
    }
}
