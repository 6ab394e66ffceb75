//! A group's sessions: the meetings its schedules yield. A session is an occurrence, not a
//! copy: it is named by its group and local start ([`session_id`]), and becomes a record only
//! when someone does something with it (takes attendance, cancels, moves it, names a
//! substitute), so two desks that open "Tuesday's meeting" while apart hold the same one.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{leads, only_own, own_account, AttendanceMode, Category};
use crate::access::{self, AccessError, Action, Actor, Session};
use crate::audit::{self, AuditEvent};
use crate::calendar;
use crate::clock::day_bounds;
use crate::error::CommonError;
use crate::groups::GroupsError;
use crate::recurrence::{derived_id, local_to_utc, RecurrenceError};
use crate::sync::entity::Table;
use crate::{text, Desk, Error, Result, Timestamp};

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct GroupSession {
    pub id: String,
    pub group_id: String,
    pub group_name: String,
    pub category: Category,
    pub attendance_mode: AttendanceMode,
    /// The local start it is named by, `2026-12-01T18:00`: where the schedule put it.
    pub local_start: String,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    /// Moved from where the schedule put it.
    pub moved: bool,
    pub room: Option<String>,
    pub facilitators: Vec<String>,
    pub substitute_id: Option<String>,
    pub substitute_name: Option<String>,
    pub cancelled: bool,
    pub cancel_reason: Option<String>,
    pub capacity: Option<u32>,
    /// People marked present by name.
    pub present: u32,
    /// People counted without a name; `None` until someone counts.
    pub anonymous_count: Option<u32>,
    pub topic: Option<String>,
    pub note: Option<String>,
}

impl GroupSession {
    pub fn attendance(&self) -> u32 {
        self.present + self.anonymous_count.unwrap_or(0)
    }

    /// More came than the room holds: allowed, and shown on the session.
    pub fn over_capacity(&self) -> bool {
        self.capacity.is_some_and(|capacity| self.attendance() > capacity)
    }

    /// The session in the center's meeting calendar.
    pub(crate) fn calendar_event(&self) -> calendar::Event {
        let mut description = Vec::new();
        if let Some(substitute) = &self.substitute_name {
            description.push(format!("Facilitator: {substitute} (standing in)"));
        } else if !self.facilitators.is_empty() {
            description.push(format!("Facilitators: {}", self.facilitators.join(", ")));
        }
        if let Some(reason) = self.cancel_reason.as_ref().filter(|_| self.cancelled) {
            description.push(format!("Did not meet: {reason}"));
        }
        calendar::Event {
            id: self.id.clone(),
            summary: self.group_name.clone(),
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            location: self.room.clone(),
            description,
            cancelled: self.cancelled,
        }
    }
}

/// A session's changes travel field by field: the headcount and the topic merge as fields.
pub(crate) const SYNCED: Table = Table {
    entity: "group_session",
    table: "group_sessions",
    describe: Some(
        "SELECT g.name || ', ' || replace(s.local_start, 'T', ' ') FROM group_sessions s
         JOIN center_groups g ON g.id = s.group_id WHERE s.id = ?1",
    ),
    columns: &[
        "group_id",
        "local_start",
        "starts_at",
        "ends_at",
        "cancelled",
        "cancel_reason",
        "substitute_id",
        "room",
        "topic",
        "note",
        "anonymous_count",
    ],
    ..Table::PLAIN
};

/// The id of the session `group_id` holds at `local_start`, the same on every desk: a UUIDv7
/// whose time is the local start and whose other bits are a hash of both.
pub(crate) fn session_id(group_id: &str, local_start: &str) -> String {
    derived_id(&format!("session/{group_id}/{local_start}"), local_start)
}

/// What the lists select: the occurrence, overlaid by the session's record where it has one.
const SESSION_COLUMNS: &str = "s.id, g.id, g.name, g.category, g.attendance_mode, s.local_start,
    COALESCE(r.starts_at, s.starts_at), COALESCE(r.ends_at, s.ends_at),
    r.starts_at IS NOT NULL AND r.starts_at != s.starts_at,
    COALESCE(r.room, g.room),
    (SELECT group_concat(name, ', ') FROM (SELECT a.name FROM group_facilitators f JOIN accounts a ON a.id = f.account_id
        WHERE f.group_id = g.id ORDER BY a.name COLLATE NOCASE)),
    r.substitute_id, (SELECT name FROM accounts WHERE id = r.substitute_id),
    COALESCE(r.cancelled, 0), r.cancel_reason, g.capacity,
    (SELECT COUNT(*) FROM attendance t WHERE t.session_id = s.id AND t.state = 'present'),
    r.anonymous_count, r.topic, r.note";

/// Occurrences of the schedules, and session records: those the schedule no longer yields
/// stay while they hold attendance. `?1..?2` bound the start; `?3` is a facilitator whose
/// groups alone are listed (NULL for all); `?4` one group (NULL for all); `?5` is now (a paused
/// or ended group's sessions to come are not listed).
const SESSIONS_BETWEEN: &str = "
    SELECT o.session_id AS id, o.group_id, o.local_start, o.starts_at, o.ends_at
    FROM group_occurrences o JOIN center_groups gs ON gs.id = o.group_id
    WHERE o.starts_at >= ?1 AND o.starts_at < ?2 AND (?4 IS NULL OR o.group_id = ?4)
      AND (gs.status = 'active' OR o.starts_at < ?5)
      AND NOT EXISTS (SELECT 1 FROM group_sessions moved WHERE moved.id = o.session_id)
    UNION ALL
    SELECT r.id, r.group_id, r.local_start, COALESCE(o.starts_at, r.starts_at), COALESCE(o.ends_at, r.ends_at)
    FROM group_sessions r LEFT JOIN group_occurrences o ON o.session_id = r.id
    WHERE r.starts_at >= ?1 AND r.starts_at < ?2 AND (?4 IS NULL OR r.group_id = ?4)
      AND (o.session_id IS NOT NULL OR r.anonymous_count IS NOT NULL
           OR EXISTS (SELECT 1 FROM attendance t WHERE t.session_id = r.id AND t.state != 'not_recorded'))";

/// Who may see a session `s` of group `g` (its record `r`, if any): `?3`, a facilitator of the
/// group or its substitute; everyone when `?3` is NULL.
pub(super) const VISIBLE_TO: &str = "?3 IS NULL OR r.substitute_id = ?3
    OR EXISTS (SELECT 1 FROM group_facilitators f WHERE f.group_id = g.id AND f.account_id = ?3)";

/// `select` from the sessions `?1..?5` bound (see [`SESSIONS_BETWEEN`]) that `?3` may see, each
/// as `s` with its group `g` and record `r`; then `rest` (an ORDER BY or GROUP BY).
pub(super) fn visible_between(select: &str, rest: &str) -> String {
    format!(
        "SELECT {select} FROM ({SESSIONS_BETWEEN}) s
         JOIN center_groups g ON g.id = s.group_id
         LEFT JOIN group_sessions r ON r.id = s.id
         WHERE {VISIBLE_TO}
         {rest}"
    )
}

fn from_row(row: &Row) -> rusqlite::Result<GroupSession> {
    let names: Option<String> = row.get(10)?;
    Ok(GroupSession {
        id: row.get(0)?,
        group_id: row.get(1)?,
        group_name: row.get(2)?,
        category: text::parse_or(row.get::<_, String>(3)?, Category::Other),
        attendance_mode: text::parse_or(row.get::<_, String>(4)?, AttendanceMode::Named),
        local_start: row.get(5)?,
        starts_at: row.get(6)?,
        ends_at: row.get(7)?,
        moved: row.get(8)?,
        room: row.get(9)?,
        facilitators: names.map(|n| n.split(", ").map(str::to_owned).collect()).unwrap_or_default(),
        substitute_id: row.get(11)?,
        substitute_name: row.get(12)?,
        cancelled: row.get(13)?,
        cancel_reason: row.get(14)?,
        capacity: row.get(15)?,
        present: row.get(16)?,
        anonymous_count: row.get(17)?,
        topic: row.get(18)?,
        note: row.get(19)?,
    })
}

/// The sessions starting on local days `from..=to`, for the groups the session may see: a
/// facilitator sees their own groups' (and those they stand in for), everyone else every group's.
pub fn between(desk: &Desk, session: &Session, from: NaiveDate, to: NaiveDate) -> Result<Vec<GroupSession>> {
    let actor = access::authorize_own(desk, session, Action::SeeSessions, session.account_id())?;
    between_in(desk, only_own(&actor, Action::SeeSessions), from, to, None)
}

/// The facilitator's (or coordinator's) first screen: today and the next 7 days.
pub fn upcoming(desk: &Desk, session: &Session) -> Result<Vec<GroupSession>> {
    let today = desk.today()?;
    between(desk, session, today, today + Duration::days(7))
}

/// A group's sessions on local days `from..=to`, newest last.
pub fn of_group(
    desk: &Desk,
    session: &Session,
    group_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<GroupSession>> {
    access::authorize_own(desk, session, Action::SeeSessions, own_account(desk.conn(), group_id, session)?)?;
    between_in(desk, None, from, to, Some(group_id))
}

pub(crate) fn between_in(
    desk: &Desk,
    only: Option<String>,
    from: NaiveDate,
    to: NaiveDate,
    group_id: Option<&str>,
) -> Result<Vec<GroupSession>> {
    if from > to {
        return Err(Error::Common(CommonError::DateRangeReversed));
    }
    let zone = desk.zone()?;
    let (start, end) = (day_bounds(from, zone)?.0, day_bounds(to, zone)?.1);
    let mut statement = desk.conn().prepare_cached(&visible_between(
        SESSION_COLUMNS,
        "ORDER BY COALESCE(r.starts_at, s.starts_at), g.name COLLATE NOCASE",
    ))?;
    let rows = statement.query_map(params![start, end, only, group_id, desk.now()], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One session, as its roster shows it.
pub(crate) fn get_in(conn: &Connection, id: &str) -> Result<GroupSession> {
    let sql = format!(
        "SELECT {SESSION_COLUMNS} FROM (
            SELECT session_id AS id, group_id, local_start, starts_at, ends_at FROM group_occurrences WHERE session_id = ?1
            UNION ALL
            SELECT id, group_id, local_start, starts_at, ends_at FROM group_sessions
            WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM group_occurrences WHERE session_id = ?1)
         ) s
         JOIN center_groups g ON g.id = s.group_id LEFT JOIN group_sessions r ON r.id = s.id"
    );
    conn.prepare_cached(&sql)?.query_row([id], from_row).optional()?.ok_or(Error::Groups(GroupsError::SessionNotFound))
}

/// The session's record, made from its occurrence the first time someone acts on it.
pub(crate) fn materialize(tx: &Transaction, id: &str) -> Result<GroupSession> {
    let session = get_in(tx, id)?;
    tx.prepare_cached(
        "INSERT INTO group_sessions (id, group_id, local_start, starts_at, ends_at)
         SELECT ?1, ?2, ?3, ?4, ?5 WHERE NOT EXISTS (SELECT 1 FROM group_sessions WHERE id = ?1)",
    )?
    .execute(params![id, session.group_id, session.local_start, session.starts_at, session.ends_at])?;
    Ok(session)
}

/// Checks the session may act on this session under `action`: a facilitator on their own
/// groups' sessions and those they stand in for.
pub(crate) fn authorize_on(tx: &Transaction, session: &Session, action: Action, on: &GroupSession) -> Result<Actor> {
    let account = session.account_id();
    let own = (on.substitute_id.as_deref() == account && account.is_some()) || leads(tx, &on.group_id, account)?;
    access::authorize_own_in(tx, session, action, if own { account } else { None })
}

/// "Did not meet": the session is cancelled with a reason, the schedule untouched.
pub fn cancel(desk: &mut Desk, session: &Session, id: &str, reason: &str) -> Result<GroupSession> {
    let reason = text::optional(Some(reason), "cancel_reason", "Reason", 200)?
        .ok_or(Error::Recurrence(RecurrenceError::CancelReasonRequired))?;
    desk.write(|tx, now| {
        let on = materialize(tx, id)?;
        let actor = authorize_on(tx, session, Action::CancelSession, &on)?;
        tx.execute("UPDATE group_sessions SET cancelled = 1, cancel_reason = ?2 WHERE id = ?1", params![id, reason])?;
        audit::record(tx, now, &actor, AuditEvent::SessionChanged, Some(id), &format!("cancelled: {reason}"))
    })?;
    get_in(desk.conn(), id)
}

/// Takes back a cancellation: the session meets after all.
pub fn restore(desk: &mut Desk, session: &Session, id: &str) -> Result<GroupSession> {
    desk.write(|tx, now| {
        let on = materialize(tx, id)?;
        let actor = authorize_on(tx, session, Action::CancelSession, &on)?;
        tx.execute("UPDATE group_sessions SET cancelled = 0, cancel_reason = NULL WHERE id = ?1", [id])?;
        audit::record(tx, now, &actor, AuditEvent::SessionChanged, Some(id), "meets after all")
    })?;
    get_in(desk.conn(), id)
}

/// Moves one session to another local time (and room), keeping its length and its name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SessionMove {
    /// Local date and time, `2026-12-03T18:00`.
    pub starts_at_local: String,
    pub room: Option<String>,
}

pub fn move_session(desk: &mut Desk, session: &Session, id: &str, to: &SessionMove) -> Result<GroupSession> {
    let local = NaiveDateTime::parse_from_str(to.starts_at_local.trim(), "%Y-%m-%dT%H:%M")
        .map_err(|_| Error::Recurrence(RecurrenceError::InvalidTime(to.starts_at_local.clone())))?;
    let room = text::optional(to.room.as_deref(), "room", "Room", 60)?;
    let zone = desk.zone()?;
    desk.write(|tx, now| {
        let on = materialize(tx, id)?;
        let actor = authorize_on(tx, session, Action::ManageGroups, &on)?;
        let starts_at = local_to_utc(local, zone);
        let ends_at = Timestamp(starts_at.0 + (on.ends_at.0 - on.starts_at.0));
        tx.execute(
            "UPDATE group_sessions SET starts_at = ?2, ends_at = ?3, room = ?4 WHERE id = ?1",
            params![id, starts_at, ends_at, room],
        )?;
        audit::record(tx, now, &actor, AuditEvent::SessionChanged, Some(id), &format!("moved to {local}"))
    })?;
    get_in(desk.conn(), id)
}

/// Names who stands in for the facilitators at one session (`None`: nobody).
pub fn set_substitute(desk: &mut Desk, session: &Session, id: &str, account_id: Option<&str>) -> Result<GroupSession> {
    desk.write(|tx, now| {
        let on = materialize(tx, id)?;
        let actor = authorize_on(tx, session, Action::ManageGroups, &on)?;
        if let Some(account_id) = account_id {
            if !tx.prepare_cached("SELECT 1 FROM accounts WHERE id = ?1")?.exists([account_id])? {
                return Err(Error::Access(AccessError::AccountNotFound));
            }
        }
        tx.execute("UPDATE group_sessions SET substitute_id = ?2 WHERE id = ?1", params![id, account_id])?;
        audit::record(tx, now, &actor, AuditEvent::SessionChanged, Some(id), "substitute facilitator")
    })?;
    get_in(desk.conn(), id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::groups::{self, Schedule};
    use crate::testkit::{desk_at, smart_recovery, tuesdays, OPERATOR};
    use uuid::Uuid;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_calendar_reaching_past_the_days_a_desk_holds_is_refused_not_answered_with_everything() {
        let desk = desk_at("2026-11-23T20:00:00Z");
        for (from, to) in [("2026-11-23", "9999-12-30"), ("0001-01-01", "2026-11-23")] {
            let refused = between(&desk, &OPERATOR, day(from), day(to)).unwrap_err();
            assert!(matches!(refused, Error::Common(CommonError::DayNotHeld { .. })), "{refused}");
        }
        assert!(between(&desk, &OPERATOR, day("1900-01-01"), day("2999-12-31")).is_ok());
    }

    #[test]
    fn a_sessions_id_is_its_group_and_local_start_on_every_desk() {
        let id = session_id("g1", "2026-12-01T18:00");
        assert_eq!(id, session_id("g1", "2026-12-01T18:00"));
        assert_ne!(id, session_id("g1", "2026-12-08T18:00"));
        assert_ne!(id, session_id("g2", "2026-12-01T18:00"));
        let uuid: Uuid = id.parse().unwrap();
        assert_eq!(uuid.get_version_num(), 7);
    }

    #[test]
    fn this_weeks_sessions_and_one_cancelled_moved_or_given_a_substitute() {
        // Tuesday 24 November 2026, 8 am in Chicago: today and the next 7 days hold two Tuesdays.
        let mut desk = desk_at("2026-11-24T14:00:00Z");
        let group = groups::create(&mut desk, &OPERATOR, &smart_recovery(), Some(&tuesdays("2026-11-03"))).unwrap();
        let week = upcoming(&desk, &OPERATOR).unwrap();
        let days: Vec<&str> = week.iter().map(|s| &s.local_start[..10]).collect();
        assert_eq!(days, ["2026-11-24", "2026-12-01"]);
        assert_eq!(week[0].room.as_deref(), Some("Room B"));
        assert_eq!(week[0].starts_at.to_string(), "2026-11-25T00:00:00.000Z", "6 pm in Chicago");

        let cancelled = cancel(&mut desk, &OPERATOR, &week[0].id, "Thanksgiving week").unwrap();
        assert!(cancelled.cancelled);
        assert!(matches!(
            cancel(&mut desk, &OPERATOR, &week[1].id, " "),
            Err(Error::Recurrence(RecurrenceError::CancelReasonRequired))
        ));
        let moved = move_session(
            &mut desk,
            &OPERATOR,
            &week[1].id,
            &SessionMove { starts_at_local: "2026-12-01T17:00".into(), room: Some("Hall".into()) },
        )
        .unwrap();
        assert!(moved.moved);
        assert_eq!((moved.id.as_str(), moved.local_start.as_str()), (week[1].id.as_str(), "2026-12-01T18:00"));
        assert_eq!(moved.ends_at.0 - moved.starts_at.0, Duration::minutes(90));

        let after = upcoming(&desk, &OPERATOR).unwrap();
        assert_eq!(after.len(), 2, "moved, not copied");
        assert!(after[0].cancelled && after[1].moved);
        assert_eq!(after[1].room.as_deref(), Some("Hall"));
        assert!(groups::get(&desk, &OPERATOR, &group.id).unwrap().schedule.is_some());
    }

    #[test]
    fn a_new_schedule_changes_the_future_and_keeps_what_met() {
        let mut desk = desk_at("2026-11-23T14:00:00Z");
        let group = groups::create(&mut desk, &OPERATOR, &smart_recovery(), Some(&tuesdays("2026-11-03"))).unwrap();
        let thursdays = Schedule { weekdays: vec![groups::Weekday::Thursday], ..tuesdays("2026-11-23") };
        groups::set_schedule(&mut desk, &OPERATOR, &group.id, &thursdays).unwrap();
        let month = between(&desk, &OPERATOR, day("2026-11-01"), day("2026-12-05")).unwrap();
        let days: Vec<&str> = month.iter().map(|s| &s.local_start[..10]).collect();
        assert_eq!(days, ["2026-11-03", "2026-11-10", "2026-11-17", "2026-11-26", "2026-12-03"]);
        let shown = groups::get(&desk, &OPERATOR, &group.id).unwrap().schedule.unwrap();
        assert_eq!(shown.weekdays, [groups::Weekday::Thursday]);
    }
}
