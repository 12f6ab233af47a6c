//! Logging setup, and a `spawn_blocking` that keeps the caller's tracing span.

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber once; later calls (tests start many apps) are ignored.
/// `CAREERSWITCH_LOG_FORMAT=json` writes one JSON object per line, with the request's
/// span (its id, method and path) on every line.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let json = std::env::var("CAREERSWITCH_LOG_FORMAT").is_ok_and(|v| v == "json");
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = if json {
        builder.json().with_current_span(true).try_init()
    } else {
        builder.try_init()
    };
}

/// A request id as a client or proxy may send it: short, letters, digits and dashes.
fn plausible_request_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Middleware: every request runs inside a span carrying its id (the `X-Request-Id` it
/// came with, if plausible, else a new one), so every line logged while serving it names
/// the request; the id goes back in the response's `X-Request-Id`, and one line records
/// the outcome.
pub async fn request_span(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    use tracing::Instrument;
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| plausible_request_id(v))
        .map_or_else(|| hex::encode(rand::random::<[u8; 8]>()), str::to_owned);
    let span = tracing::info_span!(
        "request",
        id = %id,
        method = %req.method(),
        path = %redact_path(req.path())
    );
    let started = std::time::Instant::now();
    let route = req
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = req.method().as_str().to_owned();
    let metrics = req
        .app_data::<actix_web::web::Data<crate::web::AppState>>()
        .map(|state| std::sync::Arc::clone(&state.metrics));
    let result = next.call(req).instrument(span.clone()).await;
    let mut res = result?;
    let status = res.status().as_u16();
    if let Some(metrics) = metrics {
        metrics.record_request(&method, &route, status, started.elapsed().as_secs_f64());
    }
    span.in_scope(|| {
        tracing::info!(
            status,
            ms = started.elapsed().as_secs_f64() * 1000.0,
            "request finished"
        )
    });
    if let Ok(value) = actix_web::http::header::HeaderValue::from_str(&id) {
        res.headers_mut().insert(
            actix_web::http::header::HeaderName::from_static("x-request-id"),
            value,
        );
    }
    Ok(res)
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
