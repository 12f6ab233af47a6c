//! Reading back the `.eml` files the file transport writes, for the admin outbox page.

use std::path::Path;
use std::time::SystemTime;

use base64::Engine;

/// What the admin outbox page lists: newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub file_name: String,
    pub to: String,
    pub subject: String,
    /// The Date header in UTC, as `2025-01-31 14:05:09 UTC` (or as written, if it does
    /// not parse).
    pub date: String,
}

/// The newest `limit` emails in `dir`, newest first. A folder that does not exist yet
/// lists as empty; a file that cannot be read is left out rather than hiding the rest.
pub fn list_outbox(dir: &Path, limit: usize) -> std::io::Result<Vec<OutboxEntry>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut files: Vec<(String, String)> = Vec::new();
    for entry in entries {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".eml") {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        let sent = match stamp_of(&name) {
            Some(stamp) => stamp.to_owned(),
            None => stamp(meta.modified().unwrap_or(SystemTime::UNIX_EPOCH)),
        };
        files.push((sent, name));
    }
    files.sort_by(|a, b| b.cmp(a));
    Ok(files
        .into_iter()
        .take(limit)
        .filter_map(|(_, file_name)| {
            let raw = std::fs::read(dir.join(&file_name)).ok()?;
            Some(entry_from(file_name, &raw))
        })
        .collect())
}

/// Removes every email in `dir` addressed to `address` (when an account is deleted, its
/// mail goes too). Returns how many files went.
pub fn remove_outbox_mail_to(dir: &Path, address: &str) -> std::io::Result<usize> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let wanted = address.to_lowercase();
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".eml") {
            continue;
        }
        let Ok(raw) = std::fs::read(entry.path()) else {
            continue;
        };
        let to = entry_from(name, &raw).to.to_lowercase();
        let addressed = to == wanted || to.trim_start_matches('<').trim_end_matches('>') == wanted;
        if addressed {
            std::fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// The name a sent email is kept under: the time it was written, to the nanosecond,
/// then lettre's random id. File times are too coarse to order emails sent in the same
/// few milliseconds; these names sort in the order they were sent.
pub(super) fn file_name_for(id: &str, written: SystemTime) -> String {
    format!("{}-{id}.eml", stamp(written))
}

/// `20250131T140509.123456789Z`: fixed width, so text order is time order.
fn stamp(time: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(time)
        .format("%Y%m%dT%H%M%S%.9fZ")
        .to_string()
}

pub(super) fn stamp_of(file_name: &str) -> Option<&str> {
    let stamp = file_name.get(..26)?;
    let b = stamp.as_bytes();
    let digits = |range: std::ops::Range<usize>| b[range].iter().all(u8::is_ascii_digit);
    let well_formed = digits(0..8)
        && b[8] == b'T'
        && digits(9..15)
        && b[15] == b'.'
        && digits(16..25)
        && b[25] == b'Z'
        && file_name.as_bytes().get(26) == Some(&b'-');
    well_formed.then_some(stamp)
}

pub(super) fn entry_from(file_name: String, raw: &[u8]) -> OutboxEntry {
    let text = String::from_utf8_lossy(raw);
    let mut to = String::new();
    let mut subject = String::new();
    let mut date = String::new();
    for (name, value) in headers(&text) {
        match name.to_ascii_lowercase().as_str() {
            "to" if to.is_empty() => to = decode_words(&value),
            "subject" if subject.is_empty() => subject = decode_words(&value),
            "date" if date.is_empty() => date = readable_date(&value),
            _ => {}
        }
    }
    OutboxEntry {
        file_name,
        to,
        subject,
        date,
    }
}

/// The header section, unfolded: (name, value) pairs up to the first blank line.
fn headers(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = out.last_mut() {
                value.push_str(line);
            }
        } else if let Some((name, value)) = line.split_once(':') {
            out.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    out
}

/// Decodes RFC 2047 encoded words (`=?utf-8?b?...?=`, also `q`), which lettre uses for
/// anything that is not plain ASCII. Whitespace between two encoded words is dropped, as
/// the RFC says.
fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut pending: Vec<u8> = Vec::new();
    let mut gap = String::new();
    for token in value.split_inclusive([' ', '\t']) {
        let word = token.trim_end_matches([' ', '\t']);
        let spaces = &token[word.len()..];
        match decode_word(word) {
            Some(bytes) => {
                gap.clear();
                pending.extend(bytes);
            }
            None => {
                if !pending.is_empty() {
                    out.push_str(&String::from_utf8_lossy(&pending));
                    pending.clear();
                }
                out.push_str(&gap);
                gap.clear();
                out.push_str(word);
            }
        }
        gap.push_str(spaces);
    }
    out.push_str(&String::from_utf8_lossy(&pending));
    out
}

fn decode_word(word: &str) -> Option<Vec<u8>> {
    let inner = word.strip_prefix("=?")?.strip_suffix("?=")?;
    let mut parts = inner.splitn(3, '?');
    let charset = parts.next()?.to_ascii_lowercase();
    let encoding = parts.next()?.to_ascii_lowercase();
    let data = parts.next()?;
    if !matches!(charset.as_str(), "utf-8" | "us-ascii") {
        return None;
    }
    match encoding.as_str() {
        "b" => base64::engine::general_purpose::STANDARD.decode(data).ok(),
        "q" => {
            let bytes = data.as_bytes();
            let mut out = Vec::with_capacity(bytes.len());
            let mut i = 0;
            while i < bytes.len() {
                match bytes[i] {
                    b'_' => out.push(b' '),
                    b'=' => {
                        let hex = data.get(i + 1..i + 3)?;
                        out.push(u8::from_str_radix(hex, 16).ok()?);
                        i += 2;
                    }
                    b => out.push(b),
                }
                i += 1;
            }
            Some(out)
        }
        _ => None,
    }
}

fn readable_date(value: &str) -> String {
    chrono::DateTime::parse_from_rfc2822(value)
        .map(|d| {
            d.with_timezone(&chrono::Utc)
                .format("%Y-%m-%d %H:%M:%S UTC")
                .to_string()
        })
        .unwrap_or_else(|_| value.to_owned())
}
