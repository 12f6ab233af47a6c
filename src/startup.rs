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
    /// Tells the mail worker to stop: when a stop signal arrives, or once the server has
    /// stopped.
    stop_workers: Arc<tokio::sync::watch::Sender<bool>>,
    /// The in-process mail worker, awaited at shutdown so it can hand back its batch.
    mail_worker: Option<tokio::task::JoinHandle<()>>,
}

/// How long shutdown waits for the mail worker's sends in flight and other background
/// work, after the last request has been answered.
const WORKER_STOP_WAIT: std::time::Duration = std::time::Duration::from_secs(20);

/// How often the in-process mail worker looks for due mail when nothing wakes it.
const MAIL_WORKER_EVERY: std::time::Duration = std::time::Duration::from_secs(15);

/// Creates the data folder and database and applies migrations; loads no catalogue.
pub fn open_database(settings: &Settings) -> anyhow::Result<DbPool> {
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
    let pool = db::pool_with_busy_timeout(&settings.database_url, settings.busy_timeout)?;
    let mut conn = pool.get().context("connecting to the database")?;
    db::migrate(&mut conn)?;
    drop(conn);
    Ok(pool)
}

/// Keeps big short-lived allocations (argon2's 19 MiB per hash) from staying resident.
///
/// glibc serves allocations above a threshold with their own mapping and unmaps them on
/// free, but the first such free raises the threshold to that size, so every later hash
/// is carved from the heap, and the heap is rarely given back: one sign-in used to leave
/// the process ~40 MiB bigger for good. Fixing the threshold turns that adjustment off.
pub fn keep_memory_returnable() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // 128 KiB: glibc's own starting threshold.
        const THRESHOLD: libc::c_int = 128 * 1024;
        // SAFETY: mallopt is thread-safe, takes no pointers and only changes tuning.
        let accepted = unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, THRESHOLD) };
        if accepted != 1 {
            eprintln!("careerswitch: could not fix the allocator's mapping threshold");
        }
    }
}

/// Creates the data folder and database, applies migrations and loads the bundled
/// catalogue on first start.
pub fn prepare_database(settings: &Settings) -> anyhow::Result<DbPool> {
    let pool = open_database(settings)?;
    let mut conn = pool.get().context("connecting to the database")?;
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
        let stop_workers = Arc::new(stop_workers);
        let mail_worker = settings
            .mail_worker
            .then(|| tokio::spawn(mail_worker.serve(MAIL_WORKER_EVERY, stopped)));
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
        // On SIGTERM, requests in flight get this long to finish. Signals are handled by
        // `stop_on_signals`, which also stops the mail worker at once.
        .shutdown_timeout(30)
        .disable_signals()
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
        // Addresses back to a full allowance are forgotten every minute.
        let limits = state.clone();
        tokio::spawn(async move {
            let mut every_minute = tokio::time::interval(std::time::Duration::from_secs(60));
            loop {
                every_minute.tick().await;
                limits.limits.forget_idle();
            }
        });
        let housekeeping = state.clone();
        tokio::spawn(async move {
            let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
            every_hour.tick().await; // the first tick is immediate; start-up already ran it
            loop {
                every_hour.tick().await;
                let now = chrono::Utc::now().naive_utc();
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
            mail_worker,
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

    /// What `serve` does on a stop signal. SIGTERM stops gracefully: no new connections,
    /// the requests in flight are answered, and meanwhile the mail worker finishes its
    /// sends in flight and hands back the rest of its batch. SIGINT (Ctrl-C) stops at
    /// once. Not called by tests, whose servers share one process.
    pub fn stop_on_signals(&self) -> std::io::Result<()> {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate())?;
        let mut interrupt = signal(SignalKind::interrupt())?;
        let server = self.server.handle();
        let stop_workers = Arc::clone(&self.stop_workers);
        tokio::spawn(async move {
            let graceful = tokio::select! {
                _ = terminate.recv() => true,
                _ = interrupt.recv() => false,
            };
            tracing::info!(graceful, "stop signal received");
            let _ = stop_workers.send(true);
            server.stop(graceful).await;
        });
        Ok(())
    }

    /// Serves until the server is stopped, then waits (boundedly) for the mail worker and
    /// other background work to finish.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        tracing::info!("server stopped; stopping background work");
        let _ = self.stop_workers.send(true);
        self.state.background.close();
        let background = self.state.background.clone();
        let finished = tokio::time::timeout(WORKER_STOP_WAIT, async move {
            if let Some(worker) = self.mail_worker {
                let _ = worker.await;
            }
            background.wait().await;
        })
        .await;
        if finished.is_err() {
            tracing::warn!("background work still running at shutdown; leases will run out");
        } else {
            tracing::info!("background work finished");
        }
        result
    }
}
