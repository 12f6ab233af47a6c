//! `/admin/...`: where admins edit the catalogue every guide is made from, the interview
//! questions and accounts, with a revision and an audit entry for everything they do.
//! Strangers are sent to sign in; signed-in accounts without admin rights get a 403.

mod history;
mod notes;
mod outbox;
pub mod questions;
mod roles;
mod skills;
mod users;

use std::collections::HashMap;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, web};
use askama::Template;
use chrono::{NaiveDateTime, Utc};

use super::AppState;
use super::layout::{Layout, render};
use super::visitor::Admin;
pub use super::visitor::Fields;
use crate::db::admin::AuditEntry;
use crate::error::AppError;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(home);
    outbox::routes(cfg);
    roles::routes(cfg);
    skills::routes(cfg);
    questions::routes(cfg);
    notes::routes(cfg);
    history::routes(cfg);
    users::routes(cfg);
}

/// Problems with a form: by field, plus those that belong to the whole form.
#[derive(Debug, Default)]
pub struct FormErrors {
    pub fields: HashMap<String, String>,
    pub general: Vec<String>,
}

impl FormErrors {
    pub fn field(&mut self, name: impl Into<String>, message: impl Into<String>) {
        self.fields
            .entry(name.into())
            .or_insert_with(|| message.into());
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.general.is_empty()
    }

    /// Everything, field problems first, for the summary at the top of the form.
    pub fn summary(&self) -> Vec<String> {
        let mut all: Vec<String> = self.fields.values().cloned().collect();
        all.sort();
        all.extend(self.general.iter().cloned());
        all
    }
}

pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.to_owned()))
        .finish()
}

pub fn layout(req: &HttpRequest, admin: &Admin) -> Layout {
    let layout = Layout::for_visitor(req, &admin.visitor());
    match req.query_string() {
        q if q.contains("published=") => {
            layout.with_notice("Published. The change is live on every page it affects.")
        }
        q if q.contains("done=") => layout.with_notice("Done."),
        _ => layout,
    }
}

/// Stores an edit with its history (`store` calls `db::admin::publish`), then refreshes
/// exactly the cached pages it changes.
pub async fn publish<F>(
    state: &AppState,
    admin: &Admin,
    store: F,
) -> Result<crate::db::admin::Published, AppError>
where
    F: FnOnce(
            &mut crate::db::DbConnection,
            &crate::db::admin::Actor,
            NaiveDateTime,
        ) -> Result<crate::db::admin::Published, crate::db::DbError>
        + Send
        + 'static,
{
    let actor = admin.actor();
    let published = crate::db::run(&state.pool, move |conn| store(conn, &actor, now())).await?;
    state.reload_catalogue().await?;
    Ok(published)
}

#[derive(Template)]
#[template(path = "admin/home.html")]
struct HomePage {
    layout: Layout,
    roles: usize,
    retired: usize,
    skills: usize,
    notes: usize,
    recent: Vec<AuditEntry>,
}

#[get("/admin")]
async fn home(
    req: HttpRequest,
    admin: Admin,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let catalogue = state.content.catalogue();
    let recent = crate::db::run(&state.pool, |conn| crate::db::admin::audit_log(conn, 10)).await?;
    render(
        StatusCode::OK,
        &HomePage {
            layout: layout(&req, &admin),
            roles: catalogue.roles.len(),
            retired: catalogue.retired.len(),
            skills: catalogue.skills.len(),
            notes: catalogue.pair_notes.len(),
            recent,
        },
    )
}

/// JSON of a stored version, for a revision.
pub fn to_json<T: serde::Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(|e| AppError::Internal(e.into()))
}

/// "12 March 2026, 14:05" in UTC, for logs and revisions.
pub fn when(at: &NaiveDateTime) -> String {
    at.format("%-d %B %Y, %H:%M UTC").to_string()
}
