//! The warmline's exports: calls (with their notes only for those allowed), callers and resources.

use std::io::Write;

use serde::Serialize;

use crate::access::{Action, Session};
use crate::audit::AuditEvent;
use crate::warmline::calls::Outcome;
use crate::warmline::resources;
use crate::{Desk, Result, Timestamp};

use super::{audited, local, write_rows, Days, ExportRow, Format};

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
