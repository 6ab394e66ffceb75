//! The volunteers' exports: the volunteers, their shifts (also as a calendar) and hours.

use std::io::Write;

use serde::Serialize;

use crate::access::{Action, Session};
use crate::audit::AuditEvent;
use crate::volunteers::{self, hours, shifts::Shift};
use crate::{calendar, settings, Desk, Result};

use super::{audited, local, open_days, write_rows, Days, ExportRow, Format};

#[derive(Serialize)]
struct VolunteerRow {
    volunteer_id: String,
    name: String,
    roles: String,
    started_on: String,
    contact_preference: Option<String>,
    active: bool,
    staff_account: Option<String>,
    credentials: String,
    /// Credited in the days asked for (every day when none).
    minutes: u32,
}

impl ExportRow for VolunteerRow {
    const HEADER: &'static [&'static str] = &[
        "volunteer_id",
        "name",
        "roles",
        "started_on",
        "contact_preference",
        "active",
        "staff_account",
        "credentials",
        "minutes",
    ];
}

/// Every volunteer, with their roles, credentials and the minutes credited on the given days.
/// Never their visits: those are the front desk's.
pub fn volunteers(desk: &mut Desk, session: &Session, days: Days, format: Format, out: impl Write) -> Result<usize> {
    audited(desk, session, Action::ExportVolunteers, AuditEvent::VolunteersExported, |desk| {
        let (from, to) = open_days(desk, days)?;
        let minutes = hours::minutes_by_volunteer(desk, (from, to))?;
        let mut statement = desk.conn().prepare(
            "SELECT v.id, p.display_name,
                (SELECT group_concat(name, '; ') FROM (SELECT r.name FROM volunteer_shift_roles x
                    JOIN shift_roles r ON r.id = x.role_id WHERE x.volunteer_id = v.id ORDER BY r.position)),
                v.started_on, v.contact_preference, v.active,
                (SELECT name FROM accounts a WHERE a.person_id = v.id ORDER BY a.created_at LIMIT 1),
                (SELECT group_concat(text, '; ') FROM (SELECT k.name || COALESCE(' until ' || c.expires_on, '') AS text
                    FROM volunteer_credentials c JOIN credential_kinds k ON k.id = c.kind_id
                    WHERE c.volunteer_id = v.id AND c.removed_at IS NULL ORDER BY k.position, c.expires_on))
             FROM volunteers v JOIN people p ON p.id = v.id ORDER BY p.display_name COLLATE NOCASE, v.id",
        )?;
        let rows = statement.query_map([], |row| {
            let id: String = row.get(0)?;
            Ok(VolunteerRow {
                minutes: minutes.get(&id).copied().unwrap_or(0),
                volunteer_id: id,
                name: row.get(1)?,
                roles: row.get::<_, Option<String>>(2)?.unwrap_or_default(),
                started_on: row.get(3)?,
                contact_preference: row.get(4)?,
                active: row.get(5)?,
                staff_account: row.get(6)?,
                credentials: row.get::<_, Option<String>>(7)?.unwrap_or_default(),
            })
        })?;
        write_rows(rows, format, out)
    })
}

#[derive(Serialize)]
struct ShiftRow {
    date: String,
    starts: String,
    ends: String,
    shift: String,
    role: String,
    location: Option<String>,
    needed_min: u32,
    needed_ideal: u32,
    held: u32,
    coverage: &'static str,
    cancelled: bool,
    cancel_reason: Option<String>,
    volunteers: String,
    shift_id: String,
    template_id: String,
}

impl ExportRow for ShiftRow {
    const HEADER: &'static [&'static str] = &[
        "date",
        "starts",
        "ends",
        "shift",
        "role",
        "location",
        "needed_min",
        "needed_ideal",
        "held",
        "coverage",
        "cancelled",
        "cancel_reason",
        "volunteers",
        "shift_id",
        "template_id",
    ];
}

/// Shifts that start on the given local days, with who holds them and how they are covered.
pub fn shifts(desk: &mut Desk, session: &Session, days: Days, format: Format, out: impl Write) -> Result<usize> {
    audited(desk, session, Action::ExportVolunteers, AuditEvent::VolunteersExported, |desk| {
        let zone = desk.zone()?;
        let rows = shifts_of(desk, days, None)?.into_iter().map(|shift| {
            Ok::<_, rusqlite::Error>(ShiftRow {
                date: shift.starts_at.in_zone(zone).format("%Y-%m-%d").to_string(),
                starts: local(shift.starts_at, zone),
                ends: local(shift.ends_at, zone),
                coverage: match shift.coverage {
                    volunteers::shifts::Coverage::Uncovered => "uncovered",
                    volunteers::shifts::Coverage::Under => "under",
                    volunteers::shifts::Coverage::Covered => "covered",
                    volunteers::shifts::Coverage::Over => "over",
                },
                volunteers: shift.holders.iter().map(|h| h.name.as_str()).collect::<Vec<_>>().join("; "),
                shift: shift.name,
                role: shift.role_name,
                location: shift.location,
                needed_min: shift.needed_min,
                needed_ideal: shift.needed_ideal,
                held: shift.held,
                cancelled: shift.cancelled,
                cancel_reason: shift.cancel_reason,
                shift_id: shift.id,
                template_id: shift.template_id,
            })
        });
        write_rows(rows, format, out)
    })
}

/// The shifts' calendar as RFC 5545 (see [`calendar`]): every shift on the given days, or the
/// ones `volunteer_id` holds.
pub fn shifts_calendar(
    desk: &mut Desk,
    session: &Session,
    days: Days,
    volunteer_id: Option<&str>,
    out: impl Write,
) -> Result<usize> {
    audited(desk, session, Action::ExportVolunteers, AuditEvent::VolunteersExported, |desk| {
        let events: Vec<calendar::Event> =
            shifts_of(desk, days, volunteer_id)?.iter().map(Shift::calendar_event).collect();
        let center = settings::get(desk)?.center_name;
        let name = match volunteer_id {
            Some(id) => format!("{center} shifts: {}", volunteers::get_in(desk, id, false)?.name),
            None => format!("{center} shifts"),
        };
        calendar::write(&events, desk.zone()?, &name, desk.now(), out)?;
        Ok(events.len())
    })
}

/// Every shift on the given local days (those one volunteer holds, when named); open ends
/// reach back to the first and ahead as far as the desk has expanded the templates.
fn shifts_of(desk: &Desk, days: Days, volunteer_id: Option<&str>) -> Result<Vec<Shift>> {
    if let Some(id) = volunteer_id {
        volunteers::ensure_volunteer(desk.conn(), id)?;
    }
    let (from, to) = open_days(desk, days)?;
    let shifts = volunteers::shifts::between_in(desk, from, to)?;
    Ok(match volunteer_id {
        Some(id) => shifts.into_iter().filter(|s| s.holders.iter().any(|h| h.volunteer_id == id)).collect(),
        None => shifts,
    })
}

#[derive(Serialize)]
struct HoursRow {
    date: String,
    volunteer: String,
    role: String,
    source: &'static str,
    what: String,
    minutes: u32,
    hours: String,
    no_show: bool,
    volunteer_id: String,
    record_id: String,
}

impl ExportRow for HoursRow {
    const HEADER: &'static [&'static str] =
        &["date", "volunteer", "role", "source", "what", "minutes", "hours", "no_show", "volunteer_id", "record_id"];
}

/// Hours credited on the given local days: one row per held shift (a no-show at 0) and per
/// hours logged outside shifts.
pub fn volunteer_hours(
    desk: &mut Desk,
    session: &Session,
    days: Days,
    format: Format,
    out: impl Write,
) -> Result<usize> {
    audited(desk, session, Action::ExportVolunteers, AuditEvent::VolunteersExported, |desk| {
        let (from, to) = open_days(desk, days)?;
        let rows = hours::credited(desk, from, to, None)?.into_iter().map(|credit| {
            Ok::<_, rusqlite::Error>(HoursRow {
                date: credit.day.to_string(),
                volunteer: credit.volunteer_name,
                role: credit.role_name,
                source: if credit.logged { "logged" } else { "shift" },
                what: credit.what,
                minutes: credit.minutes,
                hours: format!("{:.2}", f64::from(credit.minutes) / 60.0),
                no_show: credit.no_show,
                volunteer_id: credit.volunteer_id,
                record_id: credit.id,
            })
        });
        write_rows(rows, format, out)
    })
}
