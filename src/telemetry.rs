//! Logging setup, and a `spawn_blocking` that keeps the caller's tracing span.

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber once; later calls (tests start many apps) are ignored.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
}

pub fn spawn_blocking_with_span<F, R>(f: F) -> tokio::task::JoinHandle<R>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || span.in_scope(f))
}

/// Path prefixes whose next segment is a secret (an emailed link's token, a private
/// feed's key): logs show the prefix only.
const SECRET_PATH_PREFIXES: [&str; 4] = [
    "/reset-password/",
    "/verify-email/",
    "/unsubscribe/",
    "/calendar/",
];

/// A request path fit for a log line: secret segments replaced by `[redacted]`.
pub fn redact_path(path: &str) -> String {
    for prefix in SECRET_PATH_PREFIXES {
        if let Some(rest) = path.strip_prefix(prefix) {
            let tail = rest.find(['/', '.']).map_or("", |i| &rest[i..]);
            return format!("{prefix}[redacted]{tail}");
        }
    }
    path.to_owned()
}

#[cfg(test)]
mod tests {
    use super::redact_path;

    #[test]
    fn secret_segments_never_reach_a_log_line() {
        assert_eq!(
            redact_path("/reset-password/abcDEF123_-x"),
            "/reset-password/[redacted]"
        );
        assert_eq!(
            redact_path("/verify-email/abc/extra"),
            "/verify-email/[redacted]/extra"
        );
        assert_eq!(
            redact_path("/calendar/secret.ics"),
            "/calendar/[redacted].ics"
        );
        assert_eq!(redact_path("/careers/a-to-b"), "/careers/a-to-b");
    }
}
