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
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    careerswitch::telemetry::init();
    let cli = Cli::parse();
    let settings = Settings::from_env().context("reading configuration")?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = Application::build(settings).await?;
            tracing::info!("CareerSwitch listening on http://{}", app.address());
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            careerswitch::startup::prepare_database(&settings)?;
            println!("database ready at {}", settings.database_url);
        }
    }
    Ok(())
}
