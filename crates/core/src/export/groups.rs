//! The groups' exports: the groups, their sessions (also as a calendar) and attendance.

use std::io::Write;

use serde::Serialize;

use crate::access::{Action, Session};
use crate::audit::AuditEvent;
use crate::groups::{self, sessions::GroupSession};
use crate::{calendar, settings, Desk, Result, Timestamp};

use super::{audited, local, open_days, write_rows, Days, ExportRow, Format};

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
