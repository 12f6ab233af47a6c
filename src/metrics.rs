//! What `/metrics` reports, in the Prometheus text format: requests and their latency by
//! route and status, the mail outbox (depth, send outcomes), practice gate hits and failed
//! sign-ins. Routes are the matched patterns (`/careers/{pair}`), never raw paths, so the
//! label set stays as small as the route table whatever visitors ask for.

use std::sync::atomic::AtomicI64;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    pub route: String,
    pub status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutcomeLabels {
    pub outcome: String,
}

pub struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub latency: Family<RouteLabels, Histogram>,
    pub outbox_depth: Gauge<i64, AtomicI64>,
    pub mail_outcomes: Family<OutcomeLabels, Counter>,
    pub practice_gate_hits: Counter,
    pub sign_in_failures: Counter,
}

impl Default for Metrics {
    fn default() -> Self {
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            // 0.25 ms to about 4 s.
            Histogram::new(exponential_buckets(0.000_25, 2.0, 15))
        });
        let outbox_depth = Gauge::<i64, AtomicI64>::default();
        let mail_outcomes = Family::<OutcomeLabels, Counter>::default();
        let practice_gate_hits = Counter::default();
        let sign_in_failures = Counter::default();
        let mut registry = Registry::default();
        registry.register(
            "careerswitch_http_requests",
            "Requests answered, by method, route and status",
            requests.clone(),
        );
        registry.register(
            "careerswitch_http_request_duration_seconds",
            "Time to answer a request, by route",
            latency.clone(),
        );
        registry.register(
            "careerswitch_mail_outbox_depth",
            "Emails waiting in the outbox (due or not)",
            outbox_depth.clone(),
        );
        registry.register(
            "careerswitch_mail_sends",
            "Outbox delivery attempts by outcome: sent, retried, failed, withdrawn",
            mail_outcomes.clone(),
        );
        registry.register(
            "careerswitch_practice_gate_hits",
            "Answers refused because the free daily allowance was used up",
            practice_gate_hits.clone(),
        );
        registry.register(
            "careerswitch_sign_in_failures",
            "Sign-ins refused: wrong address or password, or locked out",
            sign_in_failures.clone(),
        );
        Self {
            registry,
            requests,
            latency,
            outbox_depth,
            mail_outcomes,
            practice_gate_hits,
            sign_in_failures,
        }
    }
}

impl Metrics {
    /// `route` must be a route pattern (or a fixed word), never a raw path.
    pub fn record_request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        // Any token is a valid method: only the ones we serve get their own label.
        let method = match method {
            "GET" | "HEAD" | "POST" => method,
            _ => "other",
        };
        self.requests
            .get_or_create(&RequestLabels {
                method: method.to_owned(),
                route: route.to_owned(),
                status: status.to_string(),
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                route: route.to_owned(),
            })
            .observe(seconds);
    }

    pub fn record_mail(&self, outcome: &str, n: usize) {
        if n > 0 {
            self.mail_outcomes
                .get_or_create(&OutcomeLabels {
                    outcome: outcome.to_owned(),
                })
                .inc_by(n as u64);
        }
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}
