//! What a group did over a period, as funders ask: sessions held and cancelled, attendance
//! (named and anonymous), the average, unique people and first-timers.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

use super::sessions;
use crate::access::{self, Action, Session};
use crate::clock::day_bounds;
use crate::error::CommonError;
use crate::same_person::Identities;
use crate::{Desk, Error, Result};

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct GroupFigures {
    pub group_id: String,
    pub group_name: String,
    #[ts(type = "string")]
    pub from: NaiveDate,
    #[ts(type = "string")]
    pub to: NaiveDate,
    /// Sessions that began by now and were not cancelled.
    pub sessions_held: u32,
    pub sessions_cancelled: u32,
    pub named_attendance: u32,
    pub anonymous_attendance: u32,
    pub total_attendance: u32,
    /// Total attendance per session held, to one decimal.
    pub average_per_session: f64,
    /// Distinct people marked present.
    pub unique_people: u32,
    /// People whose first time at this group was in the period.
    pub first_time: u32,
}

/// Figures for local days `from..=to`, for every group the session may see (a facilitator:
/// their own), in name order; groups that had no session in the period are left out.
pub fn for_period(desk: &Desk, session: &Session, from: NaiveDate, to: NaiveDate) -> Result<Vec<GroupFigures>> {
    let actor = access::authorize_own(desk, session, Action::SeeGroupFigures, session.account_id())?;
    let identities = Identities::load(desk.conn())?;
    Ok(count(desk, &identities, super::only_own(&actor, Action::SeeGroupFigures), None, from, to)?.by_group)
}

/// One group's figures for local days `from..=to`.
pub fn for_group(
    desk: &Desk,
    session: &Session,
    group_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<GroupFigures> {
    access::authorize_own(desk, session, Action::SeeGroupFigures, super::own_account(desk.conn(), group_id, session)?)?;
    let group = super::get_in(desk.conn(), group_id)?;
    let identities = Identities::load(desk.conn())?;
    Ok(count(desk, &identities, None, Some(group_id), from, to)?
        .by_group
        .pop()
        .unwrap_or_else(|| GroupFigures::none(group.id, group.name, from, to)))
}

impl GroupFigures {
    /// A group's figures before anything is counted.
    fn none(group_id: String, group_name: String, from: NaiveDate, to: NaiveDate) -> GroupFigures {
        GroupFigures {
            group_id,
            group_name,
            from,
            to,
            sessions_held: 0,
            sessions_cancelled: 0,
            named_attendance: 0,
            anonymous_attendance: 0,
            total_attendance: 0,
            average_per_session: 0.0,
            unique_people: 0,
            first_time: 0,
        }
    }
}

/// A session counts as held once it has begun, unless it was cancelled.
const HELD: &str = "NOT COALESCE(r.cancelled, 0) AND COALESCE(r.starts_at, s.starts_at) <= ?5";

/// Who was marked present at the held sessions of the period, one row a mark: the sessions
/// [`sessions::visible_between`] lists, less those that hold no attendance.
fn marks_sql() -> String {
    format!(
        "SELECT r.group_id, t.person_id
         FROM group_sessions r CROSS JOIN attendance t ON t.session_id = r.id JOIN center_groups g ON g.id = r.group_id
         WHERE r.starts_at >= ?1 AND r.starts_at < ?2 AND r.starts_at <= ?5 AND (?4 IS NULL OR r.group_id = ?4)
           AND r.cancelled = 0 AND t.state = 'present' AND ({})",
        sessions::VISIBLE_TO
    )
}

/// How many of the people `?1` (a JSON list of people, each the list of their linked records'
/// ids) had never come to group `?2` (NULL: any group) before `?3`, the period's start: one
/// statement for a group's people, not one each.
const NEVER_BEFORE: &str = "SELECT COUNT(*) FROM json_each(?1) p WHERE NOT EXISTS (
    SELECT 1 FROM json_each(p.value) r CROSS JOIN attendance e ON e.person_id = r.value
    CROSS JOIN group_sessions es ON es.id = e.session_id
    WHERE (?2 IS NULL OR e.group_id = ?2) AND e.state = 'present' AND es.cancelled = 0 AND es.starts_at < ?3)";

/// Each group's figures, and the people (as [`Identities`] counts them) present at any of them.
pub(crate) struct Counted {
    pub by_group: Vec<GroupFigures>,
    pub people: HashSet<String>,
    /// Of `people`, those never at any group before the period.
    pub first_time: u32,
}

/// The figures of the groups whose sessions `only` may see (NULL: every group's), or of one group.
pub(crate) fn count(
    desk: &Desk,
    identities: &Identities,
    only: Option<String>,
    group_id: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Counted> {
    if from > to {
        return Err(Error::Common(CommonError::DateRangeReversed));
    }
    let zone = desk.zone()?;
    let (start, end) = (day_bounds(from, zone)?.0, day_bounds(to, zone)?.1);
    let bounds = params![start, end, only, group_id, desk.now()];
    let conn = desk.conn();

    let per_group = sessions::visible_between(
        &format!(
            "g.id, g.name, SUM(COALESCE(r.cancelled, 0)), SUM({HELD}),
             SUM(CASE WHEN {HELD} THEN COALESCE(r.anonymous_count, 0) ELSE 0 END)"
        ),
        "GROUP BY g.id",
    );
    let mut by_group: Vec<GroupFigures> = conn
        .prepare_cached(&per_group)?
        .query_map(bounds, |row| {
            Ok(GroupFigures {
                sessions_cancelled: row.get(2)?,
                sessions_held: row.get(3)?,
                anonymous_attendance: row.get(4)?,
                ..GroupFigures::none(row.get(0)?, row.get(1)?, from, to)
            })
        })?
        .collect::<rusqlite::Result<_>>()?;

    // A year of a large center's marks is tens of thousands of rows: the distinct people are
    // gathered here rather than by SQLite's sort of text ids, which costs several times more.
    let mut people: HashMap<String, (u32, HashSet<String>)> = HashMap::new();
    let mut everyone: HashSet<String> = HashSet::new();
    let mut marks = conn.prepare_cached(&marks_sql())?;
    let mut rows = marks.query(bounds)?;
    while let Some(row) = rows.next()? {
        let text = |column| -> rusqlite::Result<&str> { Ok(row.get_ref(column)?.as_str()?) };
        let (group, person) = (text(0)?, text(1)?);
        let (marked, seen) = match people.get_mut(group) {
            Some(entry) => entry,
            None => people.entry(group.to_owned()).or_default(),
        };
        *marked += 1;
        identities.insert(seen, person);
        identities.insert(&mut everyone, person);
    }

    let mut never_before = conn.prepare_cached(NEVER_BEFORE)?;
    let records = |seen: &HashSet<String>| -> String {
        let people: Vec<Vec<&str>> = seen.iter().map(|person| identities.records(person)).collect();
        serde_json::to_string(&people).expect("ids serialise")
    };
    for figures in &mut by_group {
        if let Some((marked, seen)) = people.get(&figures.group_id) {
            figures.named_attendance = *marked;
            figures.unique_people = seen.len() as u32;
            figures.first_time =
                never_before.query_row(params![records(seen), figures.group_id, start], |row| row.get(0))?;
        }
        figures.total_attendance = figures.named_attendance + figures.anonymous_attendance;
        if figures.sessions_held > 0 {
            let average = f64::from(figures.total_attendance) / f64::from(figures.sessions_held);
            figures.average_per_session = (average * 10.0).round() / 10.0;
        }
    }
    by_group.sort_by_key(|a| a.group_name.to_lowercase());
    let first_time = if everyone.is_empty() {
        0
    } else {
        never_before.query_row(params![records(&everyone), None::<&str>, start], |row| row.get(0))?
    };
    Ok(Counted { by_group, people: everyone, first_time })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::groups::attendance::{mark, set_headcount, AttendanceState};
    use crate::groups::{self, sessions};
    use crate::people::{register, PersonInput};
    use crate::testkit::{desk_at, smart_recovery, tuesdays, OPERATOR};

    #[test]
    fn a_months_figures_count_sessions_attendance_and_first_timers() {
        // Tuesday 24 November 2026, 8 pm in Chicago: four Tuesdays of November have met.
        let mut desk = desk_at("2026-11-25T02:00:00Z");
        let group = groups::create(&mut desk, &OPERATOR, &smart_recovery(), Some(&tuesdays("2026-10-27"))).unwrap();
        let day = |text: &str| text.parse::<NaiveDate>().unwrap();
        let weeks = sessions::between(&desk, &OPERATOR, day("2026-10-27"), day("2026-11-24")).unwrap();
        let [october, nov3, nov10, nov17, nov24] = &weeks[..] else { panic!("{weeks:?}") };
        let person = |desk: &mut Desk, name: &str| {
            register(desk, &OPERATOR, &PersonInput { display_name: name.into(), ..Default::default() }).unwrap().id
        };
        let (ann, cal) = (person(&mut desk, "Ann B"), person(&mut desk, "Cal D"));
        mark(&mut desk, &OPERATOR, &october.id, &ann, AttendanceState::Present).unwrap();
        for week in [nov3, nov10, nov24] {
            mark(&mut desk, &OPERATOR, &week.id, &ann, AttendanceState::Present).unwrap();
        }
        mark(&mut desk, &OPERATOR, &nov10.id, &cal, AttendanceState::Present).unwrap();
        set_headcount(&mut desk, &OPERATOR, &nov24.id, Some(3)).unwrap();
        sessions::cancel(&mut desk, &OPERATOR, &nov17.id, "Snow").unwrap();

        let november = for_group(&desk, &OPERATOR, &group.id, day("2026-11-01"), day("2026-11-30")).unwrap();
        assert_eq!((november.sessions_held, november.sessions_cancelled), (3, 1), "the 3rd, 10th and 24th");
        assert_eq!((november.named_attendance, november.anonymous_attendance, november.total_attendance), (4, 3, 7));
        assert_eq!(november.average_per_session, 2.3);
        assert_eq!((november.unique_people, november.first_time), (2, 1), "Ann first came in October");
        assert_eq!(for_period(&desk, &OPERATOR, day("2026-11-01"), day("2026-11-30")).unwrap(), [november]);
    }
}
