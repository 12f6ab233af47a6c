//! Small pieces of English that generated sentences depend on: plurals, articles and how a
//! job title reads in the middle of a sentence.

/// "1 skill", "3 skills".
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// Chooses between two forms by number, e.g. a verb: `agree(n, "transfers", "transfer")`.
pub fn agree<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// Spells small numbers as words, as UK house styles do for one to nine.
pub fn number_word(n: usize) -> String {
    const WORDS: [&str; 10] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| (*w).to_owned())
}

/// A job title as it reads mid-sentence: "Cloud Engineer" → "cloud engineer", while
/// acronyms and mixed-case brands keep their shape ("QA engineer", "DevOps engineer").
pub fn in_sentence(title: &str) -> String {
    title
        .split(' ')
        .map(|word| {
            word.split('-')
                .map(lower_if_capitalised)
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn lower_if_capitalised(part: &str) -> String {
    let mut chars = part.chars();
    match chars.next() {
        Some(first) if first.is_uppercase() && chars.clone().all(|c| !c.is_uppercase()) => {
            first.to_lowercase().chain(chars).collect()
        }
        _ => part.to_owned(),
    }
}

/// "a" or "an" by the sound of the next word, including acronyms read letter by letter.
pub fn article(next: &str) -> &'static str {
    let word = next.split([' ', '-']).next().unwrap_or("");
    let Some(first) = word.chars().next() else {
        return "a";
    };
    let is_acronym = word.len() > 1
        && word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if is_acronym {
        // Letters whose names start with a vowel sound: "an SRE", "an HR advisor", "an IT role".
        return if "AEFHILMNORSX".contains(first) {
            "an"
        } else {
            "a"
        };
    }
    let lower = word.to_lowercase();
    const YOU_SOUND: [&str; 6] = ["uni", "use", "usu", "uk", "eu", "ux"];
    const SILENT_H: [&str; 3] = ["hour", "honest", "honour"];
    if YOU_SOUND.iter().any(|p| lower.starts_with(p)) || lower.starts_with("one") {
        return "a";
    }
    if SILENT_H.iter().any(|p| lower.starts_with(p)) {
        return "an";
    }
    if "aeiou".contains(lower.chars().next().unwrap_or('x')) {
        "an"
    } else {
        "a"
    }
}

/// "an accountant", "a UX designer".
pub fn with_article(phrase: &str) -> String {
    format!("{} {phrase}", article(phrase))
}

/// Capitalises the first letter, for a generated phrase that starts a sentence.
pub fn sentence_case(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Joins items as a UK list: "a", "a and b", "a, b and c".
/// At most `max` characters, cut at a word boundary with an ellipsis when shortened.
pub fn truncate_words(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let cut: String = s.chars().take(max).collect();
    let kept = match cut.rfind(' ') {
        Some(at) if at > max / 2 => &cut[..at],
        _ => cut.as_str(),
    };
    format!("{}…", kept.trim_end_matches([',', ';', ':', ' ']))
}

pub fn join_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_with_numbers() {
        assert_eq!(count(0, "skill", "skills"), "0 skills");
        assert_eq!(count(1, "skill", "skills"), "1 skill");
        assert_eq!(count(2, "skill", "skills"), "2 skills");
        assert_eq!(agree(1, "transfers", "transfer"), "transfers");
        assert_eq!(agree(4, "transfers", "transfer"), "transfer");
        assert_eq!(number_word(3), "three");
        assert_eq!(number_word(12), "12");
    }

    #[test]
    fn titles_read_naturally_mid_sentence() {
        assert_eq!(in_sentence("Cloud Engineer"), "cloud engineer");
        assert_eq!(in_sentence("QA Engineer"), "QA engineer");
        assert_eq!(in_sentence("DevOps Engineer"), "DevOps engineer");
        assert_eq!(in_sentence("Full-Stack Developer"), "full-stack developer");
        assert_eq!(
            in_sentence("IT Support Technician"),
            "IT support technician"
        );
    }

    #[test]
    fn articles_follow_sound_not_spelling() {
        let cases = [
            ("accountant", "an"),
            ("engineer", "an"),
            ("IT support technician", "an"),
            ("SRE", "an"),
            ("HR advisor", "an"),
            ("UX designer", "a"),
            ("UI designer", "a"),
            ("QA engineer", "a"),
            ("university lecturer", "a"),
            ("user researcher", "a"),
            ("hour", "an"),
            ("honest answer", "an"),
            ("one-off", "a"),
            ("cloud engineer", "a"),
            ("ML engineer", "an"),
            ("data scientist", "a"),
        ];
        for (phrase, expected) in cases {
            assert_eq!(article(phrase), expected, "{phrase}");
        }
        assert_eq!(
            with_article("embedded software engineer"),
            "an embedded software engineer"
        );
    }

    #[test]
    fn joins_lists_the_uk_way() {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(join_list(&v(&[])), "");
        assert_eq!(join_list(&v(&["SQL"])), "SQL");
        assert_eq!(join_list(&v(&["SQL", "Python"])), "SQL and Python");
        assert_eq!(
            join_list(&v(&["SQL", "Python", "Git"])),
            "SQL, Python and Git"
        );
        assert_eq!(sentence_case("an engineer"), "An engineer");
    }
}
