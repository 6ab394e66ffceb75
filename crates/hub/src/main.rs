//! `porchlight-hub`: serve the sync API, and the operator's commands for enrolling and
//! revoking desks.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use porchlight_hub::config::{self, Config};
use porchlight_hub::network_report::NetworkReport;
use porchlight_hub::{serve, store, tls, Database};

/// Where a hub started by hand keeps its database when nothing names one.
const DEFAULT_DB: &str = "porchlight-hub.sqlite3";
const DEFAULT_LISTEN: &str = "127.0.0.1:8787";

#[derive(Parser)]
#[command(name = "porchlight-hub", version, about = "The hub Porchlight desks sync through.")]
struct Cli {
    /// The hub's settings file [default: /etc/porchlight-hub/hub.toml when it exists]. A flag
    /// given on the command line wins over the file.
    #[arg(long, global = true, env = "PORCHLIGHT_HUB_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    /// The hub's SQLite database, created if missing [default: the settings file's `db` or
    /// `database_url`, else porchlight-hub.sqlite3].
    #[arg(long, global = true, env = "PORCHLIGHT_HUB_DB", value_name = "PATH", conflicts_with = "database_url")]
    db: Option<PathBuf>,
    /// The hub's database as a URL: postgres://user:password@host:port/database for a
    /// PostgreSQL server (a network of many centers), or sqlite://PATH.
    #[arg(long, global = true, env = "PORCHLIGHT_HUB_DATABASE_URL", value_name = "URL")]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the sync API until SIGTERM or Ctrl-C.
    Serve {
        /// Address and port to listen on; port 0 picks a free one (printed on start)
        /// [default: the settings file's `listen`, else 127.0.0.1:8787].
        #[arg(long)]
        listen: Option<String>,
        /// Serve HTTPS with this certificate chain (PEM, the hub's certificate first). Desks
        /// refuse plain HTTP to a hub on another computer unless told otherwise.
        #[arg(long, value_name = "FILE")]
        tls_cert: Option<PathBuf>,
        /// The certificate's private key (PEM).
        #[arg(long, value_name = "FILE")]
        tls_key: Option<PathBuf>,
        /// Start an empty hub where this hub's SQLite database went missing or empty (else
        /// refused): every desk must then enroll again. Putting back the last backup is better.
        #[arg(long)]
        start_fresh: bool,
    },
    /// Make a self-signed certificate and key for `serve --tls-cert --tls-key`, for a center
    /// without one; give the certificate file (not the key) to each desk when it connects.
    TlsCertificate {
        /// A name desks use to reach the hub: a host name or an IP address (repeat for more).
        #[arg(long = "host", value_name = "NAME", required = true)]
        hosts: Vec<String>,
        /// Where to write the certificate (must not exist yet).
        #[arg(long, value_name = "FILE")]
        tls_cert: PathBuf,
        /// Where to write the private key (must not exist yet; readable by its owner only).
        #[arg(long, value_name = "FILE")]
        tls_key: PathBuf,
    },
    /// Print a new one-time code a desk uses to connect (valid for 24 hours).
    EnrollmentCode {
        /// The center the desk belongs to; needed once the hub serves more than one.
        #[arg(long, value_name = "NAME")]
        center: Option<String>,
    },
    /// Enrollment codes not used yet: list them, or revoke one given out by mistake.
    EnrollmentCodes {
        #[command(subcommand)]
        command: EnrollmentCodesCommand,
    },
    /// The centers this hub serves; each center's desks see only their own records.
    Centers {
        #[command(subcommand)]
        command: CentersCommand,
    },
    /// Enrolled desks.
    Devices {
        #[command(subcommand)]
        command: DevicesCommand,
    },
    /// The network's figures for a month: each center's that published, the network's totals,
    /// and the centers that have not published (a desk's admin chooses to publish).
    Report {
        /// The month, YYYY-MM.
        #[arg(long)]
        month: String,
        #[arg(long, value_enum, default_value_t = ReportFormat::Csv)]
        format: ReportFormat,
        /// Write to this file instead of standard output (needed for xlsx).
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Move a hub's SQLite file into an empty PostgreSQL database (--database-url), all or
    /// nothing: the same desks, keys and change numbers, so desks carry on without syncing
    /// again. Stop the hub first; point it at the new database after.
    Migrate {
        /// The hub's SQLite file.
        #[arg(long, value_name = "FILE")]
        from_sqlite: PathBuf,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ReportFormat {
    Csv,
    Json,
    Xlsx,
}

#[derive(Subcommand)]
enum CentersCommand {
    /// Add a center: its desks enrol with `enrollment-code --center NAME`.
    Add { name: String },
    /// List centers: name, desks enrolled, whether its desks seal, created.
    List,
    /// Forget the key the hub checks a center's acts against, when the center's desks say the
    /// hub keeps one that is not theirs: the next desk of the center to sync registers its own.
    ForgetVerifier { name: String },
}

#[derive(Subcommand)]
enum EnrollmentCodesCommand {
    /// List codes neither used nor expired: id, center, made, expires. The hub keeps no code,
    /// only its hash; the id is the start of that hash.
    List,
    /// Refuse an unused code from now on, named by the id `list` shows or by the code itself.
    Revoke { id_or_code: String },
}

#[derive(Subcommand)]
enum DevicesCommand {
    /// List enrolled desks: id, name, enrolled, last seen, revoked.
    List,
    /// Refuse a desk from now on (a lost laptop); its changes stay. To also change the center's
    /// key, revoke it from a desk of the center instead (Settings → Sync, or `porchlight sync revoke`).
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
        // Under systemd the journal keeps stderr: plain text there, colours only in a terminal.
        .with_ansi(std::io::stderr().is_terminal())
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
    let settings = Config::load(cli.config.as_deref()).map_err(|err| err.to_string())?;
    let named = match (cli.database_url, cli.db) {
        (Some(url), _) => Some(Database::from_url(&url).map_err(|err| err.to_string())?),
        (None, Some(path)) => Some(Database::Sqlite(path)),
        (None, None) => settings.database().map_err(|err| err.to_string())?,
    };
    let database = named.clone().unwrap_or_else(|| Database::Sqlite(PathBuf::from(DEFAULT_DB)));
    let open_store = || {
        database
            .open()
            .map_err(|err| format!("cannot open {}: {err}{}", database.describe(), permission_hint(&database)))
    };
    match cli.command {
        Command::TlsCertificate { hosts, tls_cert, tls_key } => {
            tls::write_self_signed(&hosts, &tls_cert, &tls_key).map_err(|err| err.to_string())?;
            println!("Wrote {} and {}; give {0} to each desk.", tls_cert.display(), tls_key.display());
            Ok(())
        }
        Command::Serve { listen, tls_cert, tls_key, start_fresh } => {
            let limits = settings.connection_limits();
            let listen = listen.or(settings.listen).unwrap_or_else(|| DEFAULT_LISTEN.to_owned());
            let tls = match (tls_cert.or(settings.tls_cert), tls_key.or(settings.tls_key)) {
                (Some(certificate), Some(key)) => {
                    Some(tls::server_config(&certificate, &key).map_err(|err| err.to_string())?)
                }
                (None, None) => None,
                (Some(_), None) => return Err("a TLS certificate needs its key: give --tls-key (or tls_key)".into()),
                (None, Some(_)) => return Err("a TLS key needs its certificate: give --tls-cert (or tls_cert)".into()),
            };
            let store = match start_fresh {
                true => database.open_afresh().map_err(|err| format!("cannot open {}: {err}", database.describe()))?,
                false => open_store()?,
            };
            let runtime = tokio::runtime::Runtime::new().map_err(|err| err.to_string())?;
            runtime.block_on(async {
                let listener = tokio::net::TcpListener::bind(&listen)
                    .await
                    .map_err(|err| format!("cannot listen on {listen}: {err}"))?;
                let address = listener.local_addr().map_err(|err| err.to_string())?;
                let scheme = if tls.is_some() { "https" } else { "http" };
                // Scripts and tests read this line to find a port chosen with :0.
                println!("porchlight-hub listening on {scheme}://{address}");
                tracing::info!(%address, database = %database.describe(), tls = tls.is_some(), "serving");
                serve(listener, tls, store, limits, shutdown_signal()).await.map_err(|err| err.to_string())?;
                tracing::info!("stopped");
                Ok(())
            })
        }
        Command::EnrollmentCode { center } => {
            println!("{}", open_store()?.new_enrollment_code(center.as_deref()).map_err(|err| err.to_string())?);
            Ok(())
        }
        Command::EnrollmentCodes { command: EnrollmentCodesCommand::List } => {
            let codes = open_store()?.unused_enrollment_codes().map_err(|err| err.to_string())?;
            println!("{:<14} {:<32} {:<26} expires", "id", "center", "made");
            for code in codes {
                println!("{:<14} {:<32} {:<26} {}", code.id, code.center, code.created_at, code.expires_at);
            }
            Ok(())
        }
        Command::EnrollmentCodes { command: EnrollmentCodesCommand::Revoke { id_or_code } } => {
            if !open_store()?.revoke_enrollment_code(&id_or_code).map_err(|err| err.to_string())? {
                return Err(format!(
                    "no unused code {id_or_code:?}: `enrollment-codes list` shows the codes not used yet"
                ));
            }
            println!("Revoked; a desk can no longer connect with that code.");
            Ok(())
        }
        Command::Centers { command: CentersCommand::Add { name } } => {
            let center = open_store()?.add_center(&name).map_err(|err| err.to_string())?;
            println!("Added center \"{}\". Enrol its desks with `enrollment-code --center \"{0}\"`.", center.name);
            Ok(())
        }
        Command::Centers { command: CentersCommand::ForgetVerifier { name } } => {
            open_store()?.forget_verifier(&name).map_err(|err| err.to_string())?;
            println!("Forgot the verifier kept for \"{name}\"; the next desk of the center to sync registers its own.");
            Ok(())
        }
        Command::Centers { command: CentersCommand::List } => {
            let centers = open_store()?.centers().map_err(|err| err.to_string())?;
            println!("{:<32} {:>6}  {:<8} created", "center", "desks", "sealed");
            for center in centers {
                let sealed = if center.key_id.is_some() { "yes" } else { "not yet" };
                println!("{:<32} {:>6}  {:<8} {}", center.name, center.devices, sealed, center.created_at);
            }
            Ok(())
        }
        Command::Devices { command: DevicesCommand::List } => {
            let devices = open_store()?.devices().map_err(|err| err.to_string())?;
            println!("{:<38} {:<24} {:<20} {:<26} {:<26} revoked", "id", "name", "center", "enrolled", "last seen");
            for device in devices {
                println!(
                    "{:<38} {:<24} {:<20} {:<26} {:<26} {}",
                    device.id,
                    device.name,
                    device.center,
                    device.enrolled_at,
                    device.last_seen_at.as_deref().unwrap_or("never"),
                    device.revoked_at.as_deref().unwrap_or("-")
                );
            }
            Ok(())
        }
        Command::Report { month, format, output } => {
            if !porchlight_protocol::is_month(&month) {
                return Err(format!("--month {month:?}: a month is written YYYY-MM, like 2026-11"));
            }
            let report = NetworkReport::make(&*open_store()?, &month).map_err(|err| err.to_string())?;
            let bytes = match format {
                ReportFormat::Csv => report.to_csv(),
                ReportFormat::Json => {
                    let mut text = serde_json::to_vec_pretty(&report.to_json()).expect("a report serialises");
                    text.push(b'\n');
                    text
                }
                ReportFormat::Xlsx if output.is_none() => return Err("a workbook is a file: give --output FILE".into()),
                ReportFormat::Xlsx => report.to_xlsx().map_err(|err| err.to_string())?,
            };
            match output {
                Some(path) => {
                    std::fs::write(&path, bytes).map_err(|err| format!("cannot write {}: {err}", path.display()))?;
                    eprintln!(
                        "Wrote {}: {} centers published {month}, {} not yet.",
                        path.display(),
                        report.centers.len(),
                        report.not_published.len()
                    );
                }
                None => std::io::Write::write_all(&mut std::io::stdout(), &bytes).map_err(|err| err.to_string())?,
            }
            Ok(())
        }
        Command::Migrate { from_sqlite } => move_to_postgres(&from_sqlite, named.as_ref()),
        Command::Devices { command: DevicesCommand::Revoke { id } } => {
            open_store()?.revoke(&id).map_err(|err| err.to_string())?;
            println!("revoked {id}");
            println!(
                "The hub cannot change the center's key (it never holds it). If the desk was lost, change it from \
                 a desk of the center: Settings → Sync, or `porchlight sync revoke {id}`."
            );
            Ok(())
        }
    }
}

/// `migrate --from-sqlite`: the copy, with its progress on one line of the terminal (a line each
/// when stdout is not one, as under a script).
fn move_to_postgres(from: &std::path::Path, target: Option<&Database>) -> Result<(), String> {
    let Some(target @ Database::Postgres(url)) = target else {
        return Err("migrate needs the PostgreSQL database to move into: --database-url postgres://…".into());
    };
    let target = target.describe();
    let terminal = std::io::stdout().is_terminal();
    let moved = store::move_to_postgres(from, url, |progress| {
        let percent = (progress.copied * 100).checked_div(progress.total).unwrap_or(100);
        let line = format!("Moving the hub to PostgreSQL: {} of {} rows ({percent}%)", progress.copied, progress.total);
        if terminal {
            print!("\r{line}");
        } else {
            println!("{line}");
        }
        let _ = std::io::Write::flush(&mut std::io::stdout());
    })
    .map_err(|err| format!("nothing was moved into {target}: {err}"))?;
    if terminal {
        println!();
    }
    let count = |n: u64, one: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {one}s") };
    println!(
        "Moved {}, {} and {} into {target}. Set database_url in the hub's settings (or serve with \
         --database-url) and start it: desks carry on where they were.",
        count(moved.centers, "center"),
        count(moved.devices, "desk"),
        count(moved.changes, "change")
    );
    Ok(())
}

/// An operator who types a command without sudo reads why the installed hub's database refused.
fn permission_hint(database: &Database) -> &'static str {
    let Database::Sqlite(db) = database else { return "" };
    let denied = |result: std::io::Result<std::fs::File>| matches!(result, Err(err) if err.kind() == std::io::ErrorKind::PermissionDenied);
    if denied(std::fs::OpenOptions::new().read(true).write(true).open(db))
        || denied(std::fs::File::open(db.parent().unwrap_or(std::path::Path::new("."))))
    {
        config::PERMISSION_HINT
    } else {
        ""
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
