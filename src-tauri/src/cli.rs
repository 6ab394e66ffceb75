//! The admin CLI: the same binary, no window. Each subcommand calls the same core functions
//! as the app; output goes to stdout, problems to stderr with a non-zero exit.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};
use porchlight_core::export::{self, Days, Format};
use porchlight_core::{backup, demo, import, reports, Desk, Error};

#[derive(Parser)]
#[command(name = "porchlight", version, about = "Porchlight: the front desk of a recovery community center.")]
pub struct Args {
    /// Folder holding this desk's database (default: the OS app-data folder).
    #[arg(long, global = true, env = "PORCHLIGHT_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Args {
    pub fn data_dir(&self) -> PathBuf {
        self.data_dir.clone().unwrap_or_else(|| {
            dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("org.porchlight.desk")
        })
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
pub fn run(command: Command, data_dir: &Path) -> i32 {
    match execute(command, data_dir) {
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

fn execute(command: Command, data_dir: &Path) -> porchlight_core::Result<()> {
    let mut desk = Desk::open_dir(data_dir)?;
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
                Records::People => export::people(&desk, days, format, out)?,
                Records::Visits => export::visits(&desk, days, format, out)?,
            };
        }
        Command::Import { what: Importable::People, file } => {
            let csv = std::fs::File::open(&file)
                .map_err(|err| Error::Io(std::io::Error::new(err.kind(), format!("{}: {err}", file.display()))))?;
            let imported = import::people_csv(&mut desk, std::io::BufReader::new(csv))?;
            println!("Imported {imported} people.");
        }
        Command::Backup { file } => {
            backup::to_file(&desk, &file)?;
            println!("Backed up {} to {}.", desk.path().display(), file.display());
        }
        Command::Demo => {
            let size = demo::Size::SMALL;
            demo::seed(&mut desk, size)?;
            println!(
                "Seeded \"{}\" with {} fictional people and about {} visits in {}.",
                demo::DEMO_CENTER_NAME,
                size.people,
                size.visits,
                data_dir.display()
            );
        }
    }
    std::io::stdout().flush()?;
    Ok(())
}
