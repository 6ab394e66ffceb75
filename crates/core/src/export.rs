//! Exports a spreadsheet opens: CSV (header row, RFC 4180 quoting) or JSON, in the center's
//! local time, streamed so a ten-year history does not have to fit in memory.

use std::io::Write;

use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::Serialize;

use crate::access::{self, Action, Session};
use crate::audit::{self, AuditEvent};
use crate::{clock::day_bounds, people, Desk, Error, Result, Timestamp};

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
                return Err(Error::DateRangeReversed);
            }
        }
        let start = self.from.map(|day| day_bounds(day, zone).0.to_string()).unwrap_or_default();
        // Every stored time sorts below "~", so an open end includes everything.
        let end = self.to.map(|day| day_bounds(day, zone).1.to_string()).unwrap_or_else(|| "~".into());
        Ok((start, end))
    }
}

#[derive(Serialize)]
struct PersonRow {
    member_code: String,
    display_name: String,
    alias: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    birth_year: Option<i32>,
    pronouns: Option<String>,
    preferred_language: Option<String>,
    contact_consent: bool,
    registered_at: String,
    id: String,
}

#[derive(Serialize)]
struct VisitRow {
    date: String,
    checked_in: String,
    checked_out: Option<String>,
    minutes: Option<i64>,
    anonymous: bool,
    member_code: Option<String>,
    display_name: Option<String>,
    services: String,
    visit_id: String,
    person_id: Option<String>,
}

/// People registered on the given local days. The audit log records who took them out.
pub fn people(desk: &mut Desk, session: &Session, days: Days, format: Format, out: impl Write) -> Result<usize> {
    audited(desk, session, Action::ExportPeople, AuditEvent::PeopleExported, |desk| {
        write_people(desk, days, format, out)
    })
}

/// Visits that began on the given local days, with the services' names.
pub fn visits(desk: &mut Desk, session: &Session, days: Days, format: Format, out: impl Write) -> Result<usize> {
    audited(desk, session, Action::ExportVisits, AuditEvent::VisitsExported, |desk| {
        write_visits(desk, days, format, out)
    })
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
        audit::record(tx, now, &actor, event, None, &format!("{rows} rows"))
    })?;
    Ok(rows)
}

fn write_people(desk: &Desk, days: Days, format: Format, out: impl Write) -> Result<usize> {
    let zone = desk.zone()?;
    let (start, end) = days.bounds(zone)?;
    let contact_consent = people::CONTACT_CONSENT_OF_PEOPLE;
    let mut statement = desk.conn().prepare(&format!(
        "SELECT member_code, display_name, alias, phone, email, birth_year, pronouns, preferred_language,
                {contact_consent}, created_at, id
         FROM people WHERE created_at >= ?1 AND created_at < ?2 ORDER BY created_at, id"
    ))?;
    let rows = statement.query_map([start, end], |row| {
        Ok(PersonRow {
            member_code: row.get(0)?,
            display_name: row.get(1)?,
            alias: row.get(2)?,
            phone: row.get(3)?,
            email: row.get(4)?,
            birth_year: row.get(5)?,
            pronouns: row.get(6)?,
            preferred_language: row.get(7)?,
            contact_consent: row.get(8)?,
            registered_at: local(row.get(9)?, zone),
            id: row.get(10)?,
        })
    })?;
    write_rows(rows, format, out)
}

fn write_visits(desk: &Desk, days: Days, format: Format, out: impl Write) -> Result<usize> {
    let zone = desk.zone()?;
    let (start, end) = days.bounds(zone)?;
    let mut statement = desk.conn().prepare(
        "SELECT v.id, v.person_id, v.checked_in_at, v.checked_out_at, p.member_code, p.display_name,
                (SELECT group_concat(name, '; ') FROM
                    (SELECT s.name FROM visit_services vs JOIN services s ON s.id = vs.service_id
                     WHERE vs.visit_id = v.id ORDER BY s.position))
         FROM visits v LEFT JOIN people p ON p.id = v.person_id
         WHERE v.checked_in_at >= ?1 AND v.checked_in_at < ?2 ORDER BY v.checked_in_at, v.id",
    )?;
    let rows = statement.query_map([start, end], |row| {
        let checked_in: Timestamp = row.get(2)?;
        let checked_out: Option<Timestamp> = row.get(3)?;
        let person_id: Option<String> = row.get(1)?;
        Ok(VisitRow {
            date: checked_in.in_zone(zone).format("%Y-%m-%d").to_string(),
            checked_in: local(checked_in, zone),
            checked_out: checked_out.map(|at| local(at, zone)),
            minutes: checked_out.map(|at| (at.0 - checked_in.0).num_minutes()),
            anonymous: person_id.is_none(),
            member_code: row.get(4)?,
            display_name: row.get(5)?,
            services: row.get::<_, Option<String>>(6)?.unwrap_or_default(),
            visit_id: row.get(0)?,
            person_id,
        })
    })?;
    write_rows(rows, format, out)
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
                writer.serialize(row?)?;
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

/// The CSV header, for an export with no rows (csv writes it with the first row otherwise).
trait ExportRow: Serialize {
    const HEADER: &'static [&'static str];
}

impl ExportRow for PersonRow {
    const HEADER: &'static [&'static str] = &[
        "member_code",
        "display_name",
        "alias",
        "phone",
        "email",
        "birth_year",
        "pronouns",
        "preferred_language",
        "contact_consent",
        "registered_at",
        "id",
    ];
}

impl ExportRow for VisitRow {
    const HEADER: &'static [&'static str] = &[
        "date",
        "checked_in",
        "checked_out",
        "minutes",
        "anonymous",
        "member_code",
        "display_name",
        "services",
        "visit_id",
        "person_id",
    ];
}
