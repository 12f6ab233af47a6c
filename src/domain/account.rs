//! Account input, parsed at the edge into types that cannot hold bad values, and the rules
//! about sign-in attempts and where to send someone after signing in.

use std::fmt;

use chrono::{Duration, NaiveDateTime};
use unicode_normalization::UnicodeNormalization;

pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_CHARS: usize = 128;
pub const EMAIL_MAX_CHARS: usize = 254;
pub const DEFAULT_TIME_ZONE: &str = "Europe/London";
/// Failed sign-ins allowed per submitted address within `SIGN_IN_WINDOW_MINUTES`.
pub const MAX_FAILED_SIGN_INS: usize = 10;
pub const SIGN_IN_WINDOW_MINUTES: i64 = 15;

/// A normalised email address: trimmed, lowercase, one `@`, a dotted domain, and no
/// characters that could break a mail header.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("Enter your email address.")]
    Empty,
    #[error("Enter an email address in the form name@example.com.")]
    Invalid,
    #[error("That email address is too long.")]
    TooLong,
    #[error(
        "That email address contains a hidden character (such as a zero-width space). Type it again by hand."
    )]
    Invisible,
}

/// Characters that render as nothing (zero-width spaces and joiners, bidirectional
/// controls, soft hyphens, variation selectors, tag characters, fillers).
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF0}'..='\u{FFFB}' | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E0FFF}')
}

impl Email {
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if trimmed.chars().count() > EMAIL_MAX_CHARS {
            return Err(EmailError::TooLong);
        }
        // Look-alike spellings (composed and decomposed letters, full-width forms) must
        // name one account, and characters nobody can see must not make a second one.
        if trimmed.chars().any(is_invisible) {
            return Err(EmailError::Invisible);
        }
        let lower: String = trimmed.nfkc().collect::<String>().to_lowercase();
        let bad_char = lower.chars().any(|c| {
            is_invisible(c)
                || c.is_whitespace()
                || c.is_control()
                || matches!(
                    c,
                    '<' | '>' | '(' | ')' | ',' | ';' | ':' | '\\' | '"' | '[' | ']'
                )
        });
        let Some((local, domain)) = lower.split_once('@') else {
            return Err(EmailError::Invalid);
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@');
        if bad_char || local.is_empty() || local.len() > 64 || !domain_ok {
            return Err(EmailError::Invalid);
        }
        Ok(Self(lower))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password that meets the policy: 8–128 characters of any script, no composition rules,
/// and not one of the passwords attackers try first.
pub struct Password(String);

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(…)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("Enter a password.")]
    Empty,
    #[error("Use at least 8 characters.")]
    TooShort,
    #[error("Use at most 128 characters.")]
    TooLong,
    #[error("That password is too easy to guess{0}. Try a few unrelated words together.")]
    TooCommon(String),
}

impl Password {
    /// `context` holds words a guesser would try first for this person (their email).
    pub fn parse(raw: &str, context: &[&str]) -> Result<Self, PasswordError> {
        // Length is checked before anything expensive: over-long input never reaches the
        // strength estimate or the hash.
        let chars = raw.chars().count();
        if chars == 0 {
            return Err(PasswordError::Empty);
        }
        if chars > PASSWORD_MAX_CHARS {
            return Err(PasswordError::TooLong);
        }
        if chars < PASSWORD_MIN_CHARS {
            return Err(PasswordError::TooShort);
        }
        let estimate = zxcvbn::zxcvbn(raw, context);
        if (estimate.score() as u8) < 2 {
            let hint = estimate
                .feedback()
                .and_then(|f| f.warning())
                .map(|w| format!(" ({})", w.to_string().trim_end_matches('.').to_lowercase()))
                .unwrap_or_default();
            return Err(PasswordError::TooCommon(hint));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// An IANA time zone name that chrono-tz knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeZone(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Choose a time zone from the list.")]
pub struct TimeZoneError;

impl TimeZone {
    pub fn parse(raw: &str) -> Result<Self, TimeZoneError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(Self(DEFAULT_TIME_ZONE.to_owned()));
        }
        raw.parse::<chrono_tz::Tz>().map_err(|_| TimeZoneError)?;
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A stored zone name as a zone. Names are checked when saved, so the fallback only
/// covers a zone that a newer chrono-tz has dropped.
pub fn zone_or_default(name: &str) -> chrono_tz::Tz {
    name.parse().unwrap_or(chrono_tz::Europe::London)
}

impl Default for TimeZone {
    fn default() -> Self {
        Self(DEFAULT_TIME_ZONE.to_owned())
    }
}

/// When more failed sign-ins than allowed fall inside the window, the minutes until the
/// oldest of them leaves it. The same answer whether or not the address has an account.
pub fn sign_in_lockout(failures: &[NaiveDateTime], now: NaiveDateTime) -> Option<i64> {
    let window_start = now - Duration::minutes(SIGN_IN_WINDOW_MINUTES);
    let mut recent: Vec<_> = failures.iter().filter(|t| **t > window_start).collect();
    if recent.len() < MAX_FAILED_SIGN_INS {
        return None;
    }
    recent.sort();
    // Attempts open up again when enough of them have aged out of the window.
    let unlocking = recent[recent.len() - MAX_FAILED_SIGN_INS];
    let free_at = *unlocking + Duration::minutes(SIGN_IN_WINDOW_MINUTES);
    let seconds = (free_at - now).num_seconds().max(1);
    Some((seconds + 59) / 60)
}

/// Where to go after signing in: only a local path, never another site.
pub fn safe_next(next: Option<&str>, fallback: &str) -> String {
    let Some(next) = next.map(str::trim).filter(|n| !n.is_empty()) else {
        return fallback.to_owned();
    };
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control() || c == '\\')
        && next.len() <= 512;
    if local {
        next.to_owned()
    } else {
        fallback.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Ada@Example.COM ").unwrap().as_str(),
            "ada@example.com"
        );
        assert_eq!(Email::parse(""), Err(EmailError::Empty));
        for bad in [
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "ada@example.com\r\nBcc: x@y.z",
            "ada@@example.com",
            "ada@.example.com",
            "<ada@example.com>",
        ] {
            assert_eq!(Email::parse(bad), Err(EmailError::Invalid), "{bad:?}");
        }
        assert_eq!(
            Email::parse(&format!("{}@example.com", "a".repeat(260))),
            Err(EmailError::TooLong)
        );
        assert!(
            Email::parse("zoë@exämple.co.uk").is_ok(),
            "Unicode addresses are allowed"
        );
        // Composed and decomposed é, and full-width letters, are one address.
        let composed = Email::parse("ren\u{e9}@example.com").unwrap();
        assert_eq!(Email::parse("rene\u{301}@example.com").unwrap(), composed);
        assert_eq!(
            Email::parse("\u{FF52}\u{FF45}\u{FF4E}\u{e9}@example.com").unwrap(),
            composed
        );
        for hidden in [
            "ren\u{200B}e@example.com",
            "\u{FEFF}rene@example.com",
            "rene@exam\u{200D}ple.com",
            "rene\u{202E}@example.com",
            "rene\u{AD}@example.com",
        ] {
            assert_eq!(
                Email::parse(hidden),
                Err(EmailError::Invisible),
                "{hidden:?}"
            );
        }
    }

    #[test]
    fn passwords_follow_length_and_guessability_rules_only() {
        assert!(matches!(
            Password::parse("", &[]),
            Err(PasswordError::Empty)
        ));
        assert!(matches!(
            Password::parse("short", &[]),
            Err(PasswordError::TooShort)
        ));
        assert!(matches!(
            Password::parse(&"x".repeat(129), &[]),
            Err(PasswordError::TooLong)
        ));
        for common in [
            "password",
            "password1",
            "12345678",
            "qwertyuiop",
            "iloveyou",
        ] {
            assert!(
                matches!(
                    Password::parse(common, &[]),
                    Err(PasswordError::TooCommon(_))
                ),
                "{common}"
            );
        }
        assert!(
            Password::parse("ada.lovelace@example.com", &["ada.lovelace@example.com"]).is_err()
        );
        // No composition rules, and any script: lowercase words or non-Latin text are fine.
        assert!(Password::parse("violet harbour lantern", &[]).is_ok());
        assert!(Password::parse("ночной поезд на юг", &[]).is_ok());
        let long: String = "seven purple herons argue about cardamom toast near the old ferry dock while a tram hums past the quiet library on Tuesdays at dusk"
            .chars()
            .take(128)
            .collect();
        assert_eq!(long.chars().count(), 128);
        assert!(
            Password::parse(&long, &[]).is_ok(),
            "exactly 128 characters"
        );
        // 8 characters counted as characters, not bytes.
        assert!(matches!(
            Password::parse("ééééééé", &[]),
            Err(PasswordError::TooShort)
        ));
    }

    #[test]
    fn time_zones_must_exist() {
        assert_eq!(TimeZone::parse("").unwrap().as_str(), "Europe/London");
        assert_eq!(
            TimeZone::parse("America/New_York").unwrap().as_str(),
            "America/New_York"
        );
        assert!(TimeZone::parse("Mars/Olympus").is_err());
    }

    #[test]
    fn lockout_counts_failures_in_the_window() {
        let now = NaiveDate::from_ymd_opt(2026, 11, 28)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        let at = |mins_ago: i64| now - Duration::minutes(mins_ago);
        let nine: Vec<_> = (0..9).map(at).collect();
        assert_eq!(sign_in_lockout(&nine, now), None);
        let ten: Vec<_> = (0..10).map(at).collect();
        // The oldest of the ten is 9 minutes old, so it leaves the window in 6 minutes.
        assert_eq!(sign_in_lockout(&ten, now), Some(6));
        let old: Vec<_> = (20..40).map(at).collect();
        assert_eq!(
            sign_in_lockout(&old, now),
            None,
            "failures outside the window do not count"
        );
    }

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(
            safe_next(Some("/careers/a-to-b?x=1"), "/account"),
            "/careers/a-to-b?x=1"
        );
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
            "evil.example",
            "/\r\nLocation: x",
        ] {
            assert_eq!(safe_next(Some(bad), "/account"), "/account", "{bad:?}");
        }
        assert_eq!(safe_next(None, "/account"), "/account");
    }
}
