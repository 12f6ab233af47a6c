//! Limits on what one request may cost before any handler runs: a declared body over the
//! form limit gets the 413 page, and a body that trickles in slower than the deadline
//! allows is cut off with a 408 (one byte a second would otherwise hold a connection, and
//! its file descriptor, for ever).

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::HttpMessage;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use futures_util::Stream;

use super::FORM_LIMIT_BYTES;
use crate::error::AppError;

/// Refuses a body whose declared length is over the limit before anything reads it, so
/// even a request to a route that takes no form gets the readable 413 page; and gives
/// the rest of the body the configured client timeout to arrive.
pub async fn limit_body(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let declared = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > FORM_LIMIT_BYTES as u64) {
        let response = actix_web::ResponseError::error_response(&AppError::PayloadTooLarge);
        return Ok(req.into_response(response));
    }
    let deadline = req
        .app_data::<actix_web::web::Data<super::AppState>>()
        .map_or(Duration::from_secs(10), |s| s.settings.client_timeout);
    let payload = req.take_payload();
    let timed: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> =
        Box::pin(DeadlinePayload {
            inner: payload,
            deadline: Box::pin(tokio::time::sleep(deadline)),
        });
    req.set_payload(Payload::from(timed));
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// A request body that fails with `TimedOut` once its deadline passes.
struct DeadlinePayload {
    inner: Payload,
    deadline: Pin<Box<tokio::time::Sleep>>,
}

/// The error a slow body ends with; `is_timeout` recognises it again.
fn timed_out() -> PayloadError {
    PayloadError::Io(std::io::Error::new(
        std::io::ErrorKind::TimedOut,
        "the request body did not arrive in time",
    ))
}

pub fn is_timeout(err: &PayloadError) -> bool {
    matches!(err, PayloadError::Io(e) if e.kind() == std::io::ErrorKind::TimedOut)
}

impl Stream for DeadlinePayload {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Poll::Ready(item) = Pin::new(&mut self.inner).poll_next(cx) {
            return Poll::Ready(item);
        }
        match self.deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(timed_out()))),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// Every response carries the styled page and the security headers, whatever failed: an
/// error that escapes the handlers and the inner middleware (a session store that cannot
/// be reached, say) would otherwise reach the client as actix's bare text response.
pub async fn styled_errors(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let headers = req
        .app_data::<actix_web::web::Data<super::AppState>>()
        .map(|s| super::security::header_pairs(&s.settings))
        .unwrap_or_default();
    match next.call(req).await {
        Ok(res) => Ok(res.map_into_boxed_body()),
        Err(err) => Err(StyledError {
            inner: err,
            headers,
        }
        .into()),
    }
}

/// An error from below, answered with the styled page for its status.
struct StyledError {
    inner: actix_web::Error,
    headers: Vec<(
        actix_web::http::header::HeaderName,
        actix_web::http::header::HeaderValue,
    )>,
}

impl std::fmt::Debug for StyledError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.inner, f)
    }
}

impl std::fmt::Display for StyledError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.inner, f)
    }
}

impl actix_web::ResponseError for StyledError {
    fn status_code(&self) -> actix_web::http::StatusCode {
        self.inner.as_response_error().status_code()
    }

    fn error_response(&self) -> actix_web::HttpResponse {
        let status = self.status_code();
        let already_styled = self
            .inner
            .as_response_error()
            .error_response()
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
        let mut response = if already_styled {
            self.inner.error_response()
        } else {
            if status.is_server_error() {
                tracing::error!(error = %self.inner, %status, "request failed outside a handler");
            }
            crate::error::ErrorPage::response(status, None)
        };
        for (name, value) in &self.headers {
            response.headers_mut().insert(name.clone(), value.clone());
        }
        response
    }
}
