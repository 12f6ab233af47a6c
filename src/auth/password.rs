//! argon2id with OWASP's parameters, always off the async threads.

use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::domain::account::Password;

/// 19 MiB, two passes, one lane (OWASP's argon2id recommendation).
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// How many times a sign-in for an unknown address ran the decoy verification. Exposed so
/// tests (and /metrics) can see that path really runs.
pub static DECOY_VERIFICATIONS: AtomicU64 = AtomicU64::new(0);

/// A real hash of a random password, verified against when an address has no account, so
/// that path costs what a real check costs.
static DECOY_HASH: LazyLock<String> = LazyLock::new(|| {
    let random: [u8; 16] = rand::random();
    hash_blocking(&hex::encode(random)).expect("hashing a random password works")
});

#[derive(Debug, thiserror::Error)]
pub enum PasswordHashError {
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("password task did not finish: {0}")]
    Task(String),
}

fn hash_blocking(password: &str) -> Result<String, PasswordHashError> {
    let hash: argon2::password_hash::phc::PasswordHash = hasher()
        .hash_password(password.as_bytes())
        .map_err(|e| PasswordHashError::Hash(e.to_string()))?;
    Ok(hash.to_string())
}

fn verify_blocking(stored_hash: &str, candidate: &str) -> bool {
    hasher()
        .verify_password(candidate.as_bytes(), stored_hash)
        .is_ok()
}

pub async fn hash(password: &Password) -> Result<String, PasswordHashError> {
    let owned = password.expose().to_owned();
    crate::telemetry::spawn_blocking_with_span(move || hash_blocking(&owned))
        .await
        .map_err(|e| PasswordHashError::Task(e.to_string()))?
}

/// Checks `candidate` against `stored_hash`, or against a decoy when there is no account,
/// so both answers take the same time. `candidate` is capped in length by the caller.
pub async fn verify(
    stored_hash: Option<String>,
    candidate: &str,
) -> Result<bool, PasswordHashError> {
    let candidate = candidate.to_owned();
    crate::telemetry::spawn_blocking_with_span(move || match stored_hash {
        Some(hash) => verify_blocking(&hash, &candidate),
        None => {
            DECOY_VERIFICATIONS.fetch_add(1, Ordering::Relaxed);
            let _ = verify_blocking(&DECOY_HASH, &candidate);
            false
        }
    })
    .await
    .map_err(|e| PasswordHashError::Task(e.to_string()))
}

/// Builds the decoy hash ahead of the first sign-in so that request is not slower.
pub fn warm_up() {
    LazyLock::force(&DECOY_HASH);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters() {
        let hash = hash_blocking("violet harbour lantern").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_blocking(&hash, "violet harbour lantern"));
        assert!(!verify_blocking(&hash, "violet harbour lanterns"));
        assert_ne!(
            hash,
            hash_blocking("violet harbour lantern").unwrap(),
            "salted"
        );
    }

    #[tokio::test]
    async fn unknown_accounts_still_run_a_verification() {
        let before = DECOY_VERIFICATIONS.load(Ordering::Relaxed);
        assert!(!verify(None, "anything at all").await.unwrap());
        assert!(DECOY_VERIFICATIONS.load(Ordering::Relaxed) > before);
    }
}
