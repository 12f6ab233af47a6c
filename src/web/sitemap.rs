//! `/sitemap.xml`: every public page, split into an index past 50,000 addresses.

use actix_web::{HttpResponse, get, web};

use super::AppState;
use crate::domain::catalogue::Catalogue;
use crate::domain::guide::guide_path;
use crate::domain::sitemap::{MAX_URLS_PER_FILE, Sitemap, part as sitemap_part, plan};
use crate::error::AppError;

pub fn public_urls(catalogue: &Catalogue, base_url: &str) -> Vec<String> {
    let mut urls = vec![
        format!("{base_url}/"),
        format!("{base_url}/roles"),
        format!("{base_url}/privacy"),
        format!("{base_url}/terms"),
    ];
    urls.extend(
        catalogue
            .roles
            .iter()
            .map(|r| format!("{base_url}/roles/{}", r.slug)),
    );
    for from in &catalogue.roles {
        for to in &catalogue.roles {
            if from.slug != to.slug {
                urls.push(format!("{base_url}{}", guide_path(&from.slug, &to.slug)));
            }
        }
    }
    urls
}

fn xml(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/xml; charset=utf-8")
        .body(body)
}

#[get("/sitemap.xml")]
pub async fn index(state: web::Data<AppState>) -> HttpResponse {
    let urls = state
        .content
        .public_urls(|cat| public_urls(cat, &state.settings.base_url));
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
    let urls = state
        .content
        .public_urls(|cat| public_urls(cat, &state.settings.base_url));
    sitemap_part(&urls, n.into_inner(), MAX_URLS_PER_FILE)
        .map(xml)
        .ok_or(AppError::NotFound)
}
