//! Per-IP limits on the endpoints attackers hammer. This is the one piece of shared state
//! kept in process memory, by design: with several instances each counts its own
//! requests (the README says so). It sits behind `RateLimits` so a shared store can
//! replace it. IPv6 clients are counted per /64, the block one subscriber usually holds.

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Every password check: signing in, and the account pages that ask for it.
    SignIn,
    Register,
    Reset,
    Resend,
    /// Asking for a link to a new email address.
    EmailChange,
}

impl Action {
    const ALL: [Action; 5] = [
        Action::SignIn,
        Action::Register,
        Action::Reset,
        Action::Resend,
        Action::EmailChange,
    ];

    fn name(self) -> &'static str {
        match self {
            Self::SignIn => "sign-in",
            Self::Register => "register",
            Self::Reset => "reset",
            Self::Resend => "resend",
            Self::EmailChange => "email-change",
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
            Self::EmailChange => Limit {
                count: 10,
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
                    "unknown limit {name:?}; use sign-in, register, reset, resend or email-change"
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

/// The most addresses one limit remembers at a time. Addresses are forgotten once they are
/// back to a full allowance; past this many at once (a flood from many addresses), newcomers
/// share one allowance, so memory stays bounded whatever addresses a client can choose.
const MAX_TRACKED: usize = 20_000;

/// Where addresses beyond `MAX_TRACKED` are counted, together.
const OVERFLOW_KEY: IpAddr = IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED);

pub struct RateLimits {
    limiters: HashMap<Action, Keyed>,
    clock: DefaultClock,
    max_tracked: usize,
    /// When a full table was last swept, in seconds since `started`; a flood sweeps at most
    /// once a second rather than on every request.
    last_sweep: std::sync::atomic::AtomicU64,
    started: std::time::Instant,
}

impl RateLimits {
    pub fn new(limits: &HashMap<Action, Limit>) -> Self {
        Self::with_capacity(limits, MAX_TRACKED)
    }

    fn with_capacity(limits: &HashMap<Action, Limit>, max_tracked: usize) -> Self {
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
            max_tracked,
            last_sweep: std::sync::atomic::AtomicU64::new(0),
            started: std::time::Instant::now(),
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
        let mut key = limit_key(ip);
        if limiter.len() >= self.max_tracked {
            self.sweep_at_most_every_second(limiter);
            if limiter.len() >= self.max_tracked {
                key = OVERFLOW_KEY;
            }
        }
        limiter
            .check_key(&key)
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }

    fn sweep_at_most_every_second(&self, limiter: &Keyed) {
        use std::sync::atomic::Ordering;
        let now = self.started.elapsed().as_secs() + 1;
        let last = self.last_sweep.load(Ordering::Relaxed);
        if now > last
            && self
                .last_sweep
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            limiter.retain_recent();
        }
    }

    /// How many addresses the limit for `action` remembers now.
    #[cfg(test)]
    fn tracked(&self, action: Action) -> usize {
        self.limiters.get(&action).map_or(0, |l| l.len())
    }
}

/// The address a limit counts against: IPv4 as it is; IPv6 by its /64, since one
/// subscriber is usually handed a whole /64 and could otherwise rotate through it.
pub fn limit_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(std::net::Ipv6Addr::from(prefix))
            }
        },
    }
}

/// The client address: the peer, or, when the peer is the configured trusted proxy, the
/// address that proxy appended to X-Forwarded-For: the last entry of all the header's
/// lines taken together. Anything before it was written by the client and proves nothing.
/// An entry that is not a bare IP address (`ip:port`, `unknown`, garbage) is not guessed
/// at: the request counts against the proxy itself.
pub fn client_ip(req: &actix_web::HttpRequest, trusted_proxy: Option<IpAddr>) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip();
    if Some(peer) != trusted_proxy {
        return Some(peer);
    }
    let lines: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .map(|v| v.to_str().unwrap_or(""))
        .collect();
    Some(forwarded_client(&lines).unwrap_or(peer))
}

/// The last comma-separated entry over every X-Forwarded-For line, if it is a bare IP.
fn forwarded_client(lines: &[&str]) -> Option<IpAddr> {
    let last = lines.last()?.rsplit(',').next()?.trim();
    last.parse().ok()
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
    fn memory_stays_bounded_however_many_addresses_sign_in() {
        let limits = parse_limits("sign-in=3/min").unwrap();
        let rate = RateLimits::with_capacity(&limits, 10);
        let allowed = (0..200u32)
            .filter(|n| {
                let ip = IpAddr::V4(std::net::Ipv4Addr::from(0x0a00_0000 + n));
                rate.check(Action::SignIn, ip).is_ok()
            })
            .count();
        // Ten addresses are tracked; the other 190 share one allowance of three.
        assert!(
            rate.tracked(Action::SignIn) <= 11,
            "{}",
            rate.tracked(Action::SignIn)
        );
        assert_eq!(allowed, 10 + 3);
        // A newcomer now draws on that shared, spent allowance.
        let newcomer = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1));
        assert!(rate.check(Action::SignIn, newcomer).is_err());
    }

    #[test]
    fn only_the_entry_the_proxy_appended_counts() {
        let ip = |s: &str| s.parse::<IpAddr>().ok();
        assert_eq!(forwarded_client(&["1.1.1.1, 2.2.2.2"]), ip("2.2.2.2"));
        assert_eq!(forwarded_client(&["1.1.1.1", "3.3.3.3"]), ip("3.3.3.3"));
        assert_eq!(
            forwarded_client(&["9.9.9.9, 2001:db8::1"]),
            ip("2001:db8::1")
        );
        // Not a bare address: no guessing, and no falling back to an earlier entry.
        for bad in [
            "1.1.1.1, 2.2.2.2:80",
            "1.1.1.1, unknown",
            "1.1.1.1,",
            "",
            "[::1]:80",
        ] {
            assert_eq!(forwarded_client(&[bad]), None, "{bad:?}");
        }
        assert_eq!(forwarded_client(&["5.5.5.5", "1.1.1.1, junk"]), None);
        assert_eq!(forwarded_client(&[]), None);
    }

    #[test]
    fn ipv6_counts_per_64() {
        let limits = RateLimits::new(&parse_limits("sign-in=1/min").unwrap());
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let same_64: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let other_64: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert!(limits.check(Action::SignIn, a).is_ok());
        assert!(limits.check(Action::SignIn, same_64).is_err());
        assert!(limits.check(Action::SignIn, other_64).is_ok());
        assert_eq!(
            limit_key("::ffff:10.0.0.1".parse().unwrap()),
            "10.0.0.1".parse::<IpAddr>().unwrap()
        );
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
