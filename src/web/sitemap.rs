//! `/sitemap.xml`: every public page, split into an index past 50,000 addresses.

use actix_web::{HttpResponse, get, web};

use super::AppState;
use crate::domain::sitemap::{MAX_URLS_PER_FILE, PublicUrls, Sitemap, part as sitemap_part, plan};
use crate::error::AppError;

fn xml(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/xml; charset=utf-8")
        .body(body)
}

#[get("/sitemap.xml")]
pub async fn index(state: web::Data<AppState>) -> HttpResponse {
    let catalogue = state.content.catalogue();
    let urls = PublicUrls {
        catalogue: &catalogue,
        base_url: &state.settings.base_url,
    };
    match plan(&urls, &state.settings.base_url, MAX_URLS_PER_FILE) {
        Sitemap::Single(body) => xml(body),
        Sitemap::Index { index, .. } => xml(index),
    }
}

#[get("/sitemaps/{n}.xml")]
pub async fn part(
    state: web::Data<AppState>,
    n: web::Path<usize>,
) -> Result<HttpResponse, AppError> {
    let catalogue = state.content.catalogue();
    let urls = PublicUrls {
        catalogue: &catalogue,
        base_url: &state.settings.base_url,
    };
    sitemap_part(&urls, n.into_inner(), MAX_URLS_PER_FILE)
        .map(xml)
        .ok_or(AppError::NotFound)
}
