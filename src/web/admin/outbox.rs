//! `/admin/outbox`: what the app would have emailed when no SMTP server is configured.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, web};
use askama::Template;

use crate::email::{OutboxEntry, list_outbox};
use crate::error::AppError;
use crate::web::AppState;
use crate::web::layout::{Layout, render};
use crate::web::visitor::Admin;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(outbox);
}

#[derive(Template)]
#[template(path = "admin/outbox.html")]
struct OutboxPage {
    layout: Layout,
    folder: Option<String>,
    entries: Vec<OutboxEntry>,
}

/// What the app would have emailed when no SMTP server is configured.
#[get("/admin/outbox")]
async fn outbox(
    req: HttpRequest,
    admin: Admin,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let (folder, entries) = match state.mailer.outbox_dir() {
        Some(dir) => {
            let dir = dir.to_owned();
            let entries = crate::telemetry::spawn_blocking_with_span({
                let dir = dir.clone();
                move || list_outbox(&dir, 200)
            })
            .await
            .map_err(anyhow::Error::from)?
            .map_err(anyhow::Error::from)?;
            (Some(dir.display().to_string()), entries)
        }
        None => (None, Vec::new()),
    };
    render(
        StatusCode::OK,
        &OutboxPage {
            layout: super::layout(&req, &admin),
            folder,
            entries,
        },
    )
}
