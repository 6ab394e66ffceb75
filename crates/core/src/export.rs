//! Exports a spreadsheet opens: CSV (header row, RFC 4180 quoting) or JSON, in the center's
//! local time, streamed so a ten-year history does not have to fit in memory.

use std::io::Write;

use chrono::NaiveDate;
use chrono_tz::Tz;
use porchlight_protocol::spreadsheet::safe_cell;
use serde::Serialize;
use serde_json::Value;

use crate::access::{self, Action, Session};
use crate::audit::{self, AuditEvent};
use crate::groups::{self, sessions::GroupSession};
use crate::volunteers::{self, hours, shifts::Shift};
use crate::warmline::calls::Outcome;
use crate::warmline::resources;
use crate::{calendar, clock::day_bounds, people, settings, Desk, Error, Result, Timestamp};

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
        let start = self.from.map(|day| day_bounds(day, zone)).transpose()?.map(|(start, _)| start.to_string());
        // Every stored time sorts below "~", so an open end includes everything.
        let end = self.to.map(|day| day_bounds(day, zone)).transpose()?.map(|(_, end)| end.to_string());
        let (start, end) = (start.unwrap_or_default(), end.unwrap_or_else(|| "~".into()));
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

/// The center's groups, with their schedules as RFC 5545 text.
pub fn groups(desk: &mut Desk, session: &Session, format: Format, out: impl Write) -> Result<usize> {
    audited(desk, session, Action::ExportGroups, AuditEvent::GroupsExported, |desk| {
        let conn = desk.conn();
        let mut statement = conn.prepare(
            "SELECT g.id, g.name, g.category, g.attendance_mode, g.status, g.room, g.capacity, s.name,
                (SELECT group_concat(name, '; ') FROM (SELECT a.name FROM group_facilitators f
                    JOIN accounts a ON a.id = f.account_id WHERE f.group_id = g.id ORDER BY a.name)),
                (SELECT recurrence FROM group_schedules WHERE group_id = g.id ORDER BY created_at DESC, id DESC LIMIT 1),
                (SELECT duration_minutes FROM group_schedules WHERE group_id = g.id ORDER BY created_at DESC, id DESC LIMIT 1),
                g.created_at
             FROM center_groups g LEFT JOIN services s ON s.id = g.service_id ORDER BY g.name COLLATE NOCASE, g.id",
        )?;
        let zone = desk.zone()?;
        let rows = statement.query_map([], |row| {
            Ok(GroupRow {
                group_id: row.get(0)?,
                name: row.get(1)?,
                category: row.get(2)?,
                attendance_mode: row.get(3)?,
                status: row.get(4)?,
                room: row.get(5)?,
                capacity: row.get(6)?,
                service: row.get(7)?,
                facilitators: row.get::<_, Option<String>>(8)?.unwrap_or_default(),
                recurrence: row.get(9)?,
                duration_minutes: row.get(10)?,
                created_at: local(row.get(11)?, zone),
            })
        })?;
        write_rows(rows, format, out)
    })
}

/// Sessions that start on the given local days (cancelled ones included), with their counts.
pub fn sessions(desk: &mut Desk, session: &Session, days: Days, format: Format, out: impl Write) -> Result<usize> {
    audited(desk, session, Action::ExportGroups, AuditEvent::GroupsExported, |desk| {
        let zone = desk.zone()?;
        let now = desk.now();
        let rows = sessions_of(desk, days)?.into_iter().map(|s| {
            Ok::<_, rusqlite::Error>(SessionRow {
                date: s.starts_at.in_zone(zone).format("%Y-%m-%d").to_string(),
                starts: local(s.starts_at, zone),
                ends: local(s.ends_at, zone),
                group: s.group_name.clone(),
                status: if s.cancelled {
                    "cancelled"
                } else if s.starts_at <= now {
                    "held"
                } else {
                    "upcoming"
                },
                cancel_reason: s.cancel_reason.clone(),
                room: s.room.clone(),
                facilitators: s.facilitators.join("; "),
                substitute: s.substitute_name.clone(),
                present: s.present,
                anonymous: s.anonymous_count,
                total: s.attendance(),
                topic: s.topic.clone(),
                session_id: s.id.clone(),
                group_id: s.group_id,
            })
        });
        write_rows(rows, format, out)
    })
}

/// The sessions' calendar as RFC 5545 (see [`calendar`]): every session on the given days.
pub fn sessions_calendar(desk: &mut Desk, session: &Session, days: Days, out: impl Write) -> Result<usize> {
    audited(desk, session, Action::ExportGroups, AuditEvent::GroupsExported, |desk| {
        let events: Vec<calendar::Event> = sessions_of(desk, days)?.iter().map(GroupSession::calendar_event).collect();
        let name = format!("{} groups", settings::get(desk)?.center_name);
        calendar::write(&events, desk.zone()?, &name, desk.now(), out)?;
        Ok(events.len())
    })
}

/// Attendance on sessions that start on the given local days: one row per person marked, and
/// one with no person for each session's anonymous headcount. A headcount-only group's rows
/// never name anyone.
pub fn attendance(desk: &mut Desk, session: &Session, days: Days, format: Format, out: impl Write) -> Result<usize> {
    audited(desk, session, Action::ExportGroups, AuditEvent::GroupsExported, |desk| {
        let zone = desk.zone()?;
        let (start, end) = days.bounds(zone)?;
        let mut statement = desk.conn().prepare(
            "SELECT s.id, g.name, s.starts_at, t.person_id, t.state, NULL, s.cancelled
             FROM attendance t JOIN group_sessions s ON s.id = t.session_id JOIN center_groups g ON g.id = s.group_id
             WHERE s.starts_at >= ?1 AND s.starts_at < ?2 AND g.attendance_mode != 'headcount'
               AND t.state != 'not_recorded'
             UNION ALL
             SELECT s.id, g.name, s.starts_at, NULL, 'anonymous', s.anonymous_count, s.cancelled
             FROM group_sessions s JOIN center_groups g ON g.id = s.group_id
             WHERE s.starts_at >= ?1 AND s.starts_at < ?2 AND s.anonymous_count IS NOT NULL
             ORDER BY 3, 1, 4 NULLS LAST",
        )?;
        let rows = statement.query_map([start, end], |row| {
            let starts_at: Timestamp = row.get(2)?;
            Ok(AttendanceRow {
                session_id: row.get(0)?,
                group: row.get(1)?,
                date: starts_at.in_zone(zone).format("%Y-%m-%d").to_string(),
                person_id: row.get(3)?,
                state: row.get(4)?,
                headcount: row.get(5)?,
                session_cancelled: row.get(6)?,
            })
        })?;
        write_rows(rows, format, out)
    })
}

/// Every session on the given local days; open ends reach back to the first and ahead as far
/// as the desk has expanded its schedules (400 days).
fn sessions_of(desk: &Desk, days: Days) -> Result<Vec<GroupSession>> {
    let (from, to) = open_days(desk, days)?;
    groups::sessions::between_in(desk, None, from, to, None)
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

/// The warmline's exports leave out every narrative field unless an admin asks for them.
fn warmline_action(include_notes: bool) -> Action {
    if include_notes {
        Action::ExportCallNotes
    } else {
        Action::ExportWarmline
    }
}

#[derive(Serialize)]
struct CallRow {
    date: String,
    started: String,
    ended: String,
    duration_seconds: u32,
    call_type: String,
    kind: String,
    caller_alias: Option<String>,
    first_time: Option<bool>,
    taken_by: String,
    topics: String,
    referrals: String,
    outcome: Option<String>,
    escalated: bool,
    /// Empty unless notes were asked for, like `notes`.
    escalation_reason: Option<String>,
    notes: Option<String>,
    call_id: String,
    caller_id: Option<String>,
}

impl ExportRow for CallRow {
    const HEADER: &'static [&'static str] = &[
        "date",
        "started",
        "ended",
        "duration_seconds",
        "call_type",
        "kind",
        "caller_alias",
        "first_time",
        "taken_by",
        "topics",
        "referrals",
        "outcome",
        "escalated",
        "escalation_reason",
        "notes",
        "call_id",
        "caller_id",
    ];
}

/// Warmline calls that started on the given local days, oldest first. Notes and escalation
/// reasons only with `include_notes` (admins, by password).
pub fn calls(
    desk: &mut Desk,
    session: &Session,
    days: Days,
    format: Format,
    include_notes: bool,
    out: impl Write,
) -> Result<usize> {
    audited(desk, session, warmline_action(include_notes), AuditEvent::WarmlineExported, |desk| {
        let zone = desk.zone()?;
        let (start, end) = days.bounds(zone)?;
        let mut statement = desk.conn().prepare(
            "SELECT k.started_at, k.ended_at, k.duration_seconds, t.name, t.kind, c.alias,
                CASE WHEN k.caller_id IS NULL THEN NULL ELSE NOT EXISTS (SELECT 1 FROM warmline_calls e
                     WHERE e.caller_id = k.caller_id AND e.started_at < k.started_at) END,
                COALESCE(a.name, ''),
                (SELECT group_concat(name, '; ') FROM (SELECT p.name FROM warmline_call_topics x
                    JOIN warmline_topics p ON p.id = x.topic_id WHERE x.call_id = k.id ORDER BY p.position)),
                (SELECT group_concat(name, '; ') FROM (SELECT r.name FROM warmline_call_referrals x
                    JOIN warmline_resources r ON r.id = x.resource_id WHERE x.call_id = k.id ORDER BY r.name)),
                k.outcome, k.escalated, k.escalation_reason, k.notes, k.id, k.caller_id
             FROM warmline_calls k JOIN warmline_call_types t ON t.id = k.call_type_id
             LEFT JOIN warmline_callers c ON c.id = k.caller_id LEFT JOIN accounts a ON a.id = k.taken_by
             WHERE k.started_at >= ?1 AND k.started_at < ?2 ORDER BY k.started_at, k.id",
        )?;
        let rows = statement.query_map([start, end], |row| {
            let started: Timestamp = row.get(0)?;
            Ok(CallRow {
                date: started.in_zone(zone).format("%Y-%m-%d").to_string(),
                started: local(started, zone),
                ended: local(row.get(1)?, zone),
                duration_seconds: row.get(2)?,
                call_type: row.get(3)?,
                kind: row.get(4)?,
                caller_alias: row.get(5)?,
                first_time: row.get(6)?,
                taken_by: row.get(7)?,
                topics: row.get::<_, Option<String>>(8)?.unwrap_or_default(),
                referrals: row.get::<_, Option<String>>(9)?.unwrap_or_default(),
                // In words, as the funder's figures name it: "Information or referral given".
                outcome: row
                    .get::<_, Option<String>>(10)?
                    .and_then(|code| code.parse::<Outcome>().ok())
                    .map(|outcome| outcome.label().to_owned()),
                escalated: row.get(11)?,
                escalation_reason: if include_notes { row.get(12)? } else { None },
                notes: if include_notes { row.get(13)? } else { None },
                call_id: row.get(14)?,
                caller_id: row.get(15)?,
            })
        })?;
        write_rows(rows, format, out)
    })
}

#[derive(Serialize)]
struct CallerRow {
    caller_id: String,
    alias: String,
    first_call: Option<String>,
    last_call: Option<String>,
    calls: u32,
    open_follow_ups: u32,
    on_hold: bool,
    /// Empty unless notes were asked for, like `flags`.
    what_helps: Option<String>,
    flags: String,
    added_at: String,
}

impl ExportRow for CallerRow {
    const HEADER: &'static [&'static str] = &[
        "caller_id",
        "alias",
        "first_call",
        "last_call",
        "calls",
        "open_follow_ups",
        "on_hold",
        "what_helps",
        "flags",
        "added_at",
    ];
}

/// Every warmline caller, by alias. "What helps" and flags only with `include_notes`.
pub fn callers(
    desk: &mut Desk,
    session: &Session,
    format: Format,
    include_notes: bool,
    out: impl Write,
) -> Result<usize> {
    audited(desk, session, warmline_action(include_notes), AuditEvent::WarmlineExported, |desk| {
        let zone = desk.zone()?;
        let mut statement = desk.conn().prepare(
            "SELECT c.id, c.alias,
                (SELECT MIN(started_at) FROM warmline_calls k WHERE k.caller_id = c.id),
                (SELECT MAX(started_at) FROM warmline_calls k WHERE k.caller_id = c.id),
                (SELECT COUNT(*) FROM warmline_calls k WHERE k.caller_id = c.id),
                (SELECT COUNT(*) FROM warmline_follow_ups f JOIN warmline_calls k ON k.id = f.call_id
                 WHERE k.caller_id = c.id AND f.completed_at IS NULL),
                c.held_at IS NOT NULL,
                (SELECT text FROM warmline_caller_notes n WHERE n.caller_id = c.id ORDER BY written_at DESC, id DESC LIMIT 1),
                (SELECT group_concat(text || ' (until ' || until || ')', '; ') FROM warmline_caller_flags f
                 WHERE f.caller_id = c.id AND f.removed_at IS NULL AND f.text IS NOT NULL),
                c.created_at
             FROM warmline_callers c ORDER BY c.alias, c.id",
        )?;
        let rows = statement.query_map([], |row| {
            Ok(CallerRow {
                caller_id: row.get(0)?,
                alias: row.get(1)?,
                first_call: row.get::<_, Option<Timestamp>>(2)?.map(|at| local(at, zone)),
                last_call: row.get::<_, Option<Timestamp>>(3)?.map(|at| local(at, zone)),
                calls: row.get(4)?,
                open_follow_ups: row.get(5)?,
                on_hold: row.get(6)?,
                what_helps: if include_notes { row.get(7)? } else { None },
                flags: if include_notes { row.get::<_, Option<String>>(8)?.unwrap_or_default() } else { String::new() },
                added_at: local(row.get(9)?, zone),
            })
        })?;
        write_rows(rows, format, out)
    })
}

#[derive(Serialize)]
struct ResourceRow {
    resource_id: String,
    name: String,
    category: Option<String>,
    phone: Option<String>,
    address: Option<String>,
    hours: Option<String>,
    notes: Option<String>,
    standing: bool,
    retired: bool,
}

impl ExportRow for ResourceRow {
    const HEADER: &'static [&'static str] =
        &["resource_id", "name", "category", "phone", "address", "hours", "notes", "standing", "retired"];
}

/// The warmline's resource directory, retired resources included.
pub fn resources(desk: &mut Desk, session: &Session, format: Format, out: impl Write) -> Result<usize> {
    audited(desk, session, Action::ExportWarmline, AuditEvent::WarmlineExported, |desk| {
        let rows = resources::by_name(desk.conn())?.into_iter().map(|resource| {
            Ok(ResourceRow {
                resource_id: resource.id,
                name: resource.name,
                category: resource.category,
                phone: resource.phone,
                address: resource.address,
                hours: resource.hours,
                notes: resource.notes,
                standing: resource.standing,
                retired: resource.retired,
            })
        });
        write_rows(rows, format, out)
    })
}

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

/// The given days with open ends closed: from the first day anything can have happened to as
/// far ahead as the desk expands recurrences.
fn open_days(desk: &Desk, days: Days) -> Result<(NaiveDate, NaiveDate)> {
    let from = days.from.unwrap_or(NaiveDate::from_ymd_opt(1970, 1, 1).expect("a date"));
    let to = days.to.unwrap_or(desk.today()? + chrono::Duration::days(400));
    if from > to {
        return Err(Error::DateRangeReversed);
    }
    Ok((from, to))
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

#[derive(Serialize)]
struct GroupRow {
    group_id: String,
    name: String,
    category: String,
    attendance_mode: String,
    status: String,
    room: Option<String>,
    capacity: Option<u32>,
    service: Option<String>,
    facilitators: String,
    recurrence: Option<String>,
    duration_minutes: Option<u32>,
    created_at: String,
}

#[derive(Serialize)]
struct SessionRow {
    date: String,
    starts: String,
    ends: String,
    group: String,
    status: &'static str,
    cancel_reason: Option<String>,
    room: Option<String>,
    facilitators: String,
    substitute: Option<String>,
    present: u32,
    anonymous: Option<u32>,
    total: u32,
    topic: Option<String>,
    session_id: String,
    group_id: String,
}

#[derive(Serialize)]
struct AttendanceRow {
    session_id: String,
    group: String,
    date: String,
    person_id: Option<String>,
    state: String,
    headcount: Option<u32>,
    /// Marks kept on a session cancelled afterwards: not attendance in any figure.
    session_cancelled: bool,
}

impl ExportRow for GroupRow {
    const HEADER: &'static [&'static str] = &[
        "group_id",
        "name",
        "category",
        "attendance_mode",
        "status",
        "room",
        "capacity",
        "service",
        "facilitators",
        "recurrence",
        "duration_minutes",
        "created_at",
    ];
}

impl ExportRow for SessionRow {
    const HEADER: &'static [&'static str] = &[
        "date",
        "starts",
        "ends",
        "group",
        "status",
        "cancel_reason",
        "room",
        "facilitators",
        "substitute",
        "present",
        "anonymous",
        "total",
        "topic",
        "session_id",
        "group_id",
    ];
}

impl ExportRow for AttendanceRow {
    const HEADER: &'static [&'static str] =
        &["session_id", "group", "date", "person_id", "state", "headcount", "session_cancelled"];
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
