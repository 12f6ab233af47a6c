//! Readable differences between two versions of a piece of content. A version is stored as
//! JSON; here it is flattened into one `field: value` line per leaf, so a diff names the
//! field that changed ("salary.mid.min: 42000 → 45000") instead of showing raw JSON.

use serde_json::Value;
use similar::{ChangeTag, TextDiff};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineChange {
    Same(String),
    Removed(String),
    Added(String),
}

/// `field: value` lines for a JSON document; nested keys are joined with dots and list
/// items numbered from 1, as an admin would count them.
pub fn flatten(json: &str) -> Vec<String> {
    let Ok(value) = serde_json::from_str::<Value>(json) else {
        return vec![format!("(unreadable: {json})")];
    };
    let mut lines = Vec::new();
    walk(&value, String::new(), &mut lines);
    lines
}

fn walk(value: &Value, path: String, out: &mut Vec<String>) {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                walk(v, join(key), out);
            }
        }
        Value::Array(items) if items.is_empty() => out.push(format!("{path}: (none)")),
        // A band or range, [min, max]: one line reads better than two numbered ones.
        Value::Array(items) if items.len() == 2 && items.iter().all(Value::is_number) => {
            out.push(format!("{path}: {} – {}", items[0], items[1]))
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(v, join(&(i + 1).to_string()), out);
            }
        }
        Value::Null => out.push(format!("{path}: (none)")),
        Value::String(s) => out.push(format!("{path}: {}", s.replace('\n', " ⏎ "))),
        other => out.push(format!("{path}: {other}")),
    }
}

/// The lines of `before` and `after` (either may be missing: a creation or a removal),
/// unchanged lines included so the changes can be read in place.
pub fn diff(before: Option<&str>, after: Option<&str>) -> Vec<LineChange> {
    let text = |json: Option<&str>| {
        json.map(|j| {
            let mut s = flatten(j).join("\n");
            s.push('\n');
            s
        })
        .unwrap_or_default()
    };
    let (old, new) = (text(before), text(after));
    TextDiff::from_lines(&old, &new)
        .iter_all_changes()
        .map(|c| {
            let line = c.value().trim_end_matches('\n').to_owned();
            match c.tag() {
                ChangeTag::Equal => LineChange::Same(line),
                ChangeTag::Delete => LineChange::Removed(line),
                ChangeTag::Insert => LineChange::Added(line),
            }
        })
        .collect()
}

/// Only the changed lines.
pub fn changes(before: Option<&str>, after: Option<&str>) -> Vec<LineChange> {
    diff(before, after)
        .into_iter()
        .filter(|c| !matches!(c, LineChange::Same(_)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_field_is_named_with_its_old_and_new_value() {
        let before =
            r#"{"title":"Data Analyst","salary":{"mid":{"min":42000}},"skills":["sql","excel"]}"#;
        let after = r#"{"title":"Data Analyst","salary":{"mid":{"min":45000}},"skills":["sql"]}"#;
        assert_eq!(
            changes(Some(before), Some(after)),
            vec![
                LineChange::Removed("salary.mid.min: 42000".into()),
                LineChange::Added("salary.mid.min: 45000".into()),
                LineChange::Removed("skills.2: excel".into()),
            ]
        );
    }

    #[test]
    fn a_creation_is_all_additions() {
        let c = diff(None, Some(r#"{"name":"SQL"}"#));
        assert_eq!(c, vec![LineChange::Added("name: SQL".into())]);
    }
}
