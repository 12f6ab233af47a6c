//! HTTP: routes, extractors and one module per area, each holding its handlers and the
//! template structs it renders.

pub mod assets;
pub mod chart;
pub mod content;
pub mod guides;
pub mod layout;
pub mod pages;
pub mod roles;
pub mod security;
pub mod sitemap;

use std::sync::Arc;

use actix_web::{HttpRequest, error, web};

use crate::config::Settings;
use crate::db::DbPool;
use crate::error::AppError;
use content::ContentStore;

pub struct AppState {
    pub pool: DbPool,
    pub settings: Arc<Settings>,
    pub content: Arc<ContentStore>,
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::QueryConfig::default().error_handler(bad_query))
        .app_data(web::PathConfig::default().error_handler(bad_path))
        .service(pages::home)
        .service(pages::privacy)
        .service(pages::terms)
        .service(pages::robots)
        .service(pages::healthz)
        .service(pages::readyz)
        .service(assets::stylesheet)
        .service(assets::favicon)
        .service(roles::index)
        .service(roles::show)
        .service(guides::picker)
        .service(guides::show)
        .service(sitemap::index)
        .service(sitemap::part)
        .default_service(web::to(pages::fallback));
}

fn bad_query(err: error::QueryPayloadError, _req: &HttpRequest) -> error::Error {
    AppError::BadRequest(format!("The address has a query we could not read: {err}.")).into()
}

fn bad_path(_err: error::PathError, _req: &HttpRequest) -> error::Error {
    AppError::NotFound.into()
}

impl AppState {
    /// Re-reads the catalogue from the database and swaps it in; every cached page is
    /// dropped, so the next visitor sees the edit on every affected guide.
    pub async fn reload_catalogue(&self) -> Result<(), AppError> {
        let catalogue = crate::db::run(&self.pool, crate::db::catalogue::load).await?;
        self.content.replace_catalogue(catalogue);
        Ok(())
    }
}
