//! Interview practice: scoring an answer against a question's talking points, and the
//! rules of the free, trial and premium tiers. Pure code; the database and the pages live
//! in `db::practice` and `web::practice`.

pub mod feedback;
pub mod tier;
pub mod words;

use serde::Deserialize;

use feedback::{QuestionKind, TalkingPoint};

/// The question bank for one role, as shipped in `src/catalogue/questions-*.toml` and as
/// stored in the database.
#[derive(Debug, Clone, Deserialize)]
pub struct RoleQuestions {
    pub role: String,
    #[serde(default)]
    pub terms: Vec<String>,
    pub questions: Vec<BankQuestion>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BankQuestion {
    #[serde(deserialize_with = "kind_from_str")]
    pub kind: QuestionKind,
    pub text: String,
    pub points: Vec<BankPoint>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BankPoint {
    pub point: String,
    pub signals: Vec<String>,
}

impl From<&BankPoint> for TalkingPoint {
    fn from(p: &BankPoint) -> Self {
        TalkingPoint {
            point: p.point.clone(),
            signals: p.signals.clone(),
        }
    }
}

fn kind_from_str<'de, D: serde::Deserializer<'de>>(d: D) -> Result<QuestionKind, D::Error> {
    let raw = String::deserialize(d)?;
    QuestionKind::parse(&raw)
        .ok_or_else(|| serde::de::Error::custom(format!("unknown question kind {raw:?}")))
}

/// Longest answer accepted, in characters: about ten minutes of speech.
pub const MAX_ANSWER_CHARS: usize = 8_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("Type your answer first: the feedback is about what you wrote.")]
    Empty,
    #[error(
        "That answer is {0} characters long. The limit is 8,000, about ten minutes of speaking: trim it to what you would say aloud."
    )]
    TooLong(usize),
}

/// Checks a typed answer. The text itself is kept as typed (line breaks and all).
pub fn check_answer(raw: &str) -> Result<&str, AnswerError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(AnswerError::Empty);
    }
    let chars = trimmed.chars().count();
    if chars > MAX_ANSWER_CHARS {
        return Err(AnswerError::TooLong(chars));
    }
    Ok(trimmed)
}
