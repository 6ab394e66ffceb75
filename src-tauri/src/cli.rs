//! The admin CLI: the same binary, no window. Each subcommand calls the same core functions
//! as the app; output goes to stdout, problems to stderr with a non-zero exit.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};
use porchlight_core::accounts::Session;
use porchlight_core::export::{self, Days, Format};
use porchlight_core::sync::{self, HubConnection, SyncPhase};
use porchlight_core::{backup, demo, import, reports, Desk, Error};

use crate::desk_key::{self, PASSPHRASE_ENV};

#[derive(Parser)]
#[command(name = "porchlight", version, about = "Porchlight: the front desk of a recovery community center.")]
pub struct Args {
    /// Folder holding this desk's database (default: the OS app-data folder).
    #[arg(long, global = true, env = "PORCHLIGHT_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,

    /// Do not keep this desk's key in the computer's keychain: a new desk gets a passphrase
    /// instead, typed each time the app starts. For computers whose keychain everyone at the
    /// desk can open anyway.
    #[arg(long, global = true, env = "PORCHLIGHT_NO_KEYCHAIN")]
    pub no_keychain: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Args {
    pub fn data_dir(&self) -> PathBuf {
        self.data_dir
            .clone()
            .unwrap_or_else(|| dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("org.porchlight.desk"))
    }
}

#[derive(Subcommand)]
pub enum Command {
    /// Write people or visits to stdout as CSV (default) or JSON.
    Export {
        what: Records,
        /// First local day to include (YYYY-MM-DD).
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: Option<String>,
        /// Last local day to include (YYYY-MM-DD).
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: Option<String>,
        #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
        format: ExportFormat,
    },
    /// Import people from a CSV file: every row is checked first, then all or nothing.
    Import { what: Importable, file: PathBuf },
    /// Copy the database to FILE, safely, even while the app is running.
    Backup { file: PathBuf },
    /// Fill an empty desk with a fictional demo center to explore.
    Demo,
    /// Connect this desk to a hub, sync now, or show where it stands.
    Sync {
        #[command(subcommand)]
        command: SyncCommand,
    },
}

#[derive(Subcommand)]
pub enum SyncCommand {
    /// Enrol this desk with a hub, using a one-time code from the hub's operator.
    Connect {
        /// The hub's address, e.g. https://hub.example.org or http://127.0.0.1:8787.
        #[arg(long, value_name = "URL")]
        hub: String,
        /// The code printed by `porchlight-hub enrollment-code`.
        #[arg(long)]
        code: String,
        /// What staff call this desk, e.g. "Front desk".
        #[arg(long)]
        name: String,
        /// The hub's own certificate (PEM file), when no public authority signed it, e.g. one
        /// made by `porchlight-hub tls-certificate`. The desk then trusts only that certificate.
        #[arg(long, value_name = "FILE")]
        hub_certificate: Option<PathBuf>,
        /// Allow http:// to a hub on another computer: records cross the network unencrypted,
        /// so only on a private network the center trusts.
        #[arg(long)]
        allow_plain_http: bool,
    },
    /// One full push and pull now; prints what it did.
    Now,
    /// The hub, changes waiting to be sent, the last sync and any problem.
    Status,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Records {
    People,
    Visits,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Importable {
    People,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
}

/// Runs one subcommand; returns the process exit code.
pub fn run(command: Command, data_dir: &Path, use_keychain: bool) -> i32 {
    match desk_key::open_for_cli(data_dir, use_keychain).and_then(|desk| execute(command, desk, data_dir)) {
        Ok(()) => 0,
        // `porchlight export visits | head` is fine: the reader has all it wanted.
        Err(err) if is_broken_pipe(&err) => 0,
        Err(Error::ImportRejected(rows)) => {
            eprintln!("porchlight: the file has {} problem(s); nothing was imported:", rows.len());
            for row in rows {
                eprintln!("  {row}");
            }
            1
        }
        Err(Error::DeskPassphraseNeeded) => {
            eprintln!(
                "porchlight: {}\nRun it in a terminal to type the passphrase, or set {PASSPHRASE_ENV} for a script.",
                Error::DeskPassphraseNeeded
            );
            1
        }
        Err(err) => {
            eprintln!("porchlight: {err}");
            1
        }
    }
}

fn is_broken_pipe(err: &Error) -> bool {
    let io = match err {
        Error::Io(io) => Some(io),
        Error::Csv(csv) => match csv.kind() {
            csv::ErrorKind::Io(io) => Some(io),
            _ => None,
        },
        _ => None,
    };
    io.is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}

/// Whoever runs the CLI acts as an admin in their own name: they can open the data folder, so
/// they hold the database already. What they do is written to the audit log as theirs.
fn operator() -> Session {
    let os_user = ["USER", "USERNAME", "LOGNAME"].into_iter().find_map(|name| std::env::var(name).ok());
    Session::operator(os_user.as_deref().unwrap_or("unknown user"))
}

fn execute(command: Command, mut desk: Desk, data_dir: &Path) -> porchlight_core::Result<()> {
    let operator = operator();
    match command {
        Command::Export { what, from, to, format } => {
            let days = Days {
                from: from.as_deref().map(reports::parse_day).transpose()?,
                to: to.as_deref().map(reports::parse_day).transpose()?,
            };
            let format = match format {
                ExportFormat::Csv => Format::Csv,
                ExportFormat::Json => Format::Json,
            };
            let out = std::io::BufWriter::new(std::io::stdout().lock());
            match what {
                Records::People => export::people(&mut desk, &operator, days, format, out)?,
                Records::Visits => export::visits(&mut desk, &operator, days, format, out)?,
            };
        }
        Command::Import { what: Importable::People, file } => {
            let csv = std::fs::File::open(&file)
                .map_err(|err| Error::Io(std::io::Error::new(err.kind(), format!("{}: {err}", file.display()))))?;
            let imported = import::people_csv(&mut desk, &operator, std::io::BufReader::new(csv))?;
            println!("Imported {imported} people.");
        }
        Command::Backup { file } => {
            backup::to_file(&mut desk, &operator, &file)?;
            println!("Backed up {} to {}.", desk.path().display(), file.display());
        }
        Command::Demo => {
            let size = demo::Size::SMALL;
            demo::seed(&mut desk, &operator, size)?;
            println!(
                "Seeded \"{}\" with {} fictional people and about {} visits in {}.",
                demo::DEMO_CENTER_NAME,
                size.people,
                size.visits,
                data_dir.display()
            );
        }
        Command::Sync { command } => run_sync(&mut desk, &operator, command)?,
    }
    std::io::stdout().flush()?;
    Ok(())
}

fn run_sync(desk: &mut Desk, operator: &Session, command: SyncCommand) -> porchlight_core::Result<()> {
    match command {
        SyncCommand::Connect { hub, code, name, hub_certificate, allow_plain_http } => {
            let hub_certificate = hub_certificate.map(std::fs::read_to_string).transpose()?;
            let connection =
                HubConnection { hub_certificate, allow_plain_http, ..HubConnection::new(&hub, &code, &name) };
            let status = sync::connect(desk, operator, &connection)?;
            println!(
                "Connected \"{}\" to {} as device {}. Run `porchlight sync now` to sync.",
                status.desk_name.unwrap_or_default(),
                status.hub_url.unwrap_or_default(),
                status.device_id.unwrap_or_default()
            );
        }
        SyncCommand::Now => {
            let report = sync::sync_now(desk, |progress| {
                let phase = match progress.phase {
                    SyncPhase::Pushing => "sent",
                    SyncPhase::Pulling => "received",
                };
                eprintln!("  {phase} {} of {}", progress.done, progress.total);
            })?;
            println!(
                "Sent {} changes ({} the hub already had); received {}, of which {} changed this desk.",
                report.pushed, report.duplicates, report.pulled, report.changed
            );
            if report.restamped > 0 {
                println!(
                    "This computer's clock is off; {} unsent changes were re-stamped with the hub's time.",
                    report.restamped
                );
            }
        }
        SyncCommand::Status => {
            let status = sync::status(desk)?;
            let zone = desk.zone()?;
            let Some(hub_url) = status.hub_url else {
                println!("Not connected to a hub. {} changes are kept for when it is.", status.pending_changes);
                return Ok(());
            };
            println!("Hub:             {hub_url}");
            println!(
                "Desk:            {} (device {})",
                status.desk_name.unwrap_or_default(),
                status.device_id.unwrap_or_default()
            );
            println!("Waiting to send: {} changes", status.pending_changes);
            let last = status.last_synced_at.map(|at| at.in_zone(zone).format("%Y-%m-%d %H:%M:%S %Z").to_string());
            println!("Last synced:     {}", last.as_deref().unwrap_or("never"));
            if status.waiting_records > 0 {
                println!(
                    "Not yet stored:  {} records from other desks (waiting for records they refer to)",
                    status.waiting_records
                );
            }
            match status.problem {
                Some(problem) => println!("Problem:         {}", problem.message),
                None => println!("Problem:         none"),
            }
        }
    }
    Ok(())
}
