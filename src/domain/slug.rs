//! Slugs name roles, skills and sectors in URLs. Guide URLs are `/careers/{from}-to-{to}`,
//! so a slug must never let that split be ambiguous.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slug(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    #[error("a slug cannot be empty")]
    Empty,
    #[error("a slug can be at most 60 characters")]
    TooLong,
    #[error(
        "use only lowercase letters a–z, digits and single hyphens, with no hyphen at either end"
    )]
    BadCharacters,
    #[error(
        "a slug cannot contain \"-to-\" or start with \"to-\" or end with \"-to\": guide addresses use \"-to-\" to join two roles"
    )]
    ContainsTo,
}

impl Slug {
    pub fn parse(raw: &str) -> Result<Self, SlugError> {
        if raw.is_empty() {
            return Err(SlugError::Empty);
        }
        if raw.len() > 60 {
            return Err(SlugError::TooLong);
        }
        let chars_ok = raw
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !chars_ok || raw.starts_with('-') || raw.ends_with('-') || raw.contains("--") {
            return Err(SlugError::BadCharacters);
        }
        if raw == "to" || raw.contains("-to-") || raw.starts_with("to-") || raw.ends_with("-to") {
            return Err(SlugError::ContainsTo);
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Splits the `{from}-to-{to}` part of a guide address. Valid slugs never contain `-to-`,
/// so the first occurrence is the only possible split.
pub fn split_pair(pair: &str) -> Option<(&str, &str)> {
    let at = pair.find("-to-")?;
    Some((&pair[..at], &pair[at + 4..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_slugs() {
        for ok in [
            "cloud-engineer",
            "qa-engineer",
            "c3po",
            "it-support-technician",
        ] {
            assert_eq!(Slug::parse(ok).unwrap().as_str(), ok);
        }
    }

    #[test]
    fn refuses_anything_that_would_break_a_guide_address() {
        assert_eq!(Slug::parse(""), Err(SlugError::Empty));
        assert_eq!(Slug::parse("Cloud"), Err(SlugError::BadCharacters));
        assert_eq!(Slug::parse("a--b"), Err(SlugError::BadCharacters));
        assert_eq!(Slug::parse("-a"), Err(SlugError::BadCharacters));
        assert_eq!(Slug::parse("a b"), Err(SlugError::BadCharacters));
        assert_eq!(Slug::parse("back-to-school"), Err(SlugError::ContainsTo));
        assert_eq!(Slug::parse("to-do"), Err(SlugError::ContainsTo));
        assert_eq!(Slug::parse("go-to"), Err(SlugError::ContainsTo));
        assert_eq!(Slug::parse(&"a".repeat(61)), Err(SlugError::TooLong));
        assert!(Slug::parse("tomato-grower").is_ok());
    }

    #[test]
    fn splits_a_pair_at_the_only_joiner() {
        assert_eq!(
            split_pair("cloud-engineer-to-backend-developer"),
            Some(("cloud-engineer", "backend-developer"))
        );
        assert_eq!(split_pair("cloud-engineer"), None);
    }
}
