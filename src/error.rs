//! One error type for handlers, rendered as a styled page with the right status.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use crate::db::{DbError, Unavailable};

const BUSY_DATABASE: &str = "We could not save that because our database was busy. \
    Nothing was changed: go back and send it again in a moment.";
const FULL_DATABASE: &str = "We could not save that because our storage is full. \
    Nothing was changed, and what you saved before is safe. The problem has been \
    logged: please try again later.";

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("page not found")]
    NotFound,
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("request body too slow")]
    RequestTimeout,
    #[error("too many attempts")]
    TooManyRequests(String),
    /// Carries the path to come back to after signing in.
    #[error("sign-in required")]
    SignInRequired(String),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Account(#[from] crate::auth::accounts::AccountError),
    #[error("template failed: {0}")]
    Template(#[from] askama::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: crate::web::layout::Layout,
    pub status: u16,
    pub heading: &'static str,
    pub message: String,
}

impl ErrorPage {
    pub fn for_status(status: StatusCode, message: Option<String>) -> Self {
        let (heading, default) = match status.as_u16() {
            404 => (
                "Page not found",
                "We could not find that page. It may have moved, or the address may have a typo.",
            ),
            400 => (
                "That request did not make sense",
                "Something in the address or form was not in the form we expected.",
            ),
            403 => (
                "Not allowed",
                "This action is not allowed. If you submitted a form, reload the page and try again.",
            ),
            405 => (
                "Not allowed",
                "That page does not accept this kind of request.",
            ),
            413 => (
                "Too much data",
                "What you sent was larger than we accept. Shorten it and try again.",
            ),
            429 => (
                "Too many attempts",
                "Please wait a few minutes and try again.",
            ),
            408 => (
                "That took too long",
                "Your browser took too long to send the request. Please try again.",
            ),
            503 => (
                "We are busy right now",
                "Too many people are signing in at this moment. Nothing was changed: please try again in a minute.",
            ),
            _ => (
                "Something went wrong on our side",
                "The problem has been logged. Please try again in a moment.",
            ),
        };
        Self {
            layout: crate::web::layout::Layout::anonymous("/"),
            status: status.as_u16(),
            heading,
            message: message.unwrap_or_else(|| default.to_owned()),
        }
    }

    pub fn response(status: StatusCode, message: Option<String>) -> HttpResponse {
        let page = Self::for_status(status, message);
        let body = page.render().unwrap_or_else(|_| {
            format!(
                "<!DOCTYPE html><title>{0}</title><h1>{0}</h1>",
                page.heading
            )
        });
        HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(body)
    }
}

impl AppError {
    /// The database was busy or full: nothing was written, and trying later may work.
    fn database_unavailable(&self) -> Option<Unavailable> {
        match self {
            Self::Db(e) | Self::Account(crate::auth::accounts::AccountError::Db(e)) => {
                e.unavailable()
            }
            _ => None,
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            Self::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::SignInRequired(_) => StatusCode::SEE_OTHER,
            Self::Account(crate::auth::accounts::AccountError::Hash(
                crate::auth::password::PasswordHashError::Busy,
            )) => StatusCode::SERVICE_UNAVAILABLE,
            _ if self.database_unavailable().is_some() => StatusCode::SERVICE_UNAVAILABLE,
            Self::Db(_) | Self::Account(_) | Self::Template(_) | Self::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if let Self::SignInRequired(next) = self {
            let location = format!("/sign-in?next={}", crate::web::urlencode(next));
            return HttpResponse::SeeOther()
                .insert_header((actix_web::http::header::LOCATION, location))
                .finish();
        }
        let message = match self {
            Self::BadRequest(m) | Self::Forbidden(m) | Self::TooManyRequests(m) => Some(m.clone()),
            _ if self.database_unavailable() == Some(Unavailable::Busy) => {
                tracing::warn!(error = %self, "database busy: request turned away");
                Some(BUSY_DATABASE.to_owned())
            }
            _ if self.database_unavailable() == Some(Unavailable::Full) => {
                tracing::error!(error = %self, "database full: request turned away");
                Some(FULL_DATABASE.to_owned())
            }
            _ if status == StatusCode::SERVICE_UNAVAILABLE => {
                tracing::warn!(error = %self, "busy: request turned away");
                None
            }
            Self::Db(_) | Self::Account(_) | Self::Template(_) | Self::Internal(_) => {
                tracing::error!(error = %self, "request failed");
                None
            }
            _ => None,
        };
        let mut response = ErrorPage::response(status, message);
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                actix_web::http::header::RETRY_AFTER,
                actix_web::http::header::HeaderValue::from_static("30"),
            );
        }
        if matches!(self, Self::RequestTimeout) {
            // The rest of the body may still be trickling in: end the connection.
            response
                .head_mut()
                .set_connection_type(actix_web::http::ConnectionType::Close);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_errors_render_the_styled_page_without_details() {
        let err = AppError::Internal(anyhow::anyhow!("secret connection string"));
        let resp = err.error_response();
        assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let page = ErrorPage::for_status(StatusCode::INTERNAL_SERVER_ERROR, None)
            .render()
            .unwrap();
        assert!(page.contains("Something went wrong on our side"));
        assert!(
            page.contains("/assets/site.css"),
            "styled like every other page"
        );
        assert!(!page.contains("secret"));
    }
}
