//! Which reminder emails are due for one person at one moment: pure rules, no I/O.
//!
//! Every reminder has an idempotency key made of the person, the milestone, the kind and
//! the due date, so asking again (the scheduler runs every few seconds, on every instance)
//! never produces a second email, and a re-dated milestone gets a reminder of its own.
//! Times are the person's: "today" and the send hour are in their time zone, so the hour
//! stays put across the clock changes.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Timelike, Weekday};
use chrono_tz::Tz;

/// Overdue reminders stop after this many days; the weekly digest keeps listing them.
const OVERDUE_NAG_DAYS: i64 = 7;
/// The weekly digest looks this far ahead.
const DIGEST_DAYS_AHEAD: i64 = 7;

/// What someone chose on the account page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderPrefs {
    /// 0 sends no advance reminder.
    pub days_before: u32,
    pub on_overdue: bool,
    pub weekly_digest: bool,
    pub digest_weekday: Weekday,
    /// 0–23, in the person's time zone.
    pub send_hour: u32,
    pub paused: bool,
}

impl Default for ReminderPrefs {
    fn default() -> Self {
        Self {
            days_before: 3,
            on_overdue: true,
            weekly_digest: false,
            digest_weekday: Weekday::Mon,
            send_hour: 8,
            paused: false,
        }
    }
}

/// Field-by-field messages for a reminder form that does not make sense.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PrefsErrors {
    pub days_before: Option<&'static str>,
    pub digest_weekday: Option<&'static str>,
    pub send_hour: Option<&'static str>,
}

/// The form as typed.
#[derive(Debug, Default, Clone)]
pub struct PrefsInput<'a> {
    pub days_before: &'a str,
    pub on_overdue: bool,
    pub weekly_digest: bool,
    pub digest_weekday: &'a str,
    pub send_hour: &'a str,
    pub paused: bool,
}

pub const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

pub fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

impl ReminderPrefs {
    pub fn parse(input: &PrefsInput<'_>) -> Result<Self, PrefsErrors> {
        let mut errors = PrefsErrors::default();
        let days_before = input
            .days_before
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|d| *d <= 14);
        if days_before.is_none() {
            errors.days_before = Some("Choose a whole number of days from 0 to 14.");
        }
        let digest_weekday = input
            .digest_weekday
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|d| (1..=7).contains(d))
            .map(|d| WEEKDAYS[(d - 1) as usize]);
        if digest_weekday.is_none() {
            errors.digest_weekday = Some("Choose a day of the week.");
        }
        let send_hour = input
            .send_hour
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|h| *h <= 23);
        if send_hour.is_none() {
            errors.send_hour = Some("Choose an hour from 0 to 23.");
        }
        match (days_before, digest_weekday, send_hour) {
            (Some(days_before), Some(digest_weekday), Some(send_hour)) => Ok(Self {
                days_before,
                on_overdue: input.on_overdue,
                weekly_digest: input.weekly_digest,
                digest_weekday,
                send_hour,
                paused: input.paused,
            }),
            _ => Err(errors),
        }
    }
}

/// A milestone that is neither done nor no longer relevant, and has a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenMilestone {
    pub id: i32,
    pub plan_id: i32,
    pub title: String,
    pub due_on: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReminderKind {
    /// `days_before` days (or fewer, after an outage) before the due date.
    Upcoming,
    /// The due date has passed.
    Overdue,
    /// The weekly round-up.
    Digest,
}

impl ReminderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Upcoming => "reminder_upcoming",
            Self::Overdue => "reminder_overdue",
            Self::Digest => "reminder_digest",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub kind: ReminderKind,
    pub key: String,
    /// The person's own date when it was made.
    pub today: NaiveDate,
    /// One milestone, or for a digest the ones due soon and overdue (soonest first).
    pub milestones: Vec<OpenMilestone>,
}

/// The person's date and hour at `now` (UTC).
pub fn local_now(zone: Tz, now: NaiveDateTime) -> (NaiveDate, u32) {
    let local = zone.from_utc_datetime(&now);
    (local.date_naive(), local.hour())
}

/// The reminders due for `user_id` at `now`. Nothing before the send hour on their clock,
/// nothing while paused; each reminder once, by its key.
pub fn due_reminders(
    user_id: i32,
    prefs: &ReminderPrefs,
    zone: Tz,
    now: NaiveDateTime,
    milestones: &[OpenMilestone],
) -> Vec<Reminder> {
    if prefs.paused {
        return Vec::new();
    }
    let (today, hour) = local_now(zone, now);
    if hour < prefs.send_hour {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut sorted: Vec<&OpenMilestone> = milestones.iter().collect();
    sorted.sort_by_key(|m| (m.due_on, m.id));
    for m in &sorted {
        let days_left = (m.due_on - today).num_days();
        let kind = if prefs.days_before > 0
            && (0..i64::from(prefs.days_before)).contains(&(days_left - 1))
        {
            // 1..=days_before days to go.
            Some(ReminderKind::Upcoming)
        } else if prefs.on_overdue && (1..=OVERDUE_NAG_DAYS).contains(&-days_left) {
            Some(ReminderKind::Overdue)
        } else {
            None
        };
        if let Some(kind) = kind {
            out.push(Reminder {
                kind,
                key: format!("{}:{user_id}:{}:{}", kind.as_str(), m.id, m.due_on),
                today,
                milestones: vec![(*m).clone()],
            });
        }
    }
    if prefs.weekly_digest && today.weekday() == prefs.digest_weekday {
        let listed: Vec<OpenMilestone> = sorted
            .iter()
            .filter(|m| m.due_on <= today + Duration::days(DIGEST_DAYS_AHEAD))
            .map(|m| (*m).clone())
            .collect();
        if !listed.is_empty() {
            out.push(Reminder {
                kind: ReminderKind::Digest,
                key: format!("{}:{user_id}:{today}", ReminderKind::Digest.as_str()),
                today,
                milestones: listed,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn milestone(id: i32, due: &str) -> OpenMilestone {
        OpenMilestone {
            id,
            plan_id: 1,
            title: format!("Milestone {id}"),
            due_on: date(due),
        }
    }

    const LONDON: Tz = chrono_tz::Europe::London;

    #[test]
    fn the_send_hour_is_on_the_persons_clock_across_the_clock_changes() {
        let prefs = ReminderPrefs::default(); // 08:00, 3 days before
        // Summer (BST, UTC+1): 08:00 in London is 07:00 UTC.
        let june = [milestone(1, "2027-06-10")];
        assert!(due_reminders(7, &prefs, LONDON, at("2027-06-07 06:59"), &june).is_empty());
        assert_eq!(
            due_reminders(7, &prefs, LONDON, at("2027-06-07 07:00"), &june).len(),
            1
        );
        // Winter (GMT): 08:00 in London is 08:00 UTC.
        let january = [milestone(2, "2027-01-14")];
        assert!(due_reminders(7, &prefs, LONDON, at("2027-01-11 07:30"), &january).is_empty());
        assert_eq!(
            due_reminders(7, &prefs, LONDON, at("2027-01-11 08:00"), &january).len(),
            1
        );
        // The morning the clocks go forward (28 March 2027, 01:00 UTC).
        let spring = [milestone(3, "2027-03-31")];
        assert!(due_reminders(7, &prefs, LONDON, at("2027-03-28 06:30"), &spring).is_empty());
        assert_eq!(
            due_reminders(7, &prefs, LONDON, at("2027-03-28 07:00"), &spring).len(),
            1
        );
        // Another zone entirely: 08:00 in New York in January is 13:00 UTC.
        let ny = chrono_tz::America::New_York;
        assert!(due_reminders(7, &prefs, ny, at("2027-01-11 12:59"), &january).is_empty());
    }

    #[test]
    fn upcoming_overdue_and_the_key_that_makes_each_one_once() {
        let prefs = ReminderPrefs::default();
        let now = at("2027-01-11 09:00"); // Monday 11 January, 09:00 in London
        let ms = [
            milestone(1, "2027-01-14"), // 3 days to go
            milestone(2, "2027-01-12"), // tomorrow (an outage or a late re-date still gets one)
            milestone(3, "2027-01-20"), // too far off
            milestone(4, "2027-01-10"), // overdue by a day
            milestone(5, "2026-12-01"), // overdue for weeks: left to the digest
            milestone(6, "2027-01-11"), // due today: the upcoming one went days ago
        ];
        let due = due_reminders(7, &prefs, LONDON, now, &ms);
        let kinds: Vec<(i32, ReminderKind)> =
            due.iter().map(|r| (r.milestones[0].id, r.kind)).collect();
        assert_eq!(
            kinds,
            [
                (4, ReminderKind::Overdue),
                (2, ReminderKind::Upcoming),
                (1, ReminderKind::Upcoming)
            ]
        );
        assert_eq!(due[2].key, "reminder_upcoming:7:1:2027-01-14");
        // Later the same day, or the next, the keys are the same: nothing new.
        let again = due_reminders(7, &prefs, LONDON, at("2027-01-12 10:00"), &ms[..1]);
        assert_eq!(again[0].key, due[2].key);
        // Re-dated, it is a different reminder.
        let moved = due_reminders(7, &prefs, LONDON, now, &[milestone(1, "2027-01-13")]);
        assert_ne!(moved[0].key, due[2].key);
    }

    #[test]
    fn choices_switch_kinds_off_and_pausing_stops_everything() {
        let now = at("2027-01-11 09:00");
        let ms = [milestone(1, "2027-01-13"), milestone(2, "2027-01-09")];
        let none_before = ReminderPrefs {
            days_before: 0,
            ..ReminderPrefs::default()
        };
        let due = due_reminders(1, &none_before, LONDON, now, &ms);
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].kind, ReminderKind::Overdue);
        let no_overdue = ReminderPrefs {
            on_overdue: false,
            ..ReminderPrefs::default()
        };
        assert!(
            due_reminders(1, &no_overdue, LONDON, now, &ms)
                .iter()
                .all(|r| r.kind == ReminderKind::Upcoming)
        );
        let paused = ReminderPrefs {
            paused: true,
            weekly_digest: true,
            ..ReminderPrefs::default()
        };
        assert!(due_reminders(1, &paused, LONDON, now, &ms).is_empty());
    }

    #[test]
    fn the_digest_comes_on_the_chosen_day_with_what_is_due_soon_and_overdue() {
        let prefs = ReminderPrefs {
            days_before: 0,
            on_overdue: false,
            weekly_digest: true,
            digest_weekday: Weekday::Mon,
            ..ReminderPrefs::default()
        };
        let ms = [
            milestone(1, "2027-01-15"),
            milestone(2, "2027-02-20"),
            milestone(3, "2026-12-01"),
        ];
        let monday = due_reminders(1, &prefs, LONDON, at("2027-01-11 09:00"), &ms);
        assert_eq!(monday.len(), 1);
        assert_eq!(monday[0].kind, ReminderKind::Digest);
        assert_eq!(monday[0].key, "reminder_digest:1:2027-01-11");
        let listed: Vec<i32> = monday[0].milestones.iter().map(|m| m.id).collect();
        assert_eq!(
            listed,
            [3, 1],
            "overdue first, then this week; not next month"
        );
        assert!(due_reminders(1, &prefs, LONDON, at("2027-01-12 09:00"), &ms).is_empty());
        assert!(
            due_reminders(1, &prefs, LONDON, at("2027-01-11 09:00"), &ms[1..2]).is_empty(),
            "no digest with nothing in it"
        );
    }

    #[test]
    fn the_form_is_checked_field_by_field() {
        let good = PrefsInput {
            days_before: "5",
            on_overdue: true,
            weekly_digest: true,
            digest_weekday: "3",
            send_hour: "18",
            paused: false,
        };
        let prefs = ReminderPrefs::parse(&good).unwrap();
        assert_eq!(
            (prefs.days_before, prefs.digest_weekday, prefs.send_hour),
            (5, Weekday::Wed, 18)
        );
        let bad = PrefsInput {
            days_before: "15",
            digest_weekday: "0",
            send_hour: "24",
            ..good
        };
        let errors = ReminderPrefs::parse(&bad).unwrap_err();
        assert!(
            errors.days_before.is_some()
                && errors.digest_weekday.is_some()
                && errors.send_hour.is_some()
        );
    }
}
