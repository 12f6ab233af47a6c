//! Builds the application that `main` runs and the tests start on port 0.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::{App, HttpServer, web as aweb};
use anyhow::Context;

use crate::config::Settings;
use crate::db::{self, DbPool};
use crate::web::{self, AppState, content::ContentStore};

pub struct Application {
    address: SocketAddr,
    server: Server,
    state: aweb::Data<AppState>,
}

/// Creates the data folder and database, applies migrations and loads the bundled
/// catalogue on first start.
pub fn prepare_database(settings: &Settings) -> anyhow::Result<DbPool> {
    std::fs::create_dir_all(&settings.data_dir)
        .with_context(|| format!("creating data folder {}", settings.data_dir.display()))?;
    if let Some(parent) = std::path::Path::new(&settings.database_url).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    let pool = db::pool(&settings.database_url).context("opening the database")?;
    let mut conn = pool.get().context("connecting to the database")?;
    db::migrate(&mut conn)?;
    let bundled = crate::catalogue::bundled().context("reading the bundled catalogue")?;
    if db::catalogue::seed_if_new(&mut conn, &bundled)? {
        tracing::info!(
            roles = bundled.roles.len(),
            skills = bundled.skills.len(),
            "loaded the bundled catalogue"
        );
    }
    Ok(pool)
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let pool = {
            let settings = settings.clone();
            crate::telemetry::spawn_blocking_with_span(move || prepare_database(&settings))
                .await??
        };
        let catalogue = db::run(&pool, db::catalogue::load).await?;
        let listener = TcpListener::bind(&settings.bind)
            .with_context(|| format!("binding {}", settings.bind))?;
        let address = listener.local_addr()?;
        let settings = Arc::new(settings);
        let state = aweb::Data::new(AppState {
            pool,
            content: Arc::new(ContentStore::new(catalogue, settings.base_url.clone())),
            settings: Arc::clone(&settings),
        });
        let app_state = state.clone();
        let mut server = HttpServer::new(move || {
            App::new()
                .app_data(app_state.clone())
                .wrap(web::security::headers(&app_state.settings))
                .configure(web::routes)
        })
        .listen(listener)?;
        if let Some(workers) = settings.workers {
            server = server.workers(workers);
        }
        Ok(Self {
            address,
            server: server.run(),
            state,
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
        self.server.await
    }
}
