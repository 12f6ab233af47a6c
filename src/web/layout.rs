//! What every page's frame needs: the signed-in state and the asset addresses. Built per
//! request and never cached.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;

use crate::error::AppError;

#[derive(Debug, Clone)]
pub struct Layout {
    /// The request path, for "you are here" in the navigation.
    pub path: String,
    pub css_href: &'static str,
    pub signed_in: Option<String>,
}

impl Layout {
    pub fn anonymous(path: &str) -> Self {
        Self {
            path: path.to_owned(),
            css_href: super::assets::stylesheet_href(),
            signed_in: None,
        }
    }

    pub fn for_request(req: &actix_web::HttpRequest) -> Self {
        Self::anonymous(req.path())
    }

    /// `aria-current` for a navigation link.
    pub fn current(&self, prefix: &str) -> &'static str {
        let here = if prefix == "/" {
            self.path == "/"
        } else {
            self.path.starts_with(prefix)
        };
        if here { "page" } else { "false" }
    }
}

pub fn render<T: Template>(status: StatusCode, page: &T) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(page.render()?))
}

pub fn ok<T: Template>(page: &T) -> Result<HttpResponse, AppError> {
    render(StatusCode::OK, page)
}
