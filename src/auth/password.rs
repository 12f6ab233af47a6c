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
    /// Every hashing slot stayed busy for `QUEUE_WAIT`: the caller shows a 503 page.
    #[error("too many password checks at once")]
    Busy,
}

/// Each hash takes 19 MiB and a core for ~40 ms. Without a bound, 600 parallel requests
/// meant 600 hashes at once (gigabytes resident); with one, excess requests queue here,
/// holding no memory, and memory stays at (slots × 19 MiB).
static HASHING_SLOTS: LazyLock<tokio::sync::Semaphore> =
    LazyLock::new(|| tokio::sync::Semaphore::new(hashing_slots()));

/// How long a request waits for a hashing slot before it gets the "busy" page.
const QUEUE_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// The most hashes that have run at the same moment in this process (for tests and
/// /metrics).
pub static PEAK_CONCURRENT_HASHES: AtomicU64 = AtomicU64::new(0);
static RUNNING_HASHES: AtomicU64 = AtomicU64::new(0);

/// How many hashes may run at once: half the cores, at least one. A sign-in flood from
/// many addresses (each within its per-IP limit) keeps every slot busy; with one slot per
/// core, on 2 cores, guide pages lost about 40% of their throughput and their p99 rose
/// 2.5-3x (scripts/bench-signin-flood.py). One slot still checks ~25 passwords a second.
pub fn hashing_slots() -> usize {
    (std::thread::available_parallelism().map_or(1, |n| n.get()) / 2).max(1)
}

/// How much lower the hashing threads' CPU priority is than the rest of the process
/// (nice steps). When a page request and a hash both want a core, the page goes first; a
/// hash still gets the cores pages leave idle, and a share of a busy one.
const HASHING_NICE: i32 = 10;

type Job = Box<dyn FnOnce() + Send>;

/// The threads argon2 runs on, one per slot, started with the server (`warm_up`): not
/// the HTTP workers, and not the blocking pool (which the database calls need, and whose
/// threads could not be given back their priority).
static HASHERS: LazyLock<std::sync::mpsc::Sender<Job>> = LazyLock::new(|| {
    let (jobs, queue) = std::sync::mpsc::channel::<Job>();
    let queue = std::sync::Arc::new(std::sync::Mutex::new(queue));
    for n in 0..hashing_slots() {
        let queue = queue.clone();
        std::thread::Builder::new()
            .name(format!("argon2-{n}"))
            .spawn(move || {
                lower_priority(HASHING_NICE);
                loop {
                    // The lock is let go before the job runs, so another idle thread takes
                    // the next job while this one hashes.
                    let next = match queue.lock() {
                        Ok(queue) => queue.recv(),
                        Err(_) => return,
                    };
                    let Ok(job) = next else { return };
                    job();
                }
            })
            .expect("the password hashing threads start");
    }
    jobs
});

/// Sets the calling thread's nice value to `nice` (Linux sets nice per thread). The server
/// runs at nice 0, so this is that many steps less urgent than page serving.
fn lower_priority(nice: i32) {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: gettid and setpriority take no pointers; with PRIO_PROCESS and a thread
        // id, setpriority sets that one thread's nice value.
        let failed = unsafe {
            let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
            libc::setpriority(libc::PRIO_PROCESS, tid, nice.min(19)) != 0
        };
        if failed {
            tracing::warn!("password hashing runs at normal CPU priority: setpriority failed");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = nice;
}

/// Runs one argon2 computation on a hashing thread once a slot is free.
async fn in_slot<R: Send + 'static>(
    work: impl FnOnce() -> R + Send + 'static,
) -> Result<R, PasswordHashError> {
    let permit = tokio::time::timeout(QUEUE_WAIT, HASHING_SLOTS.acquire())
        .await
        .map_err(|_| PasswordHashError::Busy)?
        .map_err(|e| PasswordHashError::Task(e.to_string()))?;
    let (done, result) = tokio::sync::oneshot::channel();
    let span = tracing::Span::current();
    let job: Job = Box::new(move || {
        // The slot is held until the hash is done, even when the request has gone.
        let _permit = permit;
        let running = RUNNING_HASHES.fetch_add(1, Ordering::SeqCst) + 1;
        PEAK_CONCURRENT_HASHES.fetch_max(running, Ordering::SeqCst);
        let output = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| span.in_scope(work)));
        RUNNING_HASHES.fetch_sub(1, Ordering::SeqCst);
        // A panic drops `done`: that request fails, the thread carries on.
        if let Ok(output) = output {
            let _ = done.send(output);
        }
    });
    HASHERS
        .send(job)
        .map_err(|_| PasswordHashError::Task("the hashing threads have stopped".into()))?;
    result
        .await
        .map_err(|_| PasswordHashError::Task("the hash did not finish".into()))
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
    in_slot(move || hash_blocking(&owned)).await?
}

/// Checks `candidate` against `stored_hash`, or against a decoy when there is no account,
/// so both answers take the same time. `candidate` is capped in length by the caller.
pub async fn verify(
    stored_hash: Option<String>,
    candidate: &str,
) -> Result<bool, PasswordHashError> {
    let candidate = candidate.to_owned();
    in_slot(move || match stored_hash {
        Some(hash) => verify_blocking(&hash, &candidate),
        None => {
            DECOY_VERIFICATIONS.fetch_add(1, Ordering::Relaxed);
            let _ = verify_blocking(&DECOY_HASH, &candidate);
            false
        }
    })
    .await
}

/// Starts the hashing threads and builds the decoy hash ahead of the first sign-in, so
/// that request is not slower.
pub fn warm_up() {
    LazyLock::force(&HASHERS);
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
