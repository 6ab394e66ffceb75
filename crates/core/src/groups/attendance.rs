//! Taking attendance: one mark per (session, person), saved the moment it is made. Marking
//! someone present makes sure the front desk's day counts them: their visit that day gets the
//! group's service, or a visit is made for them (never a second one).

use chrono::Duration;
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::sessions::{self, authorize_on, materialize, GroupSession};
use super::AttendanceMode;
use crate::access::{Action, Session};
use crate::audit::{self, AuditEvent};
use crate::clock::day_bounds;
use crate::clock::{named_day, DayStyle};
use crate::groups::GroupsError;
use crate::recurrence::derived_id;
use crate::sync::entity::Table;
use crate::{people, text, visits, Desk, Error, Result, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[ts(export)]
pub enum AttendanceState {
    Present,
    /// Known not to have come: not the same as nobody having said.
    Absent,
    NotRecorded,
}

impl AttendanceState {
    /// How the audit log says it: "not recorded".
    fn in_words(self) -> &'static str {
        match self {
            AttendanceState::Present => "present",
            AttendanceState::Absent => "absent",
            AttendanceState::NotRecorded => "not recorded",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Roster {
    pub session: GroupSession,
    /// Regulars (present in the last 8 weeks), most recent first, and anyone marked here.
    /// Empty for a headcount-only group.
    pub people: Vec<RosterEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RosterEntry {
    pub person_id: String,
    pub display_name: String,
    /// Forgotten at their request after attending: still counted, never named.
    pub forgotten: bool,
    pub state: AttendanceState,
    /// When they last came to this group before this session.
    pub last_present: Option<Timestamp>,
}

/// Attendance travels one record per (session, person); two desks' marks converge on the
/// later one. A forgotten person's marks stay, tied to a record nobody can name.
pub(crate) const SYNCED: Table = Table {
    entity: "attendance",
    table: "attendance",
    columns: &["session_id", "person_id", "state", "marked_at", "marked_by", "visit_id", "visit_link"],
    ..Table::PLAIN
};

/// How far back the roster looks for regulars.
const REGULARS_WEEKS: i64 = 8;

/// The session and its roster, for the facilitator taking attendance. Recorded in the audit
/// log: who comes to a recovery group is sensitive.
pub fn roster(desk: &mut Desk, session: &Session, session_id: &str) -> Result<Roster> {
    let on = sessions::get_in(desk.conn(), session_id)?;
    desk.write(|tx, now| {
        let actor = authorize_on(tx, session, Action::TakeAttendance, &on)?;
        audit::record(tx, now, &actor, AuditEvent::RosterViewed, Some(session_id), &on.group_name)
    })?;
    roster_in(desk, on)
}

fn roster_in(desk: &Desk, on: GroupSession) -> Result<Roster> {
    if on.attendance_mode == AttendanceMode::Headcount {
        return Ok(Roster { session: on, people: Vec::new() });
    }
    let since = Timestamp(on.starts_at.0 - Duration::weeks(REGULARS_WEEKS));
    let mut statement = desk.conn().prepare_cached(
        "WITH regulars AS (
            SELECT t.person_id, MAX(s.starts_at) AS last_present FROM attendance t
            JOIN group_sessions s ON s.id = t.session_id
            WHERE s.group_id = ?2 AND t.state = 'present' AND s.starts_at >= ?3 AND s.starts_at < ?4 AND s.id != ?1
            GROUP BY t.person_id
         ), here AS (SELECT person_id, state, marked_at FROM attendance WHERE session_id = ?1)
         SELECT p.id, p.display_name, p.forgotten_at IS NOT NULL, COALESCE(h.state, 'not_recorded'), r.last_present
         FROM (SELECT person_id FROM regulars UNION SELECT person_id FROM here) who
         JOIN people p ON p.id = who.person_id
         LEFT JOIN regulars r ON r.person_id = who.person_id
         LEFT JOIN here h ON h.person_id = who.person_id
         ORDER BY r.last_present IS NULL, r.last_present DESC, h.marked_at, p.display_name COLLATE NOCASE",
    )?;
    let rows = statement.query_map(params![on.id, on.group_id, since, on.starts_at], |row| {
        let forgotten: bool = row.get(2)?;
        Ok(RosterEntry {
            person_id: row.get(0)?,
            display_name: if forgotten { FORGOTTEN.to_owned() } else { row.get(1)? },
            forgotten,
            state: crate::text::parse_or(row.get::<_, String>(3)?, AttendanceState::NotRecorded),
            last_present: row.get(4)?,
        })
    })?;
    let people = rows.collect::<rusqlite::Result<_>>()?;
    Ok(Roster { session: on, people })
}

/// How a person forgotten after attending shows on a roster.
pub const FORGOTTEN: &str = "Someone forgotten";

/// Marks one person on one session (a walk-in is marked the same way), saved at once, and
/// returns the session as it now stands. Present makes sure the front desk counts them today.
pub fn mark(
    desk: &mut Desk,
    session: &Session,
    session_id: &str,
    person_id: &str,
    state: AttendanceState,
) -> Result<GroupSession> {
    let zone = desk.zone()?;
    desk.write(|tx, now| {
        let on = materialize(tx, session_id)?;
        let actor = authorize_on(tx, session, Action::TakeAttendance, &on)?;
        ensure_open_for_attendance(&on, now, zone)?;
        if on.attendance_mode == AttendanceMode::Headcount {
            return Err(Error::Groups(GroupsError::HeadcountOnly));
        }
        people::get_in(tx, person_id)?;
        people::ensure_not_forgotten(tx, person_id)?;
        let id = derived_id(&format!("attendance/{session_id}/{person_id}"), &on.local_start);
        let before: Option<(String, Option<String>, Option<String>)> = tx
            .prepare_cached("SELECT state, visit_id, visit_link FROM attendance WHERE id = ?1")?
            .query_row([&id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .optional()?;
        let was_present = before.as_ref().is_some_and(|(state, _, _)| state == "present");
        let (mut visit_id, mut visit_link) = before.map(|(_, id, link)| (id, link)).unwrap_or_default();
        let service_id: Option<String> =
            tx.query_row("SELECT service_id FROM center_groups WHERE id = ?1", [&on.group_id], |row| row.get(0))?;
        match (was_present, state == AttendanceState::Present) {
            (false, true) => {
                (visit_id, visit_link) = count_at_front_desk(tx, now, zone, &on, &id, person_id, service_id)?
            }
            (true, false) => {
                undo_front_desk(tx, visit_id.as_deref(), visit_link.as_deref(), service_id.as_deref())?;
                (visit_id, visit_link) = (None, None);
            }
            _ => {}
        }
        tx.prepare_cached(
            "INSERT INTO attendance (id, session_id, person_id, state, marked_at, marked_by, visit_id, visit_link)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (id) DO UPDATE SET state = excluded.state, marked_at = excluded.marked_at,
                 marked_by = excluded.marked_by, visit_id = excluded.visit_id, visit_link = excluded.visit_link",
        )?
        .execute(params![
            id,
            session_id,
            person_id,
            <&str>::from(state),
            now,
            actor.account_id,
            visit_id,
            visit_link
        ])?;
        audit::record(
            tx,
            now,
            &actor,
            AuditEvent::AttendanceMarked,
            Some(person_id),
            &format!("{}, {}: {}", on.group_name, on.local_start.replace('T', " "), state.in_words()),
        )
    })?;
    sessions::get_in(desk.conn(), session_id)
}

/// A mark as the demo center's history has it: no front-desk visit, no audit entry.
pub(crate) fn insert_history(
    tx: &Transaction,
    on: &GroupSession,
    person_id: &str,
    state: AttendanceState,
    marked_at: Timestamp,
) -> Result<()> {
    let id = derived_id(&format!("attendance/{}/{person_id}", on.id), &on.local_start);
    tx.prepare_cached(
        "INSERT OR IGNORE INTO attendance (id, session_id, person_id, state, marked_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![id, on.id, person_id, <&str>::from(state), marked_at])?;
    Ok(())
}

/// Makes the front desk's figures for the session's day include this person: their visit that
/// day records the group's service, or a visit is made for them. The visit made has an id
/// derived from the mark, so two desks marking the same person while apart make one visit.
fn count_at_front_desk(
    tx: &Transaction,
    now: Timestamp,
    zone: chrono_tz::Tz,
    on: &GroupSession,
    attendance_id: &str,
    person_id: &str,
    service_id: Option<String>,
) -> Result<(Option<String>, Option<String>)> {
    let day = on.starts_at.in_zone(zone).date_naive();
    let (start, end) = day_bounds(day, zone)?;
    let services: Vec<String> = service_id.into_iter().collect();
    if let Some(visit_id) = visits::of_person_between(tx, person_id, start, end)? {
        let Some(service) = services.first() else { return Ok((Some(visit_id), None)) };
        let added = visits::add_service(tx, &visit_id, service)?;
        return Ok((Some(visit_id), added.then(|| "service_added".to_owned())));
    }
    let visit_id = derived_id(&format!("visit/{attendance_id}"), &on.local_start);
    if visits::exists(tx, &visit_id)? {
        return Ok((Some(visit_id), Some("made".into())));
    }
    // Arrived for the session: checked in when it began, or now if early.
    let checked_in = on.starts_at.min(now);
    visits::insert_as(tx, &visit_id, checked_in, Some(person_id), &services)?;
    if on.ends_at < now {
        visits::close_at(tx, &visit_id, on.ends_at)?;
    }
    Ok((Some(visit_id), Some("made".into())))
}

/// Takes back what marking present did at the front desk: the group's service comes off the
/// visit, and a visit the mark made goes if nothing else was recorded on it.
fn undo_front_desk(
    tx: &Transaction,
    visit_id: Option<&str>,
    link: Option<&str>,
    service_id: Option<&str>,
) -> Result<()> {
    let (Some(visit_id), Some(link)) = (visit_id, link) else { return Ok(()) };
    if let Some(service_id) = service_id {
        visits::remove_service(tx, visit_id, service_id)?;
    }
    if link == "made" {
        visits::remove_if_empty(tx, visit_id)?;
    }
    Ok(())
}

/// Sets how many came without giving a name: the whole count for a headcount-only meeting.
/// A field, not a tally: two desks' counts converge on the later one, never their sum.
pub fn set_headcount(desk: &mut Desk, session: &Session, session_id: &str, count: Option<u32>) -> Result<GroupSession> {
    if count.is_some_and(|n| n > 10_000) {
        return Err(Error::Groups(GroupsError::InvalidHeadcount));
    }
    let zone = desk.zone()?;
    desk.write(|tx, now| {
        let on = materialize(tx, session_id)?;
        let actor = authorize_on(tx, session, Action::TakeAttendance, &on)?;
        ensure_open_for_attendance(&on, now, zone)?;
        tx.execute("UPDATE group_sessions SET anonymous_count = ?2 WHERE id = ?1", params![session_id, count])?;
        let detail = format!("{} {}: {} without a name", on.group_name, on.local_start, count.unwrap_or(0));
        audit::record(tx, now, &actor, AuditEvent::AttendanceMarked, Some(session_id), &detail)
    })?;
    sessions::get_in(desk.conn(), session_id)
}

/// The session's topic and a short note. A headcount-only meeting keeps a topic, never a note
/// (a note could name someone).
pub fn set_notes(
    desk: &mut Desk,
    session: &Session,
    session_id: &str,
    topic: Option<&str>,
    note: Option<&str>,
) -> Result<GroupSession> {
    let topic = text::optional(topic, "topic", "Topic", 120)?;
    let note = text::optional(note, "note", "Note", 1_000)?;
    desk.write(|tx, now| {
        let on = materialize(tx, session_id)?;
        let actor = authorize_on(tx, session, Action::TakeAttendance, &on)?;
        if on.attendance_mode == AttendanceMode::Headcount && note.is_some() {
            return Err(Error::Groups(GroupsError::HeadcountOnly));
        }
        tx.execute("UPDATE group_sessions SET topic = ?2, note = ?3 WHERE id = ?1", params![session_id, topic, note])?;
        audit::record(tx, now, &actor, AuditEvent::SessionChanged, Some(session_id), "topic and note")
    })?;
    sessions::get_in(desk.conn(), session_id)
}

/// Attendance is who came: taken on the session's day or after, never ahead (a mark ahead made a
/// visit today for someone not in the building), and never on a cancelled session.
fn ensure_open_for_attendance(on: &GroupSession, now: Timestamp, zone: chrono_tz::Tz) -> Result<()> {
    if on.cancelled {
        return Err(Error::Groups(GroupsError::SessionCancelled {
            reason: on.cancel_reason.clone().unwrap_or_default(),
        }));
    }
    let day = on.starts_at.in_zone(zone).date_naive();
    if day > now.in_zone(zone).date_naive() {
        return Err(Error::Groups(GroupsError::SessionNotYet { day: named_day(day, DayStyle::Long) }));
    }
    Ok(())
}

/// Each group a person came to, for their full record.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct GroupAttended {
    pub group_id: String,
    pub group_name: String,
    pub times: u32,
    pub last_present: Timestamp,
}

pub fn groups_of_person(desk: &Desk, session: &Session, person_id: &str) -> Result<Vec<GroupAttended>> {
    crate::access::authorize(desk, session, Action::ViewPerson)?;
    let mut statement = desk.conn().prepare_cached(
        "SELECT g.id, g.name, COUNT(*), MAX(s.starts_at) FROM attendance t
         JOIN group_sessions s ON s.id = t.session_id JOIN center_groups g ON g.id = s.group_id
         WHERE t.person_id = ?1 AND t.state = 'present' AND s.cancelled = 0
         GROUP BY g.id ORDER BY MAX(s.starts_at) DESC",
    )?;
    let rows = statement.query_map([person_id], |row| {
        Ok(GroupAttended {
            group_id: row.get(0)?,
            group_name: row.get(1)?,
            times: row.get(2)?,
            last_present: row.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::groups::{self, GroupInput};
    use crate::people::{register, PeopleError, PersonInput};
    use crate::testkit::{desk_at, smart_recovery, tuesdays, OPERATOR};
    use crate::{reports, services};

    fn person(desk: &mut Desk, name: &str) -> String {
        register(desk, &OPERATOR, &PersonInput { display_name: name.into(), ..Default::default() }).unwrap().id
    }

    /// Tuesday 24 November 2026, 6:10 pm in Chicago: the weekly meeting began ten minutes ago.
    fn at_the_meeting() -> (crate::testkit::TestDesk, String) {
        let mut desk = desk_at("2026-11-25T00:10:00Z");
        let group = groups::create(&mut desk, &OPERATOR, &smart_recovery(), Some(&tuesdays("2026-10-06"))).unwrap();
        let today = sessions::upcoming(&desk, &OPERATOR).unwrap().into_iter().next().unwrap();
        assert_eq!(today.group_id, group.id);
        (desk, today.id)
    }

    #[test]
    fn present_absent_and_not_recorded_are_three_states() {
        let (mut desk, today) = at_the_meeting();
        let (ann, cal) = (person(&mut desk, "Ann B"), person(&mut desk, "Cal D"));
        mark(&mut desk, &OPERATOR, &today, &ann, AttendanceState::Present).unwrap();
        let after = mark(&mut desk, &OPERATOR, &today, &cal, AttendanceState::Absent).unwrap();
        assert_eq!(after.present, 1);
        let roster = roster(&mut desk, &OPERATOR, &today).unwrap();
        let states: Vec<_> = roster.people.iter().map(|p| (p.display_name.as_str(), p.state)).collect();
        assert_eq!(states, [("Ann B", AttendanceState::Present), ("Cal D", AttendanceState::Absent)]);
        mark(&mut desk, &OPERATOR, &today, &cal, AttendanceState::NotRecorded).unwrap();
        let marks: i64 = desk.conn().query_row("SELECT COUNT(*) FROM attendance", [], |r| r.get(0)).unwrap();
        assert_eq!(marks, 2, "one mark per person, changed in place");
    }

    #[test]
    fn the_roster_lists_the_last_eight_weeks_regulars_most_recent_first() {
        let (mut desk, today) = at_the_meeting();
        let weeks =
            sessions::between(&desk, &OPERATOR, "2026-09-01".parse().unwrap(), "2026-11-23".parse().unwrap()).unwrap();
        assert_eq!(weeks.len(), 7, "October 6 to November 17");
        let (old, recent, long_gone) =
            (person(&mut desk, "Old T"), person(&mut desk, "Recent R"), person(&mut desk, "Gone G"));
        mark(&mut desk, &OPERATOR, &weeks[0].id, &long_gone, AttendanceState::Present).unwrap();
        mark(&mut desk, &OPERATOR, &weeks[2].id, &old, AttendanceState::Present).unwrap();
        mark(&mut desk, &OPERATOR, &weeks[6].id, &recent, AttendanceState::Present).unwrap();
        let names: Vec<String> =
            roster(&mut desk, &OPERATOR, &today).unwrap().people.into_iter().map(|p| p.display_name).collect();
        // October 6 is seven weeks before: still a regular; nobody before that was marked.
        assert_eq!(names, ["Recent R", "Old T", "Gone G"]);
    }

    #[test]
    fn marking_present_counts_one_visit_at_the_front_desk_never_two() {
        let (mut desk, today) = at_the_meeting();
        let (walk_in, regular) = (person(&mut desk, "Walk I"), person(&mut desk, "Reg U"));
        // The regular checked in at the front desk for coffee first.
        let coffee = services::list(&desk, &OPERATOR, false).unwrap()[7].id.clone();
        let visit = visits::check_in(&mut desk, &OPERATOR, &regular, std::slice::from_ref(&coffee)).unwrap();

        mark(&mut desk, &OPERATOR, &today, &walk_in, AttendanceState::Present).unwrap();
        mark(&mut desk, &OPERATOR, &today, &regular, AttendanceState::Present).unwrap();
        mark(&mut desk, &OPERATOR, &today, &walk_in, AttendanceState::Present).unwrap();
        let figures = reports::today(&desk, &OPERATOR).unwrap();
        assert_eq!(figures.visits, 2, "one new visit for the walk-in, the regular's own kept");
        let support_group = figures.by_service.iter().find(|s| s.name == "Support group").unwrap();
        assert_eq!(support_group.visits, 2);

        mark(&mut desk, &OPERATOR, &today, &regular, AttendanceState::NotRecorded).unwrap();
        assert_eq!(visits::get(&desk, &OPERATOR, &visit.id).unwrap().service_ids, [coffee], "their visit stays");
        mark(&mut desk, &OPERATOR, &today, &walk_in, AttendanceState::Absent).unwrap();
        assert_eq!(reports::today(&desk, &OPERATOR).unwrap().visits, 1, "the visit the mark made is gone");
    }

    #[test]
    fn next_weeks_session_takes_no_attendance_today_and_makes_no_visit() {
        let (mut desk, _) = at_the_meeting();
        let regular = person(&mut desk, "Reg U");
        visits::check_in(&mut desk, &OPERATOR, &regular, &[]).unwrap();
        let next_week = sessions::upcoming(&desk, &OPERATOR).unwrap().into_iter().nth(1).unwrap();
        let refused = mark(&mut desk, &OPERATOR, &next_week.id, &regular, AttendanceState::Present).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "This session meets on Tuesday, December 1: its attendance is taken on the day, as people come."
        );
        assert!(matches!(
            set_headcount(&mut desk, &OPERATOR, &next_week.id, Some(3)),
            Err(Error::Groups(GroupsError::SessionNotYet { .. }))
        ));
        assert_eq!(reports::today(&desk, &OPERATOR).unwrap().visits, 1, "no visit made today for next week");
        assert_eq!(visits::here_now(&desk, &OPERATOR).unwrap().len(), 1, "listed once");

        // On its day, the same mark counts them once, on that day.
        desk.clock.advance(chrono::Duration::days(7));
        mark(&mut desk, &OPERATOR, &next_week.id, &regular, AttendanceState::Present).unwrap();
        assert_eq!(reports::today(&desk, &OPERATOR).unwrap().visits, 1);
    }

    #[test]
    fn a_cancelled_session_takes_no_attendance() {
        let (mut desk, today) = at_the_meeting();
        let ann = person(&mut desk, "Ann B");
        sessions::cancel(&mut desk, &OPERATOR, &today, "Facilitator ill").unwrap();
        let err = mark(&mut desk, &OPERATOR, &today, &ann, AttendanceState::Present).unwrap_err();
        assert!(matches!(err, Error::Groups(GroupsError::SessionCancelled { .. })), "{err:?}");
        assert!(matches!(
            set_headcount(&mut desk, &OPERATOR, &today, Some(3)),
            Err(Error::Groups(GroupsError::SessionCancelled { .. }))
        ));
    }

    #[test]
    fn a_headcount_only_meeting_records_a_number_and_never_a_name() {
        let mut desk = desk_at("2026-11-25T00:10:00Z");
        let meeting = GroupInput {
            name: "All Recovery".into(),
            attendance_mode: Some(AttendanceMode::Headcount),
            capacity: Some(10),
            ..Default::default()
        };
        groups::create(&mut desk, &OPERATOR, &meeting, Some(&tuesdays("2026-11-03"))).unwrap();
        let today = sessions::upcoming(&desk, &OPERATOR).unwrap().remove(0);
        let ann = person(&mut desk, "Ann B");
        assert!(matches!(
            mark(&mut desk, &OPERATOR, &today.id, &ann, AttendanceState::Present),
            Err(Error::Groups(GroupsError::HeadcountOnly))
        ));
        assert!(matches!(
            set_notes(&mut desk, &OPERATOR, &today.id, None, Some("Ann shared")),
            Err(Error::Groups(GroupsError::HeadcountOnly))
        ));
        set_notes(&mut desk, &OPERATOR, &today.id, Some("Gratitude"), None).unwrap();
        let counted = set_headcount(&mut desk, &OPERATOR, &today.id, Some(12)).unwrap();
        assert_eq!((counted.attendance(), counted.over_capacity()), (12, true), "allowed, and noted");
        assert!(roster(&mut desk, &OPERATOR, &today.id).unwrap().people.is_empty());
    }

    #[test]
    fn someone_forgotten_after_attending_is_still_counted() {
        let (mut desk, today) = at_the_meeting();
        let ann = person(&mut desk, "Ann B");
        mark(&mut desk, &OPERATOR, &today, &ann, AttendanceState::Present).unwrap();
        people::forget(&mut desk, &OPERATOR, &ann).unwrap();
        let roster = roster(&mut desk, &OPERATOR, &today).unwrap();
        assert_eq!(roster.session.present, 1);
        assert_eq!((roster.people[0].display_name.as_str(), roster.people[0].forgotten), (FORGOTTEN, true));
        assert!(matches!(
            mark(&mut desk, &OPERATOR, &today, &ann, AttendanceState::Absent),
            Err(Error::People(PeopleError::PersonForgotten))
        ));
    }

    #[test]
    fn a_persons_record_lists_the_groups_they_came_to() {
        let (mut desk, today) = at_the_meeting();
        let ann = person(&mut desk, "Ann B");
        mark(&mut desk, &OPERATOR, &today, &ann, AttendanceState::Present).unwrap();
        let attended = groups_of_person(&desk, &OPERATOR, &ann).unwrap();
        assert_eq!((attended[0].group_name.as_str(), attended[0].times), ("SMART Recovery", 1));
    }
}
