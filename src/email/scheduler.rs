//! Turns due milestones into reminder emails in the outbox. Safe to run as often as you
//! like, on as many instances as you like: each reminder's idempotency key (person,
//! milestone, kind, due date) lets it into the outbox once.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;

use super::messages::{self, ReminderItem, ReminderWording};
use crate::auth::tokens::{new_token, sha256_hex};
use crate::db::{self, DbError, DbPool, outbox};
use crate::domain::reminders::{OpenMilestone, ReminderKind, due_reminders};

/// One person's open milestones.
struct Person {
    email: String,
    time_zone: String,
    milestones: Vec<OpenMilestone>,
}

/// Adds every reminder due at `now` that is not in the outbox yet. Returns how many.
pub async fn schedule(
    pool: &DbPool,
    mailer: &super::Mailer,
    base_url: &str,
    now: NaiveDateTime,
) -> Result<usize, DbError> {
    let rows = db::run(pool, db::plans::open_milestones_to_remind).await?;
    let mut people: BTreeMap<i32, Person> = BTreeMap::new();
    for row in rows {
        people
            .entry(row.user_id)
            .or_insert_with(|| Person {
                email: row.email,
                time_zone: row.time_zone,
                milestones: Vec::new(),
            })
            .milestones
            .push(OpenMilestone {
                id: row.milestone_id,
                plan_id: row.plan_id,
                title: row.title,
                due_on: row.due_on,
            });
    }
    let mut added = 0;
    for (user_id, person) in people {
        let token = new_token();
        let stored = db::run(pool, move |conn| {
            db::reminders::for_user(conn, user_id, &token, now)
        })
        .await?;
        let zone = crate::domain::account::zone_or_default(&person.time_zone);
        let due = due_reminders(user_id, &stored.prefs, zone, now, &person.milestones);
        if due.is_empty() {
            continue;
        }
        let unsubscribe = format!("{base_url}/unsubscribe/{}", stored.unsubscribe_token);
        let settings = format!("{base_url}/account/reminders");
        for reminder in due {
            let items: Vec<ReminderItem> = reminder
                .milestones
                .iter()
                .map(|m| ReminderItem {
                    title: m.title.clone(),
                    when: if m.due_on < reminder.today {
                        format!("overdue since {}", m.due_on.format("%A %-d %B"))
                    } else {
                        format!("due {}", m.due_on.format("%A %-d %B"))
                    },
                    link: format!("{base_url}/plans/{}#milestone-{}", m.plan_id, m.id),
                })
                .collect();
            let wording = match reminder.kind {
                ReminderKind::Upcoming => ReminderWording::Upcoming,
                ReminderKind::Overdue => ReminderWording::Overdue,
                ReminderKind::Digest => ReminderWording::Digest,
            };
            let email =
                match messages::reminder(&person.email, wording, &items, &settings, &unsubscribe) {
                    Ok(email) => email,
                    Err(e) => {
                        tracing::error!(error = %e, "reminder not rendered");
                        continue;
                    }
                };
            let milestone_id = match reminder.kind {
                ReminderKind::Digest => None,
                _ => reminder.milestones.first().map(|m| m.id),
            };
            // The Message-ID comes from the key, so a resend is recognisably the same email.
            let message_id = mailer.message_id_for(&sha256_hex(&reminder.key)[..32]);
            let (key, unsubscribe) = (reminder.key.clone(), unsubscribe.clone());
            let kind = reminder.kind.as_str();
            let inserted = db::run(pool, move |conn| {
                outbox::enqueue(
                    conn,
                    &outbox::NewMail {
                        idempotency_key: &key,
                        message_id: &message_id,
                        user_id: Some(user_id),
                        kind,
                        recipient: &email.to,
                        subject: &email.subject,
                        text_body: &email.text,
                        html_body: &email.html,
                        list_unsubscribe: Some(&unsubscribe),
                        milestone_id,
                        not_before: now,
                    },
                    now,
                )
            })
            .await?;
            if inserted {
                added += 1;
            }
        }
    }
    Ok(added)
}
