//! The admin CLI: the same binary, no window. Each subcommand calls the same core functions
//! as the app; output goes to stdout, problems to stderr with a non-zero exit.

use std::io::Write;
use std::path::{Path, PathBuf};

mod accounts;
mod backup;
mod demo;
mod export;
mod import;
mod report;
mod sync;

use clap::{Parser, Subcommand};
use porchlight_core::access::Session;
use porchlight_core::{encryption, Desk, Error};

use crate::desk_key::{self, KeyNeed};

/// For scripts (a nightly backup): the passphrase of a desk that has one.
const PASSPHRASE_ENV: &str = "PORCHLIGHT_DESK_PASSPHRASE";
/// For scripts: the new password of `accounts set-password`.
pub(crate) const NEW_PASSWORD_ENV: &str = "PORCHLIGHT_NEW_PASSWORD";

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
    /// Write people, visits, groups, sessions, attendance, the warmline's calls, callers and
    /// resources, or volunteers, shifts and hours to stdout as CSV (default) or JSON; sessions
    /// and shifts also as an iCalendar file (--format ics).
    Export {
        what: export::Records,
        /// First local day to include (YYYY-MM-DD).
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: Option<String>,
        /// Last local day to include (YYYY-MM-DD).
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: Option<String>,
        #[arg(long, value_enum, default_value_t = export::ExportFormat::Csv)]
        format: export::ExportFormat,
        /// Calls and callers only: with their notes, "what helps" and flags (recorded in the audit log).
        #[arg(long)]
        include_notes: bool,
        /// Shifts as iCalendar only: the shifts this volunteer (their person id) holds.
        #[arg(long, value_name = "ID")]
        volunteer: Option<String>,
    },
    /// The center's report for a period: visitors, groups, warmline, volunteers and the people
    /// served, as JSON (default), one tidy CSV table, an xlsx workbook or a printable PDF.
    Report {
        /// First local day of the period (YYYY-MM-DD).
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: String,
        /// Last local day of the period (YYYY-MM-DD), today at the latest.
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: String,
        #[arg(long, value_enum, default_value_t = report::Format::Json)]
        format: report::Format,
        /// Where to write it (default: stdout). An existing file is left alone unless --force.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
        /// Show counts about people from 1 to 4 (the center's threshold) as "fewer than 5", as on a printout.
        #[arg(long)]
        suppress_small: bool,
        /// PDF paper (default: Letter in the Americas, A4 elsewhere, by the center's time zone).
        #[arg(long, value_enum)]
        paper: Option<report::PaperSize>,
    },
    /// Import people from a CSV file: every row is checked first, then all or nothing.
    Import { what: import::Importable, file: PathBuf },
    /// Copy the database to FILE, safely, even while the app is running.
    Backup { file: PathBuf },
    /// Fill an empty desk with a fictional demo center to explore.
    Demo {
        /// The demo center's time zone (default: this computer's), such as America/Denver.
        #[arg(long, value_name = "ZONE")]
        time_zone: Option<String>,
    },
    /// Connect this desk to a hub, sync now, or show where it stands.
    Sync {
        #[command(subcommand)]
        command: sync::SyncCommand,
    },
    /// Staff accounts: list them, unlock one, or set a forgotten password (the way back in
    /// when the center's only admin cannot sign in).
    Accounts {
        #[command(subcommand)]
        command: accounts::AccountsCommand,
    },
}

/// What stops a subcommand: core's refusal, or something only the CLI asks for.
pub(crate) enum CliError {
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
pub(crate) fn read_secret(what: &'static str, env: &'static str, confirm: bool) -> Result<String, CliError> {
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

/// A secret too long for a variable: typed at the terminal (not echoed), or read whole from
/// standard input when a script pipes it.
pub(crate) fn read_secret_text(what: &str) -> std::io::Result<String> {
    use std::io::{IsTerminal, Read};
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(format!("{what}: "));
    }
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text)?;
    Ok(text)
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
        Command::Export { what, from, to, format, include_notes, volunteer } => {
            export::run(&mut desk, &operator, what, from, to, format, include_notes, volunteer)?
        }
        Command::Report { from, to, format, output, force, suppress_small, paper } => report::run(
            &mut desk,
            &operator,
            report::ReportArgs { from, to, format, output, force, suppress_small, paper },
        )?,
        Command::Import { what, file } => import::run(&mut desk, &operator, what, &file)?,
        Command::Backup { file } => backup::run(&mut desk, &operator, &file)?,
        Command::Demo { time_zone } => demo::run(&mut desk, &operator, data_dir, time_zone)?,
        Command::Sync { command } => sync::run(&mut desk, &operator, command)?,
        Command::Accounts { command } => accounts::run(&mut desk, &operator, command)?,
    }
    std::io::stdout().flush()?;
    Ok(())
}
