//! Headers every response carries, error pages included.

use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::DefaultHeaders;

use crate::config::Settings;

pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; \
frame-ancestors 'none'; object-src 'none'; base-uri 'none'";

/// Every header every response carries, for these settings.
pub fn header_pairs(settings: &Settings) -> Vec<(HeaderName, HeaderValue)> {
    let mut pairs = vec![
        ("content-security-policy", CONTENT_SECURITY_POLICY),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "strict-origin-when-cross-origin"),
        ("x-frame-options", "DENY"),
        (
            "permissions-policy",
            "camera=(), microphone=(), geolocation=(), interest-cohort=()",
        ),
        ("cross-origin-opener-policy", "same-origin"),
    ];
    if settings.is_https() {
        pairs.push((
            "strict-transport-security",
            "max-age=63072000; includeSubDomains",
        ));
    }
    pairs
        .into_iter()
        .map(|(name, value)| {
            (
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            )
        })
        .collect()
}

pub fn headers(settings: &Settings) -> DefaultHeaders {
    header_pairs(settings)
        .into_iter()
        .fold(DefaultHeaders::new(), |headers, pair| headers.add(pair))
}
