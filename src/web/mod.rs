//! HTTP: routes, extractors and one module per area, each holding its handlers and the
//! template structs it renders.

pub mod account;
pub mod admin;
pub mod assets;
pub mod auth_pages;
pub mod chart;
pub mod content;
pub mod dashboard;
pub mod guides;
pub mod layout;
pub mod pages;
pub mod plans;
pub mod practice;
pub mod reminders;
pub mod request_limits;
pub mod retired;
pub mod roles;
pub mod security;
pub mod sitemap;
pub mod skills;
pub mod visitor;

use std::sync::Arc;

use actix_web::{HttpRequest, error, web};

use crate::auth::accounts::Accounts;
use crate::auth::rate_limit::{Action, RateLimits, client_ip};
use crate::config::Settings;
use crate::db::DbPool;
use crate::email::Mailer;
use crate::error::AppError;
use content::ContentStore;

/// Largest urlencoded form we accept; the longest real form is a few hundred bytes.
pub const FORM_LIMIT_BYTES: usize = 16 * 1024;

pub struct AppState {
    pub pool: DbPool,
    pub settings: Arc<Settings>,
    pub content: Arc<ContentStore>,
    pub mailer: Mailer,
    pub limits: RateLimits,
    /// Signs anonymous visitors' form tokens (see `auth::csrf`).
    pub form_key: crate::auth::csrf::FormKey,
    /// Work that runs after a response has gone (a reset request). Tests wait on it.
    pub background: tokio_util::task::TaskTracker,
    /// Delivers the mail outbox.
    pub mail_worker: crate::email::worker::MailWorker,
    /// The database's catalogue version this instance last loaded (see
    /// `db::admin::catalogue_version`): another instance's edit shows as a newer number.
    pub catalogue_version: std::sync::atomic::AtomicI64,
    /// What `/metrics` reports.
    pub metrics: Arc<crate::metrics::Metrics>,
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::QueryConfig::default().error_handler(bad_query))
        .app_data(web::PathConfig::default().error_handler(bad_path))
        .app_data(
            web::FormConfig::default()
                .limit(FORM_LIMIT_BYTES)
                .error_handler(bad_form),
        )
        .app_data(web::PayloadConfig::default().limit(FORM_LIMIT_BYTES))
        .service(pages::home)
        .service(pages::privacy)
        .service(pages::terms)
        .service(pages::robots)
        .service(pages::healthz)
        .service(pages::readyz)
        .service(pages::metrics)
        .service(assets::stylesheet)
        .service(assets::favicon)
        .service(roles::index)
        .service(roles::show)
        .service(guides::picker)
        .service(guides::show)
        .service(sitemap::index)
        .service(sitemap::part)
        .configure(auth_pages::routes)
        .configure(account::routes)
        .configure(reminders::routes)
        .configure(admin::routes)
        .configure(skills::routes)
        .configure(dashboard::routes)
        .configure(plans::routes)
        .configure(practice::routes)
        .default_service(web::to(pages::fallback));
}

fn bad_query(err: error::QueryPayloadError, _req: &HttpRequest) -> error::Error {
    AppError::BadRequest(format!("The address has a query we could not read: {err}.")).into()
}

fn bad_form(err: error::UrlencodedError, _req: &HttpRequest) -> error::Error {
    match err {
        error::UrlencodedError::Overflow { .. } => AppError::PayloadTooLarge.into(),
        error::UrlencodedError::Payload(p) if request_limits::is_timeout(&p) => {
            AppError::RequestTimeout.into()
        }
        other => AppError::BadRequest(format!("The form could not be read: {other}.")).into(),
    }
}

fn bad_path(_err: error::PathError, _req: &HttpRequest) -> error::Error {
    AppError::NotFound.into()
}

impl AppState {
    /// Re-reads the catalogue from the database and swaps it in. Exactly the cached pages
    /// it changes are dropped, so the next visitor sees the edit on every affected guide
    /// and role page while the rest stay cached. Returns how many pages were dropped.
    pub async fn reload_catalogue(&self) -> Result<usize, AppError> {
        // The version is read first: an edit landing in between only causes one more reload.
        let (version, catalogue) = crate::db::run(&self.pool, |conn| {
            Ok((
                crate::db::admin::catalogue_version(conn)?,
                crate::db::catalogue::load(conn)?,
            ))
        })
        .await?;
        self.catalogue_version
            .store(version, std::sync::atomic::Ordering::SeqCst);
        let content = Arc::clone(&self.content);
        let dropped = crate::telemetry::spawn_blocking_with_span(move || {
            let catalogue = Arc::new(catalogue);
            let mut memo = crate::domain::guide::LinkMemo::new(&catalogue);
            content.publish(Arc::clone(&catalogue), |key| {
                page_inputs(&mut memo, &catalogue, key)
            })
        })
        .await
        .map_err(anyhow::Error::from)?;
        tracing::info!(dropped, "catalogue published");
        Ok(dropped)
    }
}

impl AppState {
    /// Reloads the catalogue if another instance on the same database has published an
    /// edit since this one last loaded it. One cheap query when nothing changed.
    pub async fn follow_catalogue_edits(&self) -> Result<bool, AppError> {
        let stored = crate::db::run(&self.pool, crate::db::admin::catalogue_version).await?;
        if stored
            == self
                .catalogue_version
                .load(std::sync::atomic::Ordering::SeqCst)
        {
            return Ok(false);
        }
        self.reload_catalogue().await?;
        Ok(true)
    }
}

/// The digest of what the cached page at `key` would be made of under `catalogue`, or
/// `None` if there would be no such page.
fn page_inputs(
    memo: &mut crate::domain::guide::LinkMemo<'_>,
    catalogue: &crate::domain::catalogue::Catalogue,
    key: &str,
) -> Option<u64> {
    if let Some(pair) = key.strip_prefix("/careers/") {
        guides::page_inputs(memo, catalogue, pair)
    } else if let Some(slug) = key.strip_prefix("/roles/") {
        roles::page_inputs(memo, catalogue, slug)
    } else {
        None
    }
}

impl AppState {
    /// Waits until the work started after earlier responses has finished (so every email
    /// those requests asked for is in the outbox). Tests call this; nothing else needs it.
    pub async fn background_settled(&self) {
        self.background.close();
        self.background.wait().await;
        self.background.reopen();
    }

    pub fn accounts(&self) -> Accounts<'_> {
        Accounts {
            pool: &self.pool,
            mailer: &self.mailer,
            base_url: &self.settings.base_url,
            admin_emails: &self.settings.admin_emails,
            background: &self.background,
            worker: &self.mail_worker,
        }
    }

    /// Applies the per-IP limit for `action`, with a readable message when it is used up.
    pub fn rate_limit(&self, req: &HttpRequest, action: Action) -> Result<(), String> {
        let Some(ip) = client_ip(req, self.settings.trusted_proxy) else {
            return Ok(());
        };
        self.limits.check(action, ip).map_err(|wait| {
            let minutes = wait.as_secs().div_ceil(60).max(1);
            format!(
                "There have been too many attempts from your network. Please try again in {}.",
                crate::domain::text::count(minutes as usize, "minute", "minutes")
            )
        })
    }
}

/// Percent-encodes a value for a query string.
pub fn urlencode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// Answers HEAD like GET: routes are declared for GET only, and the HTTP layer already
/// leaves the body out of a response to a HEAD request.
pub async fn head_as_get(
    mut req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    if req.method() == actix_web::http::Method::HEAD {
        req.head_mut().method = actix_web::http::Method::GET;
    }
    next.call(req).await
}
