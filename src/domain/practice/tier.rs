//! The practice tiers and what each allows. A free account gets a few feedback answers a
//! day (the day in the account's own time zone); a trial, started once per account,
//! lifts the limit for a week; premium lifts it for good. Whether someone is premium is
//! decided in one place (`db::practice::set_premium`), so a payment provider can drive it.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

pub const FREE_ANSWERS_PER_DAY: u32 = 3;
pub const TRIAL_DAYS: i64 = 7;

/// What the database knows about one account's tier.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subscription {
    pub premium: bool,
    pub trial_started_at: Option<NaiveDateTime>,
    pub trial_ends_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    Free,
    Trial { ends_at: NaiveDateTime },
    Premium,
}

impl Tier {
    pub fn name(self) -> &'static str {
        match self {
            Tier::Free => "free",
            Tier::Trial { .. } => "trial",
            Tier::Premium => "premium",
        }
    }

    pub fn is_unlimited(self) -> bool {
        !matches!(self, Tier::Free)
    }
}

impl Subscription {
    pub fn tier_at(&self, now: NaiveDateTime) -> Tier {
        if self.premium {
            return Tier::Premium;
        }
        match self.trial_ends_at {
            Some(ends_at) if now < ends_at => Tier::Trial { ends_at },
            _ => Tier::Free,
        }
    }

    /// A trial is offered once per account, and not to someone who already has premium.
    pub fn can_start_trial(&self) -> bool {
        !self.premium && self.trial_started_at.is_none()
    }

    pub fn trial_ended(&self, now: NaiveDateTime) -> bool {
        self.trial_ends_at.is_some_and(|end| now >= end)
    }
}

pub fn trial_end(started: NaiveDateTime) -> NaiveDateTime {
    started + Duration::days(TRIAL_DAYS)
}

/// What is left today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowance {
    Unlimited,
    Left { left: u32, of: u32 },
}

impl Allowance {
    pub fn for_tier(tier: Tier, used_today: u32) -> Self {
        if tier.is_unlimited() {
            Allowance::Unlimited
        } else {
            Allowance::Left {
                left: FREE_ANSWERS_PER_DAY.saturating_sub(used_today),
                of: FREE_ANSWERS_PER_DAY,
            }
        }
    }

    /// What is left once one more answer has been given.
    pub fn after_one(self) -> Self {
        match self {
            Allowance::Unlimited => Allowance::Unlimited,
            Allowance::Left { left, of } => Allowance::Left {
                left: left.saturating_sub(1),
                of,
            },
        }
    }

    pub fn allows_one_more(self) -> bool {
        match self {
            Allowance::Unlimited => true,
            Allowance::Left { left, .. } => left > 0,
        }
    }
}

/// The practice day an instant (UTC) falls on, in the account's zone.
pub fn practice_day(zone: Tz, now_utc: NaiveDateTime) -> NaiveDate {
    zone.from_utc_datetime(&now_utc).date_naive()
}

/// When the free allowance next resets: the start of the next local day, as a UTC
/// instant. On a day whose midnight a clock change skips, the first instant that exists.
pub fn next_reset(zone: Tz, now_utc: NaiveDateTime) -> NaiveDateTime {
    let tomorrow = practice_day(zone, now_utc)
        .succ_opt()
        .unwrap_or(NaiveDate::MAX);
    let mut local = tomorrow.and_hms_opt(0, 0, 0).unwrap_or_default();
    for _ in 0..4 {
        if let Some(start) = zone.from_local_datetime(&local).earliest() {
            return start.naive_utc();
        }
        local += Duration::minutes(30);
    }
    now_utc + Duration::hours(24)
}

/// The reset time as the person reads it in their zone.
pub fn reset_in_zone(zone: Tz, reset_utc: NaiveDateTime) -> DateTime<Tz> {
    zone.from_utc_datetime(&reset_utc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn free_gets_three_a_day_and_the_rest_unlimited() {
        assert_eq!(
            Allowance::for_tier(Tier::Free, 0),
            Allowance::Left { left: 3, of: 3 }
        );
        assert!(Allowance::for_tier(Tier::Free, 2).allows_one_more());
        assert!(!Allowance::for_tier(Tier::Free, 3).allows_one_more());
        assert!(!Allowance::for_tier(Tier::Free, 9).allows_one_more());
        assert!(Allowance::for_tier(Tier::Premium, 99).allows_one_more());
        let trial = Tier::Trial {
            ends_at: at("2026-12-09 10:00"),
        };
        assert!(Allowance::for_tier(trial, 50).allows_one_more());
        assert_eq!(
            Allowance::for_tier(Tier::Free, 2).after_one(),
            Allowance::Left { left: 0, of: 3 }
        );
        assert_eq!(
            Allowance::for_tier(Tier::Free, 3).after_one(),
            Allowance::Left { left: 0, of: 3 }
        );
        assert_eq!(Allowance::Unlimited.after_one(), Allowance::Unlimited);
    }

    #[test]
    fn a_trial_lasts_seven_days_and_is_offered_once() {
        let start = at("2026-12-02 10:00");
        let sub = Subscription {
            premium: false,
            trial_started_at: Some(start),
            trial_ends_at: Some(trial_end(start)),
        };
        assert_eq!(
            sub.tier_at(at("2026-12-09 09:59")),
            Tier::Trial {
                ends_at: at("2026-12-09 10:00")
            }
        );
        assert_eq!(sub.tier_at(at("2026-12-09 10:00")), Tier::Free);
        assert!(sub.trial_ended(at("2026-12-09 10:00")));
        assert!(!sub.can_start_trial());
        assert!(Subscription::default().can_start_trial());
        let premium = Subscription {
            premium: true,
            ..Subscription::default()
        };
        assert!(!premium.can_start_trial());
        assert_eq!(premium.tier_at(at("2030-01-01 00:00")), Tier::Premium);
    }

    #[test]
    fn the_day_and_its_reset_follow_the_accounts_zone() {
        let tokyo: Tz = "Asia/Tokyo".parse().unwrap();
        let london: Tz = "Europe/London".parse().unwrap();
        let now = at("2026-12-02 16:30"); // 01:30 on the 3rd in Tokyo
        assert_eq!(practice_day(tokyo, now).to_string(), "2026-12-03");
        assert_eq!(practice_day(london, now).to_string(), "2026-12-02");
        assert_eq!(next_reset(london, now), at("2026-12-03 00:00"));
        assert_eq!(next_reset(tokyo, now), at("2026-12-03 15:00"));
        // British Summer Time: local midnight is 23:00 UTC the evening before.
        assert_eq!(
            next_reset(london, at("2026-07-01 12:00")),
            at("2026-07-01 23:00")
        );
    }

    #[test]
    fn a_skipped_midnight_resets_at_the_first_real_instant() {
        // Santiago springs forward at midnight: 00:00 on 2026-09-06 does not exist.
        let santiago: Tz = "America/Santiago".parse().unwrap();
        let reset = next_reset(santiago, at("2026-09-05 12:00"));
        assert_eq!(
            reset_in_zone(santiago, reset).format("%H:%M").to_string(),
            "01:00"
        );
    }
}
