use anyhow::Context;
use clap::{Parser, Subcommand};

use careerswitch::config::Settings;
use careerswitch::startup::Application;

/// CareerSwitch: career-change guides and plans for the UK.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (the default).
    Serve,
    /// Create the database if needed and apply pending migrations, then exit.
    Migrate,
    /// Deliver every email that is due from the outbox, then exit (for cron, or with
    /// CAREERSWITCH_MAIL_WORKER=off).
    SendReminders {
        /// Act as if it were this moment (RFC 3339, e.g. 2026-12-02T08:00:00Z): for
        /// catching up after an outage, and for tests.
        #[arg(long)]
        now: Option<chrono::DateTime<chrono::Utc>>,
    },
    /// Give an existing account admin rights (register it on the site first).
    CreateAdmin {
        /// The account's email address.
        #[arg(long)]
        email: String,
    },
    /// Write a consistent copy of the SQLite database to a new file, while the app runs.
    Backup {
        /// Where to write the copy; it must not exist yet.
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Load a catalogue folder (laid out like src/catalogue: sectors.toml, skills.toml,
    /// roles-*.toml and optional questions-*.toml) into a database that has no catalogue
    /// yet, instead of the bundled one: for scratch databases and scale tests.
    LoadCatalogue {
        /// The folder to read.
        #[arg(long)]
        dir: std::path::PathBuf,
    },
    /// Give an account premium (unlimited interview feedback), or take it away.
    SetPremium {
        /// The account's email address.
        #[arg(long)]
        email: String,
        /// `on` or `off`.
        #[arg(long, value_parser = ["on", "off"])]
        premium: String,
    },
}

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    careerswitch::startup::keep_memory_returnable();
    careerswitch::telemetry::init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // One line, the whole chain of causes: "opening the database: …: refused".
            eprintln!("careerswitch: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::from_env().context("reading configuration")?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = Application::build(settings).await?;
            tracing::info!("CareerSwitch listening on http://{}", app.address());
            app.stop_on_signals()?;
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            careerswitch::startup::prepare_database(&settings)?;
            let url = careerswitch::db::DatabaseUrl::parse(&settings.database_url)?;
            println!("database ready at {}", url.display());
        }
        Command::SendReminders { now } => {
            let pool = careerswitch::startup::prepare_database(&settings)?;
            let mailer = careerswitch::email::Mailer::from_settings(&settings)?;
            let worker = careerswitch::email::worker::MailWorker::new(pool, mailer)
                .with_reminders(&settings.base_url);
            let now = now.unwrap_or_else(chrono::Utc::now).naive_utc();
            let pass = worker.drain(now).await?;
            println!(
                "{} reminders scheduled; {} emails due: {} sent, {} to retry, {} failed, {} withdrawn",
                pass.scheduled, pass.claimed, pass.sent, pass.retried, pass.failed, pass.withdrawn
            );
        }
        Command::CreateAdmin { email } => {
            let email = careerswitch::domain::account::Email::parse(&email)?;
            let pool = careerswitch::startup::prepare_database(&settings)?;
            let mut conn = pool.get()?;
            let Some(user) = careerswitch::db::users::find_by_email(&mut conn, email.as_str())?
            else {
                anyhow::bail!("no account uses {email}: register it on the site first");
            };
            if user.is_admin {
                println!("{email} is already an admin");
            } else {
                careerswitch::db::users::make_admin(&mut conn, user.id)?;
                println!("{email} is now an admin");
                if !user.is_verified() {
                    println!(
                        "note: {email} has not confirmed its address yet; you have vouched for it"
                    );
                }
            }
        }
        Command::Backup { to } => {
            if to.exists() {
                anyhow::bail!("{} already exists: choose a new file", to.display());
            }
            let pool = careerswitch::db::pool(&settings.database_url)?;
            let mut conn = pool.get()?;
            careerswitch::db::maintenance::backup(&mut conn, &to)
                .with_context(|| format!("writing the backup to {}", to.display()))?;
            let bytes = std::fs::metadata(&to).map(|m| m.len()).unwrap_or(0);
            println!(
                "wrote a consistent copy of the database to {} ({bytes} bytes)",
                to.display()
            );
        }
        Command::LoadCatalogue { dir } => {
            let (catalogue, questions) = careerswitch::catalogue::from_dir(&dir)
                .with_context(|| format!("reading the catalogue in {}", dir.display()))?;
            let pool = careerswitch::startup::open_database(&settings)?;
            let mut conn = pool.get()?;
            if !careerswitch::db::catalogue::seed_fresh(&mut conn, &catalogue, &questions)? {
                anyhow::bail!(
                    "the database already has a catalogue: load a folder into a new database"
                );
            }
            println!(
                "loaded {} roles, {} skills and {} question sets from {}",
                catalogue.roles.len(),
                catalogue.skills.len(),
                questions.len(),
                dir.display()
            );
        }
        Command::SetPremium { email, premium } => {
            let email = careerswitch::domain::account::Email::parse(&email)?;
            let pool = careerswitch::startup::prepare_database(&settings)?;
            let mut conn = pool.get()?;
            let Some(user) = careerswitch::db::users::find_by_email(&mut conn, email.as_str())?
            else {
                anyhow::bail!("no account uses {email}");
            };
            let on = premium == "on";
            careerswitch::db::practice::set_premium(
                &mut conn,
                user.id,
                on,
                chrono::Utc::now().naive_utc(),
            )?;
            println!(
                "{email} {}",
                if on {
                    "now has premium"
                } else {
                    "no longer has premium"
                }
            );
        }
    }
    Ok(())
}
