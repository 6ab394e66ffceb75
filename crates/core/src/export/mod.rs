//! Exports a spreadsheet opens: CSV (header row, RFC 4180 quoting) or JSON, in the center's
//! local time, streamed so a ten-year history does not have to fit in memory.

mod front_desk;
mod groups;
mod volunteers;
mod warmline;

use std::io::Write;

use chrono::NaiveDate;
use chrono_tz::Tz;
use porchlight_protocol::spreadsheet::safe_cell;
use serde::Serialize;
use serde_json::Value;

use crate::access::{self, Action, Session};
use crate::audit::{self, AuditEvent};
use crate::{clock::day_bounds, Desk, Error, Result, Timestamp};

pub use self::front_desk::{people, visits};
pub use self::groups::{attendance, groups, sessions, sessions_calendar};
pub use self::volunteers::{shifts, shifts_calendar, volunteer_hours, volunteers};
pub use self::warmline::{callers, calls, resources};
use crate::error::CommonError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

/// Local days to include, inclusive at both ends; open ends mean "since the start" / "up to now".
#[derive(Debug, Clone, Copy, Default)]
pub struct Days {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Days {
    fn bounds(&self, zone: Tz) -> Result<(String, String)> {
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if from > to {
                return Err(Error::Common(CommonError::DateRangeReversed));
            }
        }
        let start = self.from.map(|day| day_bounds(day, zone)).transpose()?.map(|(start, _)| start.to_string());
        // Every stored time sorts below "~", so an open end includes everything.
        let end = self.to.map(|day| day_bounds(day, zone)).transpose()?.map(|(_, end)| end.to_string());
        let (start, end) = (start.unwrap_or_default(), end.unwrap_or_else(|| "~".into()));
        Ok((start, end))
    }
}

/// Runs an export if the session may, then notes in the audit log how many rows left the desk.
fn audited(
    desk: &mut Desk,
    session: &Session,
    action: Action,
    event: AuditEvent,
    export: impl FnOnce(&Desk) -> Result<usize>,
) -> Result<usize> {
    access::authorize(desk, session, action)?;
    let rows = export(desk)?;
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, action)?;
        let with_notes = if action == Action::ExportCallNotes { ", with their notes" } else { "" };
        audit::record(tx, now, &actor, event, None, &format!("{rows} rows{with_notes}"))
    })?;
    Ok(rows)
}

/// Local wall-clock time in the form spreadsheets read as a date and time.
fn local(at: Timestamp, zone: Tz) -> String {
    at.in_zone(zone).format("%Y-%m-%d %H:%M").to_string()
}

fn write_rows<R: ExportRow>(
    rows: impl Iterator<Item = rusqlite::Result<R>>,
    format: Format,
    mut out: impl Write,
) -> Result<usize> {
    let mut count = 0;
    match format {
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            for row in rows {
                if count == 0 {
                    writer.write_record(R::HEADER)?;
                }
                writer.write_record(csv_cells(&row?))?;
                count += 1;
            }
            if count == 0 {
                writer.write_record(R::HEADER)?;
            }
            writer.flush()?;
        }
        Format::Json => {
            out.write_all(b"[")?;
            for row in rows {
                out.write_all(if count == 0 { b"\n  " } else { b",\n  " })?;
                serde_json::to_writer(&mut out, &row?).map_err(std::io::Error::from)?;
                count += 1;
            }
            out.write_all(b"\n]\n")?;
            out.flush()?;
        }
    }
    Ok(count)
}

/// A row's values as CSV cells, in its header's order: text that a spreadsheet would take for a
/// formula is written as text ([`safe_cell`]).
fn csv_cells<R: ExportRow>(row: &R) -> Vec<String> {
    let Ok(Value::Object(mut fields)) = serde_json::to_value(row) else { return Vec::new() };
    R::HEADER
        .iter()
        .map(|name| match fields.remove(*name) {
            Some(Value::String(text)) => safe_cell(&text).into_owned(),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        })
        .collect()
}

/// The CSV header, written before the first row (or alone, for an export with no rows).
trait ExportRow: Serialize {
    const HEADER: &'static [&'static str];
}

/// The given days with open ends closed: from the first day anything can have happened to as
/// far ahead as the desk expands recurrences.
fn open_days(desk: &Desk, days: Days) -> Result<(NaiveDate, NaiveDate)> {
    let from = days.from.unwrap_or(NaiveDate::from_ymd_opt(1970, 1, 1).expect("a date"));
    let to = days.to.unwrap_or(desk.today()? + chrono::Duration::days(400));
    if from > to {
        return Err(Error::Common(CommonError::DateRangeReversed));
    }
    Ok((from, to))
}
