//! `porchlight export people|visits`: CSV or JSON on stdout, for a spreadsheet or a script.

use clap::ValueEnum;
use porchlight_core::access::Session;
use porchlight_core::export::{self, Days, Format};
use porchlight_core::{reports, Desk};

use super::CliError;

#[derive(Clone, Copy, ValueEnum)]
pub enum Records {
    People,
    Visits,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
}

pub fn run(
    desk: &mut Desk,
    operator: &Session,
    what: Records,
    from: Option<String>,
    to: Option<String>,
    format: ExportFormat,
) -> Result<(), CliError> {
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
        Records::People => export::people(desk, operator, days, format, out)?,
        Records::Visits => export::visits(desk, operator, days, format, out)?,
    };
    Ok(())
}
