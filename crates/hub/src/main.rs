//! `porchlight-hub`: serve the sync API, and the operator's commands for enrolling and
//! revoking desks.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use porchlight_hub::{serve, Store};

#[derive(Parser)]
#[command(name = "porchlight-hub", version, about = "The hub Porchlight desks sync through.")]
struct Cli {
    /// The hub's SQLite database (created if missing).
    #[arg(long, global = true, env = "PORCHLIGHT_HUB_DB", default_value = "porchlight-hub.sqlite3")]
    db: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the sync API until SIGTERM or Ctrl-C.
    Serve {
        /// Address and port to listen on; port 0 picks a free one (printed on start).
        #[arg(long, default_value = "127.0.0.1:8787")]
        listen: String,
    },
    /// Print a new one-time code a desk uses to connect (valid for 24 hours).
    EnrollmentCode,
    /// Enrolled desks.
    Devices {
        #[command(subcommand)]
        command: DevicesCommand,
    },
}

#[derive(Subcommand)]
enum DevicesCommand {
    /// List enrolled desks: id, name, enrolled, last seen, revoked.
    List,
    /// Refuse a desk from now on (a lost laptop); its changes stay.
    Revoke { id: String },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "porchlight_hub=info,tower_http=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("porchlight-hub: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), String> {
    let store = Store::open(&cli.db).map_err(|err| format!("cannot open {}: {err}", cli.db.display()))?;
    match cli.command {
        Command::Serve { listen } => {
            let runtime = tokio::runtime::Runtime::new().map_err(|err| err.to_string())?;
            runtime.block_on(async {
                let listener = tokio::net::TcpListener::bind(&listen)
                    .await
                    .map_err(|err| format!("cannot listen on {listen}: {err}"))?;
                let address = listener.local_addr().map_err(|err| err.to_string())?;
                // Scripts and tests read this line to find a port chosen with :0.
                println!("porchlight-hub listening on http://{address}");
                tracing::info!(%address, db = %cli.db.display(), "serving");
                serve(listener, Arc::new(store), shutdown_signal()).await.map_err(|err| err.to_string())?;
                tracing::info!("stopped");
                Ok(())
            })
        }
        Command::EnrollmentCode => {
            println!("{}", store.new_enrollment_code().map_err(|err| err.to_string())?);
            Ok(())
        }
        Command::Devices { command: DevicesCommand::List } => {
            let devices = store.devices().map_err(|err| err.to_string())?;
            println!("{:<38} {:<24} {:<26} {:<26} revoked", "id", "name", "enrolled", "last seen");
            for device in devices {
                println!(
                    "{:<38} {:<24} {:<26} {:<26} {}",
                    device.id,
                    device.name,
                    device.enrolled_at,
                    device.last_seen_at.as_deref().unwrap_or("never"),
                    device.revoked_at.as_deref().unwrap_or("-")
                );
            }
            Ok(())
        }
        Command::Devices { command: DevicesCommand::Revoke { id } } => {
            store.revoke(&id).map_err(|err| err.to_string())?;
            println!("revoked {id}");
            Ok(())
        }
    }
}

async fn shutdown_signal() {
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
