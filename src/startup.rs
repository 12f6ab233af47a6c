//! Builds the application that `main` runs and the tests start on port 0.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use actix_session::SessionMiddleware;
use actix_session::config::{PersistentSession, TtlExtensionPolicy};
use actix_web::cookie::{SameSite, time::Duration as CookieDuration};
use actix_web::dev::Server;
use actix_web::{App, HttpServer, web as aweb};
use anyhow::Context;

use crate::auth::rate_limit::{RateLimits, parse_limits};
use crate::auth::session_store::DbSessionStore;
use crate::email::Mailer;

use crate::config::Settings;
use crate::db::{self, DbPool};
use crate::web::{self, AppState, content::ContentStore};

/// A session ends after this many days without a visit…
const IDLE_SESSION_DAYS: i64 = 30;
/// …and after this many days whatever happens.
const ABSOLUTE_SESSION_DAYS: i64 = 90;

pub struct Application {
    address: SocketAddr,
    server: Server,
    state: aweb::Data<AppState>,
    /// Tells the mail worker to stop once the server has.
    stop_workers: tokio::sync::watch::Sender<bool>,
}

/// How often the in-process mail worker looks for due mail when nothing wakes it.
const MAIL_WORKER_EVERY: std::time::Duration = std::time::Duration::from_secs(15);

/// Creates the data folder and database, applies migrations and loads the bundled
/// catalogue on first start.
pub fn prepare_database(settings: &Settings) -> anyhow::Result<DbPool> {
    std::fs::create_dir_all(&settings.data_dir)
        .with_context(|| format!("creating data folder {}", settings.data_dir.display()))?;
    let url = db::DatabaseUrl::parse(&settings.database_url)?;
    if let Some(parent) = url
        .sqlite_path()
        .and_then(|path| std::path::Path::new(path).parent())
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    let pool = db::pool(&settings.database_url)?;
    let mut conn = pool.get().context("connecting to the database")?;
    db::migrate(&mut conn)?;
    let promoted = db::users::promote_admins(&mut conn, &settings.admin_emails)?;
    if promoted > 0 {
        tracing::info!(
            promoted,
            "confirmed addresses in CAREERSWITCH_ADMIN_EMAILS are admins"
        );
    }
    let bundled = crate::catalogue::bundled().context("reading the bundled catalogue")?;
    if db::catalogue::seed_if_new(&mut conn, &bundled)? {
        tracing::info!(
            roles = bundled.roles.len(),
            skills = bundled.skills.len(),
            "loaded the bundled catalogue"
        );
    }
    let questions = crate::catalogue::bundled_questions(&bundled)
        .context("reading the bundled question bank")?;
    if db::practice::seed_if_new(&mut conn, &questions)? {
        tracing::info!(
            roles = questions.len(),
            questions = questions.iter().map(|r| r.questions.len()).sum::<usize>(),
            "loaded the bundled interview questions"
        );
    }
    Ok(pool)
}

/// How often an instance looks for catalogue edits made through another instance.
const CATALOGUE_CHECK_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

impl Application {
    pub async fn build(mut settings: Settings) -> anyhow::Result<Self> {
        let limits = RateLimits::new(&parse_limits(&settings.rate_limits)?);
        let pool = {
            let settings = settings.clone();
            crate::telemetry::spawn_blocking_with_span(move || prepare_database(&settings))
                .await??
        };
        let (catalogue_version, catalogue) = db::run(&pool, |conn| {
            Ok((
                db::admin::catalogue_version(conn)?,
                db::catalogue::load(conn)?,
            ))
        })
        .await?;
        let listener = TcpListener::bind(&settings.bind)
            .with_context(|| format!("binding {}", settings.bind))?;
        let address = listener.local_addr()?;
        if settings.base_url_from_bind {
            settings.base_url = format!("http://{address}");
        }
        let session_key = crate::auth::session_key::load_or_create(
            settings.session_key.as_deref(),
            &settings.data_dir,
        )?;
        let mailer = Mailer::from_settings(&settings)?;
        let metrics = Arc::new(crate::metrics::Metrics::default());
        let mail_worker = crate::email::worker::MailWorker::new(pool.clone(), mailer.clone())
            .with_reminders(&settings.base_url)
            .with_metrics(Arc::clone(&metrics));
        crate::telemetry::spawn_blocking_with_span(crate::auth::password::warm_up).await?;
        let settings = Arc::new(settings);
        let state = aweb::Data::new(AppState {
            content: Arc::new(ContentStore::new(
                catalogue,
                settings.base_url.clone(),
                settings.page_cache_bytes,
            )),
            settings: Arc::clone(&settings),
            mailer,
            limits,
            pool: pool.clone(),
            form_key: crate::auth::csrf::FormKey::derive(session_key.master()),
            background: tokio_util::task::TaskTracker::new(),
            mail_worker: mail_worker.clone(),
            catalogue_version: std::sync::atomic::AtomicI64::new(catalogue_version),
            metrics,
        });
        let (stop_workers, stopped) = tokio::sync::watch::channel(false);
        if settings.mail_worker {
            tokio::spawn(mail_worker.serve(MAIL_WORKER_EVERY, stopped));
        }
        let app_state = state.clone();
        let store = DbSessionStore::new(pool, chrono::Duration::days(ABSOLUTE_SESSION_DAYS));
        let mut server = HttpServer::new(move || {
            let sessions = SessionMiddleware::builder(store.clone(), session_key.clone())
                .cookie_name("careerswitch_session".to_owned())
                .cookie_secure(app_state.settings.is_https())
                .cookie_http_only(true)
                .cookie_same_site(SameSite::Lax)
                .session_lifecycle(
                    PersistentSession::default()
                        .session_ttl(CookieDuration::days(IDLE_SESSION_DAYS))
                        .session_ttl_extension_policy(TtlExtensionPolicy::OnEveryRequest),
                )
                .build();
            // Outermost last: styled pages (with the security headers) for errors that
            // escape everything below, HEAD handling, security headers on every response,
            // body limits, the anonymous form cookie, then sessions.
            App::new()
                .app_data(app_state.clone())
                .wrap(sessions)
                .wrap(actix_web::middleware::from_fn(web::layout::set_form_cookie))
                .wrap(actix_web::middleware::from_fn(
                    web::request_limits::limit_body,
                ))
                .wrap(web::security::headers(&app_state.settings))
                .wrap(actix_web::middleware::from_fn(web::head_as_get))
                .wrap(actix_web::middleware::from_fn(
                    web::request_limits::styled_errors,
                ))
                .wrap(actix_web::middleware::from_fn(
                    crate::telemetry::request_span,
                ))
                .configure(web::routes)
        })
        // A client gets this long for the request head and, through `limit_body`, for the
        // body; a connection that sends nothing is closed.
        .client_request_timeout(settings.client_timeout)
        .client_disconnect_timeout(std::time::Duration::from_secs(2))
        .keep_alive(std::time::Duration::from_secs(15))
        .listen(listener)?;
        let workers = settings.workers.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
        });
        // The cap is spread over the workers, and kept well under the process's file
        // descriptor limit so the database, logs and health checks always have some.
        server = server
            .workers(workers)
            .max_connections((settings.max_connections / workers).max(1));
        // Edits published by another instance on the same database reach this one within
        // a couple of seconds.
        let follower = state.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(CATALOGUE_CHECK_EVERY);
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                every.tick().await;
                if let Err(e) = follower.follow_catalogue_edits().await {
                    tracing::warn!(error = %e, "checking for catalogue edits failed");
                }
            }
        });
        let housekeeping = state.clone();
        tokio::spawn(async move {
            let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
            every_hour.tick().await; // the first tick is immediate; start-up already ran it
            loop {
                every_hour.tick().await;
                let now = chrono::Utc::now().naive_utc();
                housekeeping.limits.forget_idle();
                match db::run(&housekeeping.pool, move |conn| {
                    db::maintenance::run(conn, now)
                })
                .await
                {
                    Ok(report) => tracing::debug!(?report, "hourly housekeeping"),
                    Err(e) => tracing::warn!(error = %e, "hourly housekeeping failed"),
                }
            }
        });
        Ok(Self {
            address,
            server: server.run(),
            state,
            stop_workers,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    pub fn state(&self) -> aweb::Data<AppState> {
        self.state.clone()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        let _ = self.stop_workers.send(true);
        result
    }
}
