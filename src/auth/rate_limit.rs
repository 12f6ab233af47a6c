//! Per-IP limits on the endpoints attackers hammer. This is the one piece of shared state
//! kept in process memory (see DESIGN.md); it sits behind `RateLimits` so a shared store
//! can replace it when there is more than one instance.

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    SignIn,
    Register,
    Reset,
    Resend,
}

impl Action {
    const ALL: [Action; 4] = [
        Action::SignIn,
        Action::Register,
        Action::Reset,
        Action::Resend,
    ];

    fn name(self) -> &'static str {
        match self {
            Self::SignIn => "sign-in",
            Self::Register => "register",
            Self::Reset => "reset",
            Self::Resend => "resend",
        }
    }

    /// Documented defaults: generous for people, tight for scripts.
    fn default_limit(self) -> Limit {
        match self {
            Self::SignIn => Limit {
                count: 20,
                per: Duration::from_secs(60),
            },
            Self::Register => Limit {
                count: 10,
                per: Duration::from_secs(60),
            },
            Self::Reset => Limit {
                count: 5,
                per: Duration::from_secs(60),
            },
            Self::Resend => Limit {
                count: 5,
                per: Duration::from_secs(3600),
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub count: u32,
    pub per: Duration,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("CAREERSWITCH_RATE_LIMITS: {0}")]
pub struct LimitParseError(String);

/// Parses `sign-in=20/min,register=10/min,reset=5/min,resend=5/hour` over the defaults.
pub fn parse_limits(spec: &str) -> Result<HashMap<Action, Limit>, LimitParseError> {
    let mut limits: HashMap<Action, Limit> = Action::ALL
        .iter()
        .map(|a| (*a, a.default_limit()))
        .collect();
    for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (name, value) = item
            .split_once('=')
            .ok_or_else(|| LimitParseError(format!("{item:?} should look like name=N/min")))?;
        let action = Action::ALL
            .into_iter()
            .find(|a| a.name() == name.trim())
            .ok_or_else(|| {
                LimitParseError(format!(
                    "unknown limit {name:?}; use sign-in, register, reset or resend"
                ))
            })?;
        let (count, unit) = value
            .split_once('/')
            .ok_or_else(|| LimitParseError(format!("{item:?} should look like {name}=N/min")))?;
        let count: u32 = count
            .trim()
            .parse()
            .ok()
            .filter(|c| *c > 0)
            .ok_or_else(|| LimitParseError(format!("{count:?} is not a positive whole number")))?;
        let per = match unit.trim() {
            "s" | "sec" | "second" => Duration::from_secs(1),
            "min" | "minute" => Duration::from_secs(60),
            "h" | "hour" => Duration::from_secs(3600),
            "day" => Duration::from_secs(86_400),
            other => {
                return Err(LimitParseError(format!(
                    "unknown unit {other:?}; use sec, min, hour or day"
                )));
            }
        };
        limits.insert(action, Limit { count, per });
    }
    Ok(limits)
}

type Keyed = RateLimiter<IpAddr, DefaultKeyedStateStore<IpAddr>, DefaultClock>;

pub struct RateLimits {
    limiters: HashMap<Action, Keyed>,
    clock: DefaultClock,
}

impl RateLimits {
    pub fn new(limits: &HashMap<Action, Limit>) -> Self {
        let limiters = limits
            .iter()
            .map(|(action, limit)| {
                let count = NonZeroU32::new(limit.count).unwrap_or(NonZeroU32::MIN);
                let period = limit.per / limit.count.max(1);
                let quota = Quota::with_period(period)
                    .unwrap_or_else(|| Quota::per_second(count))
                    .allow_burst(count);
                (*action, RateLimiter::keyed(quota))
            })
            .collect();
        Self {
            limiters,
            clock: DefaultClock::default(),
        }
    }

    /// Drops the state of addresses that are back to a full allowance, so memory does not
    /// grow with every address ever seen.
    pub fn forget_idle(&self) {
        for limiter in self.limiters.values() {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }

    /// `Err(wait)` when `ip` has used up its allowance for `action`.
    pub fn check(&self, action: Action, ip: IpAddr) -> Result<(), Duration> {
        let Some(limiter) = self.limiters.get(&action) else {
            return Ok(());
        };
        limiter
            .check_key(&ip)
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }
}

/// The client address: the peer, or the first address in X-Forwarded-For when the peer is
/// the configured trusted proxy.
pub fn client_ip(req: &actix_web::HttpRequest, trusted_proxy: Option<IpAddr>) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip();
    if Some(peer) == trusted_proxy
        && let Some(forwarded) = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
    {
        // The proxy appends the address it saw, so the last entry is the one it vouches for.
        if let Some(ip) = forwarded
            .rsplit(',')
            .find_map(|part| part.trim().parse().ok())
        {
            return Some(ip);
        }
    }
    Some(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_overrides_and_keeps_defaults() {
        let limits = parse_limits("sign-in=3/min, resend=1/hour").unwrap();
        assert_eq!(
            limits[&Action::SignIn],
            Limit {
                count: 3,
                per: Duration::from_secs(60)
            }
        );
        assert_eq!(
            limits[&Action::Resend],
            Limit {
                count: 1,
                per: Duration::from_secs(3600)
            }
        );
        assert_eq!(limits[&Action::Register], Action::Register.default_limit());
        assert!(parse_limits("").is_ok());
        assert!(parse_limits("login=3/min").is_err());
        assert!(parse_limits("sign-in=0/min").is_err());
        assert!(parse_limits("sign-in=3/fortnight").is_err());
        assert!(parse_limits("sign-in").is_err());
    }

    #[test]
    fn limits_each_address_separately() {
        let limits = RateLimits::new(&parse_limits("sign-in=2/min").unwrap());
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        assert!(limits.check(Action::SignIn, a).is_ok());
        assert!(limits.check(Action::SignIn, a).is_ok());
        let wait = limits.check(Action::SignIn, a).unwrap_err();
        assert!(wait > Duration::ZERO && wait <= Duration::from_secs(60));
        assert!(
            limits.check(Action::SignIn, b).is_ok(),
            "another address has its own allowance"
        );
    }
}
