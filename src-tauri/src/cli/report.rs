//! `porchlight report --from YYYY-MM-DD --to YYYY-MM-DD [--format json|csv|xlsx|pdf] [--output FILE]`:
//! the center's report for a period, exact (the CLI acts as an admin) unless `--suppress-small`.
//! Without `--output` it goes to stdout, for a script's pipe.

use std::path::PathBuf;

use clap::ValueEnum;
use porchlight_core::access::Session;
use porchlight_core::reports::files::{self, FileOptions, Paper, ReportFormat};
use porchlight_core::{reports, Desk};

use super::CliError;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Json,
    Csv,
    Xlsx,
    Pdf,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum PaperSize {
    A4,
    Letter,
}

pub struct ReportArgs {
    pub from: String,
    pub to: String,
    pub format: Format,
    pub output: Option<PathBuf>,
    pub force: bool,
    pub suppress_small: bool,
    pub paper: Option<PaperSize>,
}

pub fn run(desk: &mut Desk, operator: &Session, args: ReportArgs) -> Result<(), CliError> {
    let (from, to) = (reports::parse_day(&args.from)?, reports::parse_day(&args.to)?);
    let options = FileOptions {
        format: match args.format {
            Format::Json => ReportFormat::Json,
            Format::Csv => ReportFormat::Csv,
            Format::Xlsx => ReportFormat::Xlsx,
            Format::Pdf => ReportFormat::Pdf,
        },
        suppress_small: args.suppress_small,
        paper: args.paper.map(|paper| match paper {
            PaperSize::A4 => Paper::A4,
            PaperSize::Letter => Paper::Letter,
        }),
    };
    match &args.output {
        Some(path) => {
            files::save(desk, operator, from, to, options, path, args.force)?;
            eprintln!("Wrote the report for {from} to {to} to {}.", path.display());
        }
        None => {
            use std::io::IsTerminal;
            if matches!(args.format, Format::Xlsx | Format::Pdf) && std::io::stdout().is_terminal() {
                return Err(CliError::Refused(
                    "An xlsx or pdf report is not for a terminal: add --output FILE, or send it to a file.".into(),
                ));
            }
            files::write(desk, operator, from, to, options, &mut std::io::stdout().lock())?;
        }
    }
    Ok(())
}
