//! The key that signs and encrypts session cookies: from the environment, or generated
//! once into the data folder so restarts keep people signed in.

use std::io::Write;
use std::path::Path;

use actix_web::cookie::Key;
use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

const FILE_NAME: &str = "session.key";
const KEY_BYTES: usize = 64;

pub fn load_or_create(from_env: Option<&str>, data_dir: &Path) -> anyhow::Result<Key> {
    if let Some(encoded) = from_env {
        return decode(encoded)
            .context("CAREERSWITCH_SESSION_KEY must be base64 of at least 64 bytes");
    }
    let path = data_dir.join(FILE_NAME);
    match std::fs::read_to_string(&path) {
        Ok(encoded) => decode(encoded.trim())
            .with_context(|| format!("{} is not a valid session key", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let bytes: [u8; KEY_BYTES] = rand::random();
            let encoded = STANDARD.encode(bytes);
            write_private(&path, &encoded)
                .with_context(|| format!("writing {}", path.display()))?;
            decode(&encoded)
        }
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

fn decode(encoded: &str) -> anyhow::Result<Key> {
    let bytes = STANDARD.decode(encoded.trim())?;
    anyhow::ensure!(
        bytes.len() >= KEY_BYTES,
        "the key has {} bytes; it needs at least {KEY_BYTES}",
        bytes.len()
    );
    Ok(Key::try_from(bytes.as_slice())?)
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_once_and_reuses() {
        let dir = tempfile::tempdir().unwrap();
        let first = load_or_create(None, dir.path()).unwrap();
        let second = load_or_create(None, dir.path()).unwrap();
        assert_eq!(first.master(), second.master());
        assert!(
            load_or_create(Some("c2hvcnQ="), dir.path()).is_err(),
            "short keys are refused"
        );
        let good = STANDARD.encode([7u8; 64]);
        assert!(load_or_create(Some(&good), dir.path()).is_ok());
    }
}
