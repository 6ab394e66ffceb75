//! The admin CLI: the same binary, no window. Each subcommand calls the same core functions
//! as the app; output goes to stdout, problems to stderr with a non-zero exit.

use porchlight_core::import::ImportError;
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
use porchlight_core::{encryption, CommonError, Desk, Error};

use crate::desk_key::{self, KeyNeed};

/// For scripts (a nightly backup): the passphrase of a desk that has one.
const PASSPHRASE_ENV: &str = "PORCHLIGHT_DESK_PASSPHRASE";
/// For scripts: the new password of `accounts set-password`.
pub(crate) const NEW_PASSWORD_ENV: &str = "PORCHLIGHT_NEW_PASSWORD";
/// For scripts: the password of the admin named by `--as`.
const ADMIN_PASSWORD_ENV: &str = "PORCHLIGHT_ADMIN_PASSWORD";

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

    /// Act as this admin: their password is asked for, or read from PORCHLIGHT_ADMIN_PASSWORD by
    /// a script. Once the center has an admin, every subcommand but `backup`, `sync now` and
    /// `sync status` needs one; without --as, a terminal asks for the name too.
    #[arg(long = "as", global = true, value_name = "NAME")]
    pub acting_as: Option<String>,

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
    /// Put the backup FILE in place of this desk's data (close the app first), then sync, so
    /// what the hub has had since comes back, this desk's own changes included.
    Restore { file: PathBuf },
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
        CliError::Core(Error::Common(CommonError::Io(err)))
    }
}

/// Runs one subcommand; returns the process exit code.
pub fn run(command: Command, data_dir: &Path, use_keychain: bool, acting_as: Option<&str>) -> i32 {
    let done = open_desk(data_dir, use_keychain).and_then(|(mut desk, opened)| {
        let session = signed_in(&mut desk, &command, opened, acting_as)?;
        execute(command, desk, &session, data_dir)
    });
    match done {
        Ok(()) => 0,
        // `porchlight export visits | head` is fine: the reader has all it wanted.
        Err(CliError::Core(err)) if is_broken_pipe(&err) => 0,
        Err(CliError::Core(Error::Import(ImportError::ImportRejected { rows }))) => {
            // A file wrong on every row says so in a screenful, not in twenty thousand lines.
            const SHOWN: usize = 50;
            eprintln!("porchlight: the file has {} problem(s); nothing was imported:", rows.len());
            for row in rows.iter().take(SHOWN) {
                eprintln!("  {row}");
            }
            if rows.len() > SHOWN {
                eprintln!("  and {} more", rows.len() - SHOWN);
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
fn open_desk(data_dir: &Path, use_keychain: bool) -> Result<(Desk, Opened), CliError> {
    let mut opened = Opened::ByKeychain;
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
            opened = Opened::ByPassphrase;
            encryption::unlock_with_passphrase(data_dir, &passphrase)?
        }
    };
    Ok((Desk::open_dir_keyed(data_dir, Some(key))?, opened))
}

/// How the desk's key was found: a typed passphrase shows more than the keychain, which opens
/// for anyone signed in to the computer.
#[derive(Clone, Copy, PartialEq)]
enum Opened {
    ByKeychain,
    ByPassphrase,
}

/// Who a subcommand acts for. Anyone who can open the desk may back it up and sync it. The rest
/// reveal or change records or accounts: once the center has an admin, one signs in by name and
/// password. A desk with no admin yet (being set up by `import` or `demo`, or joining a center)
/// is acted on by the computer's user, as is the way back in when no admin can sign in (setting
/// a forgotten password, unlocking an account) for someone who shows the desk passphrase or the
/// center's recovery words: never the keychain alone, which opens for anyone at the computer.
fn signed_in(desk: &mut Desk, command: &Command, opened: Opened, acting_as: Option<&str>) -> Result<Session, CliError> {
    let open_to_anyone = matches!(
        command,
        Command::Backup { .. } | Command::Sync { command: sync::SyncCommand::Now | sync::SyncCommand::Status }
    );
    if open_to_anyone || porchlight_core::accounts::needs_first_run(desk)? {
        return Ok(operator());
    }
    let way_back_in = matches!(
        command,
        Command::Accounts {
            command: accounts::AccountsCommand::SetPassword { .. } | accounts::AccountsCommand::Unlock { .. }
        }
    );
    match acting_as {
        None if way_back_in => {
            if opened == Opened::ByKeychain {
                let words = read_secret_text(
                    "No admin signed in (--as NAME). To go on anyway, the center's 24 recovery words",
                )?;
                porchlight_core::hub_link::prove_with_recovery_words(desk, &words)?;
            }
            Ok(operator())
        }
        Some(name) => sign_in_as(desk, name),
        None => {
            use std::io::IsTerminal;
            if !std::io::stdin().is_terminal() {
                return Err(CliError::Refused(format!(
                    "this center has admins: sign in as one with --as NAME, the password in {ADMIN_PASSWORD_ENV} \
                     (or run it in a terminal to be asked). `backup`, `sync now` and `sync status` need no one."
                )));
            }
            eprint!("Admin name: ");
            let mut name = String::new();
            std::io::stdin().read_line(&mut name)?;
            sign_in_as(desk, name.trim())
        }
    }
}

/// Signs in the account staff know by `name` (any case) with its password.
fn sign_in_as(desk: &mut Desk, name: &str) -> Result<Session, CliError> {
    let mut named: Vec<_> = porchlight_core::accounts::sign_in_choices(desk)?
        .into_iter()
        .filter(|choice| choice.name.trim().eq_ignore_ascii_case(name.trim()))
        .collect();
    let account = match named.len() {
        1 => named.remove(0),
        0 => return Err(CliError::Refused(format!("no staff account that can sign in is called \"{name}\""))),
        count => {
            return Err(CliError::Refused(format!(
                "{count} accounts are called \"{name}\"; rename one in the app first"
            )))
        }
    };
    if !account.has_password {
        return Err(CliError::Refused(format!("{} has no password: the command line is for admins", account.name)));
    }
    let password = read_secret("Password", ADMIN_PASSWORD_ENV, false)?;
    Ok(porchlight_core::accounts::sign_in_with_password(desk, &account.account_id, &password)?)
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
        Error::Common(CommonError::Io(io)) => Some(io),
        Error::Common(CommonError::Csv(csv)) => match csv.kind() {
            csv::ErrorKind::Io(io) => Some(io),
            _ => None,
        },
        _ => None,
    };
    io.is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}

/// The computer's user, acting where no admin need sign in ([`signed_in`]). What they do is
/// written to the audit log as theirs. The account comes from the system itself: under cron, a
/// service or a container `USER` is unset.
fn operator() -> Session {
    let os_user = whoami::username().ok().filter(|name| !name.trim().is_empty());
    Session::operator(os_user.as_deref().unwrap_or("unknown user"))
}

fn execute(command: Command, mut desk: Desk, session: &Session, data_dir: &Path) -> Result<(), CliError> {
    match command {
        Command::Export { what, from, to, format, include_notes, volunteer } => {
            export::run(&mut desk, session, what, from, to, format, include_notes, volunteer)?
        }
        Command::Report { from, to, format, output, force, suppress_small, paper } => report::run(
            &mut desk,
            session,
            report::ReportArgs { from, to, format, output, force, suppress_small, paper },
        )?,
        Command::Import { what, file } => import::run(&mut desk, session, what, &file)?,
        Command::Backup { file } => backup::run(&mut desk, session, &file)?,
        Command::Restore { file } => backup::restore(&mut desk, session, &file)?,
        Command::Demo { time_zone } => demo::run(&mut desk, session, data_dir, time_zone)?,
        Command::Sync { command } => sync::run(&mut desk, session, command)?,
        Command::Accounts { command } => accounts::run(&mut desk, session, command)?,
    }
    std::io::stdout().flush()?;
    Ok(())
}
