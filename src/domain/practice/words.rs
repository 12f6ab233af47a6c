//! Turning an answer into comparable words: a tokeniser, a light English stemmer and a
//! small table of everyday synonyms. Matching stems and synonym groups is what lets an
//! answer in plain words ("I fixed it", "sorted it out") count for a talking point whose
//! signals are written as "resolve" or "fix".

/// One word of the answer: as typed (for quoting back) and its comparable form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub typed: String,
    pub lower: String,
    pub stem: String,
}

/// Splits text into words: runs of letters and digits, keeping inner apostrophes and
/// hyphens ("I'd", "on-call"). Anything else separates words. Never fails.
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let joiner = matches!(c, '\'' | '’' | '-')
            && !current.is_empty()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        if c.is_alphanumeric() || joiner {
            current.push(if c == '’' { '\'' } else { c });
        } else if !current.is_empty() {
            out.push(word(std::mem::take(&mut current)));
        }
    }
    if !current.is_empty() {
        out.push(word(current));
    }
    out
}

fn word(typed: String) -> Word {
    let lower = typed.to_lowercase();
    let stem = stem(&lower);
    Word { typed, lower, stem }
}

/// Words too common to say anything about an answer's content.
pub fn is_stopword(lower: &str) -> bool {
    STOPWORDS.binary_search(&lower).is_ok()
}

const STOPWORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
    "because", "been", "before", "being", "both", "but", "by", "can", "could", "did", "do", "does",
    "doing", "each", "for", "from", "had", "has", "have", "having", "he", "her", "here", "him",
    "his", "how", "i", "i'd", "i'm", "i've", "if", "in", "into", "is", "it", "it's", "its", "me",
    "more", "most", "my", "no", "not", "of", "on", "once", "one", "only", "or", "other", "our",
    "out", "over", "she", "so", "some", "than", "that", "the", "their", "them", "then", "there",
    "these", "they", "this", "those", "through", "to", "too", "up", "us", "very", "was", "we",
    "we'd", "we're", "were", "what", "when", "where", "which", "while", "who", "why", "will",
    "with", "would", "you", "your",
];

/// A light suffix-stripping stemmer for English, in the spirit of Porter's first steps:
/// enough that "deploying", "deployed" and "deploys" meet at "deploy", and "managed",
/// "manager" and "management" meet at "manag". It works on any input, including
/// non-English words, which it returns nearly unchanged.
pub fn stem(lower: &str) -> String {
    let word = lower.trim_matches('\'');
    let word = word.strip_suffix("'s").unwrap_or(word);
    if let Some(irregular) = irregular(word) {
        return irregular.to_string();
    }
    if word.chars().count() <= 3 {
        return word.to_string();
    }
    let mut s = word.to_string();
    for (suffix, replacement) in SUFFIXES {
        if let Some(base) = s.strip_suffix(suffix) {
            // Keep at least three characters of base so "used" or "bring" stay words.
            if base.chars().count() >= 3 {
                s = format!("{base}{replacement}");
                break;
            }
        }
    }
    // "planned" → "plann" → "plan"; "stopping" → "stopp" → "stop".
    let chars: Vec<char> = s.chars().collect();
    if chars.len() >= 4 {
        let (a, b) = (chars[chars.len() - 2], chars[chars.len() - 1]);
        if a == b && !matches!(b, 'l' | 's' | 'z' | 'e' | 'o') && !b.is_ascii_digit() {
            s.pop();
        }
    }
    // "make"/"making", "improve"/"improving": drop a final silent e.
    if s.chars().count() >= 4 && s.ends_with('e') && !s.ends_with("ee") {
        s.pop();
    }
    s
}

/// Longest first, so "ations" wins over "s".
const SUFFIXES: &[(&str, &str)] = &[
    ("isations", "is"),
    ("izations", "is"),
    ("isation", "is"),
    ("ization", "is"),
    ("ational", "at"),
    ("fulness", "ful"),
    ("iveness", "ive"),
    ("ements", ""),
    ("ations", "at"),
    ("ically", "ic"),
    ("ement", ""),
    ("ments", ""),
    ("ation", "at"),
    ("ities", ""),
    ("ising", "is"),
    ("izing", "is"),
    ("ised", "is"),
    ("ized", "is"),
    ("ment", ""),
    ("ness", ""),
    ("ings", ""),
    ("ally", "al"),
    ("ying", "y"),
    ("iers", "y"),
    ("ies", "y"),
    ("ied", "y"),
    ("ier", "y"),
    ("ity", ""),
    ("ing", ""),
    ("ers", ""),
    ("ors", ""),
    ("ly", ""),
    ("ed", ""),
    ("er", ""),
    ("or", ""),
    ("es", ""),
    ("s", ""),
];

fn irregular(word: &str) -> Option<&'static str> {
    Some(match word {
        "led" | "leading" | "leads" | "lead" => "lead",
        "ran" | "running" | "runs" | "run" => "run",
        "wrote" | "written" | "writing" | "writes" | "write" => "writ",
        "built" | "building" | "builds" | "build" => "build",
        "made" | "making" | "makes" | "make" => "mak",
        "spoke" | "spoken" | "speaking" | "speaks" | "speak" => "speak",
        "took" | "taken" | "taking" | "takes" | "take" => "tak",
        "found" | "finding" | "finds" | "find" => "find",
        "told" | "telling" | "tells" | "tell" => "tell",
        "taught" | "teaching" | "teaches" | "teach" => "teach",
        "thought" | "thinking" | "thinks" | "think" => "think",
        "bought" | "buying" | "buys" | "buy" => "buy",
        "brought" | "bringing" | "brings" | "bring" => "bring",
        "chose" | "chosen" | "choosing" | "chooses" | "choose" => "choos",
        "gave" | "given" | "giving" | "gives" | "give" => "giv",
        "went" | "gone" | "going" | "goes" | "go" => "go",
        "met" | "meeting" | "meets" | "meet" => "meet",
        "sold" | "selling" | "sells" | "sell" => "sell",
        "kept" | "keeping" | "keeps" | "keep" => "keep",
        "set" | "setting" | "sets" => "set",
        "data" => "data",
        "news" => "news",
        "process" | "processes" => "process",
        "business" | "businesses" => "business",
        "analysis" | "analyses" => "analys",
        _ => return None,
    })
}

/// Everyday words that mean the same as a signal for feedback purposes. Each group is a
/// list of stems; a stem in a group matches every other stem in it.
const SYNONYMS: &[&[&str]] = &[
    &[
        "fix", "resolv", "solv", "repair", "sort", "correct", "remedy",
    ],
    &["reduc", "cut", "lower", "decreas", "shrink", "trim"],
    &["increas", "rais", "grow", "boost", "improv", "lift"],
    &["customer", "client", "user", "consumer", "shopper"],
    &["colleague", "coworker", "teammat", "peer", "staff"],
    &["manag", "lead", "supervis", "oversaw", "overse", "run"],
    &["talk", "speak", "discuss", "convers", "chat"],
    &["measur", "track", "monitor", "record", "quantify"],
    &["check", "verify", "review", "inspect", "audit", "validat"],
    &["problem", "issue", "fault", "bug", "incident", "defect"],
    &["plan", "schedul", "organis", "organiz", "prepar", "arrang"],
    &["explain", "clarify", "describ", "walk"],
    &["learn", "study", "train", "practis", "practic", "course"],
    &["quick", "fast", "rapid", "prompt", "speedy"],
    &["mistak", "error", "slip", "failur"],
    &["agre", "negotiat", "compromis"],
    &["priorit", "triag", "urgent", "first"],
    &["feedback", "comment", "critiqu"],
    &["deadline", "timescal", "due"],
    &["cost", "budget", "spend", "expens"],
    &["saf", "secur", "protect"],
    &["stakeholder", "sponsor", "owner"],
    &["document", "writ", "note", "wiki"],
    &["automat", "script"],
    &["test", "trial", "pilot"],
    &["calm", "composur", "patien"],
];

/// Whether two stems count as the same word for matching.
pub fn same_meaning(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    SYNONYMS
        .iter()
        .any(|group| group.contains(&a) && group.contains(&b))
}

/// The stems of a signal phrase, without its stopwords (so "root cause of the problem"
/// becomes ["root", "caus", "problem"]). A phrase made only of stopwords keeps them.
pub fn phrase_stems(phrase: &str) -> Vec<String> {
    let all = words(phrase);
    let content: Vec<String> = all
        .iter()
        .filter(|w| !is_stopword(&w.lower))
        .map(|w| w.stem.clone())
        .collect();
    if content.is_empty() {
        all.into_iter().map(|w| w.stem).collect()
    } else {
        content
    }
}

/// Finds a phrase in the answer's content words: the phrase's stems in order, each
/// matching by stem or synonym, with at most one other content word between them ("fixed
/// the broken deploy" still finds "fix deploy"). Returns the index range it covers.
pub fn find_phrase(content: &[&Word], phrase: &[String]) -> Option<(usize, usize)> {
    let first = phrase.first()?;
    for start in 0..content.len() {
        if !same_meaning(&content[start].stem, first) {
            continue;
        }
        let mut at = start;
        let mut ok = true;
        for next in &phrase[1..] {
            let found =
                (at + 1..content.len().min(at + 3)).find(|&j| same_meaning(&content[j].stem, next));
            match found {
                Some(j) => at = j,
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if ok {
            return Some((start, at));
        }
    }
    None
}

/// Whether a word is a number: digits (with £, %, commas or a decimal point) or a
/// number word.
pub fn is_number(lower: &str) -> bool {
    let digits = lower.chars().filter(|c| c.is_ascii_digit()).count();
    if digits > 0 {
        return true;
    }
    matches!(
        lower,
        "two"
            | "three"
            | "four"
            | "five"
            | "six"
            | "seven"
            | "eight"
            | "nine"
            | "ten"
            | "eleven"
            | "twelve"
            | "fifteen"
            | "twenty"
            | "thirty"
            | "forty"
            | "fifty"
            | "hundred"
            | "hundreds"
            | "thousand"
            | "thousands"
            | "million"
            | "half"
            | "double"
            | "doubled"
            | "tripled"
            | "percent"
            | "dozen"
            | "quarter"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopwords_are_sorted_for_binary_search() {
        assert!(STOPWORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn stems_meet_across_tenses_and_forms() {
        for (a, b) in [
            ("deploying", "deployed"),
            ("deploys", "deploy"),
            ("managed", "management"),
            ("planned", "plan"),
            ("stopping", "stop"),
            ("improving", "improved"),
            ("led", "leading"),
            ("wrote", "writing"),
            ("organised", "organising"),
            ("priorities", "priority"),
            ("customers", "customer's"),
        ] {
            assert_eq!(stem(a), stem(b), "{a} vs {b}");
        }
        assert_ne!(stem("test"), stem("team"));
        assert_eq!(stem("bus"), "bus");
    }

    #[test]
    fn tokeniser_keeps_contractions_and_hyphens_and_splits_the_rest() {
        let got: Vec<String> = words("I'd fixed the on-call rota — 30% faster; £2,000 saved.")
            .into_iter()
            .map(|w| w.lower)
            .collect();
        assert_eq!(
            got,
            [
                "i'd", "fixed", "the", "on-call", "rota", "30", "faster", "2", "000", "saved"
            ]
        );
        assert!(words("").is_empty());
        assert!(words("—-' ").is_empty());
        assert_eq!(words("it’s")[0].lower, "it's");
    }

    #[test]
    fn synonyms_match_in_either_direction_and_not_across_groups() {
        assert!(same_meaning(&stem("resolved"), &stem("fix")));
        assert!(same_meaning(&stem("fix"), &stem("sorted")));
        assert!(!same_meaning(&stem("fix"), &stem("reduce")));
    }

    #[test]
    fn phrases_allow_one_word_between_their_parts() {
        let ws = words("We fixed the broken deploy pipeline quickly");
        let content: Vec<&Word> = ws.iter().filter(|w| !is_stopword(&w.lower)).collect();
        assert!(find_phrase(&content, &phrase_stems("fix deploy")).is_some());
        assert!(find_phrase(&content, &phrase_stems("deploy fix")).is_none());
        assert!(find_phrase(&content, &phrase_stems("broken pipeline")).is_some());
        assert!(find_phrase(&content, &phrase_stems("fix pipeline")).is_none());
        assert!(find_phrase(&content, &phrase_stems("fix quickly")).is_none());
    }
}
