//! The admin CLI: the same binary, no window. Each subcommand calls the same core functions
//! as the app; output goes to stdout, problems to stderr with a non-zero exit.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};
use porchlight_core::accounts::{self, Account, Session};
use porchlight_core::export::{self, Days, Format};
use porchlight_core::sync::{self, HubConnection, SyncPhase};
use porchlight_core::{backup, demo, encryption, import, reports, Desk, Error};

use crate::desk_key::{self, KeyNeed};

/// For scripts (a nightly backup): the passphrase of a desk that has one.
const PASSPHRASE_ENV: &str = "PORCHLIGHT_DESK_PASSPHRASE";
/// For scripts: the new password of `accounts set-password`.
const NEW_PASSWORD_ENV: &str = "PORCHLIGHT_NEW_PASSWORD";

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

    /// Opens an empty Tauri window and no desk: the baseline `make measure` compares the app with.
    #[arg(long, hide = true)]
    pub blank_window: bool,

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
    /// Staff accounts: list them, unlock one, or set a forgotten password (the way back in
    /// when the center's only admin cannot sign in).
    Accounts {
        #[command(subcommand)]
        command: AccountsCommand,
    },
}

#[derive(Subcommand)]
pub enum AccountsCommand {
    /// Every account: name, roles, and whether it is locked or turned off.
    List,
    /// Unlock an account locked after too many wrong tries.
    Unlock { name: String },
    /// Set an account's password, typed twice at the terminal (or from PORCHLIGHT_NEW_PASSWORD).
    SetPassword { name: String },
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

/// What stops a subcommand: core's refusal, or something only the CLI asks for.
enum CliError {
    Core(Error),
    /// A secret with no terminal to type it at and nothing in its environment variable.
    SecretNeeded {
        what: &'static str,
        env: &'static str,
    },
    Refused(String),
}

impl From<Error> for CliError {
    fn from(err: Error) -> Self {
        CliError::Core(err)
    }
}

impl From<std::io::Error> for CliError {
    fn from(err: std::io::Error) -> Self {
        CliError::Core(Error::Io(err))
    }
}

/// Runs one subcommand; returns the process exit code.
pub fn run(command: Command, data_dir: &Path, use_keychain: bool) -> i32 {
    match open_desk(data_dir, use_keychain).and_then(|desk| execute(command, desk, data_dir)) {
        Ok(()) => 0,
        // `porchlight export visits | head` is fine: the reader has all it wanted.
        Err(CliError::Core(err)) if is_broken_pipe(&err) => 0,
        Err(CliError::Core(Error::ImportRejected(rows))) => {
            eprintln!("porchlight: the file has {} problem(s); nothing was imported:", rows.len());
            for row in rows {
                eprintln!("  {row}");
            }
            1
        }
        Err(CliError::SecretNeeded { what, env }) => {
            eprintln!("porchlight: {what} is needed. Run this in a terminal to type it, or set {env} for a script.");
            1
        }
        Err(CliError::Refused(reason)) => {
            eprintln!("porchlight: {reason}");
            1
        }
        Err(CliError::Core(err)) => {
            eprintln!("porchlight: {err}");
            1
        }
    }
}

/// The key from the keychain, or the passphrase from [`PASSPHRASE_ENV`] or typed at the
/// terminal. A new desk gets its key before any file of it is written, exactly as the app
/// gives one: the keychain where there is one, otherwise a passphrase chosen here (typed twice,
/// or from [`PASSPHRASE_ENV`]). A desk left plain by an older version is encrypted in place.
fn open_desk(data_dir: &Path, use_keychain: bool) -> Result<Desk, CliError> {
    let key = match desk_key::find(data_dir, use_keychain)? {
        Ok(key) => key,
        Err(KeyNeed::ChoosePassphrase) => {
            let passphrase =
                read_secret("A passphrase for this new desk", PASSPHRASE_ENV, true).map_err(|err| match err {
                    CliError::SecretNeeded { .. } => CliError::Refused(format!(
                        "{} has no desk yet, and a new desk's data is always encrypted. This computer has no \
                         keychain Porchlight can use{}, so choose a desk passphrase ({} characters or more): \
                         run this in a terminal to type it, or set {PASSPHRASE_ENV} for a script. Nothing was written.",
                        data_dir.display(),
                        if use_keychain { "" } else { " (--no-keychain)" },
                        encryption::PASSPHRASE_MIN,
                    )),
                    other => other,
                })?;
            encryption::choose_passphrase(data_dir, &passphrase, &passphrase)?
        }
        Err(KeyNeed::EnterPassphrase) => {
            let passphrase = read_secret("The desk passphrase", PASSPHRASE_ENV, false)?;
            encryption::unlock_with_passphrase(data_dir, &passphrase)?
        }
    };
    Ok(Desk::open_dir_keyed(data_dir, Some(key))?)
}

/// A secret from `env`, or typed at the terminal (twice when `confirm`); never echoed.
fn read_secret(what: &'static str, env: &'static str, confirm: bool) -> Result<String, CliError> {
    use std::io::IsTerminal;
    if let Ok(secret) = std::env::var(env) {
        return Ok(secret);
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::SecretNeeded { what, env });
    }
    let secret = rpassword::prompt_password(format!("{what}: "))?;
    if confirm && rpassword::prompt_password(format!("{what} again: "))? != secret {
        return Err(CliError::Refused("The two were not the same; nothing was changed.".into()));
    }
    Ok(secret)
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
/// they hold the database already. What they do is written to the audit log as theirs. The
/// account comes from the system itself: under cron, a service or a container `USER` is unset.
fn operator() -> Session {
    let os_user = whoami::username().ok().filter(|name| !name.trim().is_empty());
    Session::operator(os_user.as_deref().unwrap_or("unknown user"))
}

fn execute(command: Command, mut desk: Desk, data_dir: &Path) -> Result<(), CliError> {
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
        Command::Accounts { command } => run_accounts(&mut desk, &operator, command)?,
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
                println!("Not yet stored:  {} records from other desks:", status.waiting_records);
                for parked in &status.parked {
                    println!("                 {} {}: {}", parked.entity, parked.id, parked.reason);
                }
                let unnamed = status.waiting_records.saturating_sub(status.parked.len() as u64);
                if unnamed > 0 {
                    println!("                 and {unnamed} more");
                }
            }
            match status.problem {
                Some(problem) => println!("Problem:         {}", problem.message),
                None => println!("Problem:         none"),
            }
        }
    }
    Ok(())
}

fn run_accounts(desk: &mut Desk, operator: &Session, command: AccountsCommand) -> Result<(), CliError> {
    match command {
        AccountsCommand::List => {
            for account in accounts::list(desk, operator)? {
                let roles: Vec<_> = account.roles.iter().map(|role| role.as_str().replace('_', " ")).collect();
                let state = match (account.active, account.locked) {
                    (false, _) => "  (turned off)",
                    (true, true) => "  (locked)",
                    (true, false) => "",
                };
                println!("{}  {}{state}", account.name, roles.join(", "));
            }
        }
        AccountsCommand::Unlock { name } => {
            let account = account_named(desk, operator, &name)?;
            accounts::unlock(desk, operator, &account.id)?;
            println!("Unlocked {}.", account.name);
        }
        AccountsCommand::SetPassword { name } => {
            let account = account_named(desk, operator, &name)?;
            let password = read_secret("The new password", NEW_PASSWORD_ENV, true)?;
            accounts::set_password(desk, operator, &account.id, &password)?;
            println!("Set a new password for {}.", account.name);
        }
    }
    Ok(())
}

/// The account staff know by `name` (any case).
fn account_named(desk: &Desk, operator: &Session, name: &str) -> Result<Account, CliError> {
    let mut found: Vec<_> = accounts::list(desk, operator)?
        .into_iter()
        .filter(|account| account.name.trim().eq_ignore_ascii_case(name.trim()))
        .collect();
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(CliError::Refused(format!(
            "No staff account is called \"{name}\"; `porchlight accounts list` shows them."
        ))),
        count => {
            Err(CliError::Refused(format!("{count} accounts are called \"{name}\"; rename one in the app first.")))
        }
    }
}
