//! The front desk's exports: people registered and visits, by the local days they fell on.

use std::io::Write;

use serde::Serialize;

use crate::access::{Action, Session};
use crate::audit::AuditEvent;
use crate::{people, Desk, Result, Timestamp};

use super::{audited, local, write_rows, Days, ExportRow, Format};

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
