//! Seeded random inputs for every parser of user input in the domain: none may panic,
//! and what each accepts must hold its own rules. (The feedback scorer has its own run in
//! `practice::feedback`, and the web forms in `web::admin::roles` borrow `random_input`.)
//! The seed is fixed, so a failure repeats.

#![cfg(test)]

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::account::{Email, Password, TimeZone};
use super::markdown::{ALLOWED_TAGS, Html, to_plain};
use super::plan::{HoursPerWeek, PlanMonths, parse_date};
use super::profile::SkillLevel;
use super::slug::{Slug, split_pair};

const ROUNDS: usize = 2000;

/// Pieces that tend to break parsers: separators, markup, odd Unicode, long runs.
const PIECES: &[&str] = &[
    "-",
    "--",
    "-to-",
    "to",
    "a",
    "Z",
    "9",
    "0",
    " ",
    "\t",
    "\n",
    "\r\n",
    "@",
    "@@",
    ".",
    "..",
    "<",
    ">",
    "<script>",
    "</p>",
    "&amp;",
    "&#0;",
    "\"",
    "'",
    "`",
    "*",
    "**",
    "_",
    "[",
    "](",
    ")",
    "javascript:",
    "data:",
    "#",
    "> ",
    "1. ",
    "|",
    "\\",
    "%",
    "%00",
    "\u{0}",
    "\u{202e}",
    "\u{200b}",
    "é",
    "e\u{301}",
    "ß",
    "ﬁ",
    "😀",
    "\u{fffd}",
    "２",
    "Ⅻ",
    "2026-02-30",
    "2026-12-03",
    "-1",
    "+5",
    "999999999999999999999",
    "6",
    "12",
    "40",
    "0x10",
    "1e3",
    "NaN",
    "Europe/London",
    "Etc/GMT+14",
    "../",
    "/",
    "a-b-c",
    "xxx",
];

pub(crate) fn random_input(rng: &mut StdRng) -> String {
    let mut s = String::new();
    let parts = rng.random_range(0..12);
    for _ in 0..parts {
        if rng.random_bool(0.7) {
            s.push_str(PIECES[rng.random_range(0..PIECES.len())]);
        } else {
            s.push(char::from_u32(rng.random_range(0..0x11_0000)).unwrap_or('?'));
        }
    }
    if rng.random_bool(0.02) {
        s = s.repeat(200);
    }
    s
}

#[test]
fn no_parser_panics_and_what_they_accept_keeps_their_rules() {
    let mut rng = StdRng::seed_from_u64(20261203);
    for _ in 0..ROUNDS {
        let input = random_input(&mut rng);
        if let Ok(slug) = Slug::parse(&input) {
            let s = slug.as_str();
            assert!(
                !s.contains("-to-") && !s.is_empty() && s.len() <= 60,
                "{s:?}"
            );
            assert!(
                s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            );
        }
        if let Some((from, to)) = split_pair(&input) {
            assert!(
                !from.contains("-to-"),
                "the first split is the only one: {input:?}"
            );
            assert!(input.len() == from.len() + 4 + to.len());
        }
        if let Ok(email) = Email::parse(&input) {
            let e = email.as_str();
            assert!(e.contains('@') && !e.contains(char::is_whitespace), "{e:?}");
            assert!(!e.contains(['\r', '\n']));
        }
        let _ = Password::parse(&input, &["someone@example.com"]);
        let _ = TimeZone::parse(&input);
        if let Ok(months) = PlanMonths::parse(&input) {
            assert!((6..=12).contains(&months.get()));
        }
        if let Ok(hours) = HoursPerWeek::parse(&input) {
            assert!((1..=40).contains(&hours.get()));
        }
        let _ = parse_date(&input);
        let _ = SkillLevel::parse(&input);
        let html = Html::markdown(&input);
        assert_only_safe_tags(html.as_str(), &input);
        let _ = Html::blocks(&input);
        let plain = to_plain(&input);
        assert!(!plain.contains("\n\n"));
    }
}

/// Every tag in `html` is one the sanitiser allows, with no attribute but a link's `href`
/// (to a harmless scheme or a relative address) and its `rel`.
fn assert_only_safe_tags(html: &str, input: &str) {
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let close = rest[open..]
            .find('>')
            .map(|c| open + c)
            .unwrap_or_else(|| panic!("{input:?} gave an unclosed tag: {html:?}"));
        let tag = &rest[open + 1..close];
        let tag = tag.trim_start_matches('/').trim_end_matches('/');
        let mut parts = tag.splitn(2, ' ');
        let name = parts.next().unwrap_or("");
        assert!(
            ALLOWED_TAGS.contains(&name),
            "{input:?} gave <{tag}> in {html:?}"
        );
        if let Some(attrs) = parts.next() {
            for attr in attrs.split("\" ").map(str::trim).filter(|a| !a.is_empty()) {
                let (key, value) = attr.split_once("=\"").unwrap_or((attr, ""));
                assert!(
                    key == "href" || key == "rel",
                    "{input:?} gave attribute {attr:?}"
                );
                let v = value.to_lowercase();
                assert!(
                    !v.starts_with("javascript:")
                        && !v.starts_with("data:")
                        && !v.starts_with("vbscript:"),
                    "{input:?} gave {attr:?}"
                );
            }
        }
        rest = &rest[close + 1..];
    }
}
