//! `porchlight export people|visits|groups|sessions|attendance|calls|callers|resources|volunteers|shifts|hours`:
//! CSV or JSON on stdout, for a spreadsheet or a script; sessions and shifts also as an
//! iCalendar file for a calendar program (shifts for one volunteer with `--volunteer`). The
//! warmline's exports hold no notes unless `--include-notes` is given; volunteers' never hold visits.

use clap::ValueEnum;
use porchlight_core::access::Session;
use porchlight_core::export::{self, Days, Format};
use porchlight_core::{reports, Desk};

use super::CliError;

#[derive(Clone, Copy, ValueEnum)]
pub enum Records {
    People,
    Visits,
    Groups,
    Sessions,
    Attendance,
    Calls,
    Callers,
    Resources,
    Volunteers,
    Shifts,
    Hours,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
    /// RFC 5545, for sessions and shifts.
    Ics,
}

// The export subcommand's flags, each its own argument as clap parsed it.
#[allow(clippy::too_many_arguments)]
pub fn run(
    desk: &mut Desk,
    operator: &Session,
    what: Records,
    from: Option<String>,
    to: Option<String>,
    format: ExportFormat,
    include_notes: bool,
    volunteer: Option<String>,
) -> Result<(), CliError> {
    if volunteer.is_some() && !matches!((what, format), (Records::Shifts, ExportFormat::Ics)) {
        return Err(CliError::Refused(
            "--volunteer is for `export shifts --format ics`: one volunteer's calendar.".into(),
        ));
    }
    if include_notes && !matches!(what, Records::Calls | Records::Callers) {
        return Err(CliError::Refused("--include-notes is for calls and callers only: nothing else has notes.".into()));
    }
    let days = Days {
        from: from.as_deref().map(reports::parse_day).transpose()?,
        to: to.as_deref().map(reports::parse_day).transpose()?,
    };
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    let format = match (format, what) {
        (ExportFormat::Ics, Records::Sessions) => {
            export::sessions_calendar(desk, operator, days, out)?;
            return Ok(());
        }
        (ExportFormat::Ics, Records::Shifts) => {
            export::shifts_calendar(desk, operator, days, volunteer.as_deref(), out)?;
            return Ok(());
        }
        (ExportFormat::Ics, _) => {
            return Err(CliError::Refused(
                "--format ics is for sessions and shifts only: a calendar of the center's meetings or its shifts."
                    .into(),
            ))
        }
        (ExportFormat::Csv, _) => Format::Csv,
        (ExportFormat::Json, _) => Format::Json,
    };
    match what {
        Records::People => export::people(desk, operator, days, format, out)?,
        Records::Visits => export::visits(desk, operator, days, format, out)?,
        Records::Groups => export::groups(desk, operator, format, out)?,
        Records::Sessions => export::sessions(desk, operator, days, format, out)?,
        Records::Attendance => export::attendance(desk, operator, days, format, out)?,
        Records::Calls => export::calls(desk, operator, days, format, include_notes, out)?,
        Records::Callers => export::callers(desk, operator, format, include_notes, out)?,
        Records::Resources => export::resources(desk, operator, format, out)?,
        Records::Volunteers => export::volunteers(desk, operator, days, format, out)?,
        Records::Shifts => export::shifts(desk, operator, days, format, out)?,
        Records::Hours => export::volunteer_hours(desk, operator, days, format, out)?,
    };
    Ok(())
}
