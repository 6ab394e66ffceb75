//! Shifts: the occurrences of the templates, each named by its template and local start. A
//! shift becomes a record only when someone acts on it (assigns a volunteer, cancels it), so two
//! desks that open Tuesday's warmline shift while apart hold the same one. Coverage is worked
//! out when read: places held by someone not marked as not having come, against the minimum and
//! the ideal (a no-show covers nothing, and frees the place for another). Two desks that each filled the
//! last place while apart both keep theirs, and the shift shows over-filled for a coordinator.

use chrono::{Duration, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::Serialize;
use ts_rs::TS;

use crate::access::{self, Action, Scope, Session};
use crate::audit::{self, AuditEvent};
use crate::clock::day_bounds;
use crate::clock::named_time;
use crate::error::CommonError;
use crate::recurrence::RecurrenceError;
use crate::sync::entity::Table;
use crate::volunteers::VolunteersError;
use crate::{calendar, text, Desk, Error, Result, Timestamp};

/// How a shift's places stand against what it needs. Shown in words, never by colour alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Coverage {
    /// Nobody holds it.
    Uncovered,
    /// Some, fewer than the minimum.
    Under,
    /// At least the minimum.
    Covered,
    /// More than the ideal: two desks filled the last place while apart, for a person to resolve.
    Over,
}

impl Coverage {
    fn of(held: u32, needed_min: u32, needed_ideal: u32) -> Coverage {
        match held {
            0 => Coverage::Uncovered,
            held if held < needed_min => Coverage::Under,
            held if held > needed_ideal => Coverage::Over,
            _ => Coverage::Covered,
        }
    }

    pub fn is_gap(self) -> bool {
        self < Coverage::Covered
    }
}

/// Who is on a shift, and how their time there stands.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Holder {
    pub assignment_id: String,
    pub volunteer_id: String,
    pub name: String,
    /// `assigned`, `signed_up` or `swap`.
    pub came_by: String,
    /// Who held it before a swap.
    pub swapped_from_name: Option<String>,
    pub clocked_in_at: Option<Timestamp>,
    pub clocked_out_at: Option<Timestamp>,
    pub no_show: bool,
    pub no_show_comment: Option<String>,
    pub confirmed: bool,
    /// A warmline call they logged during the shift: they were there.
    pub took_calls: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Shift {
    pub id: String,
    pub template_id: String,
    pub name: String,
    pub role_id: String,
    pub role_name: String,
    pub warmline: bool,
    /// The local start it is named by, `2026-12-01T09:00`.
    pub local_start: String,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub location: Option<String>,
    pub needed_min: u32,
    pub needed_ideal: u32,
    /// Places held by someone not marked as not having come.
    pub held: u32,
    pub coverage: Coverage,
    pub cancelled: bool,
    pub cancel_reason: Option<String>,
    pub holders: Vec<Holder>,
}

impl Shift {
    /// "Morning line (Tue, Dec 1, 9:00 AM)", to name it in a refusal or a list.
    pub(crate) fn described(&self, zone: chrono_tz::Tz) -> String {
        format!("{} ({})", self.name, named_time(self.starts_at.in_zone(zone).naive_local()))
    }

    /// Minutes nobody covers: the whole shift when it is a gap.
    pub fn minutes(&self) -> i64 {
        (self.ends_at.0 - self.starts_at.0).num_minutes()
    }

    pub(crate) fn calendar_event(&self) -> calendar::Event {
        let mut description = vec![format!("{}: {} of {} needed", self.role_name, self.held, self.needed_min)];
        if !self.holders.is_empty() {
            let names: Vec<&str> = self.holders.iter().map(|h| h.name.as_str()).collect();
            description.push(format!("On shift: {}", names.join(", ")));
        }
        if let Some(reason) = self.cancel_reason.as_ref().filter(|_| self.cancelled) {
            description.push(format!("Cancelled: {reason}"));
        }
        calendar::Event {
            id: self.id.clone(),
            summary: format!("{} ({})", self.name, self.role_name),
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            location: self.location.clone(),
            description,
            cancelled: self.cancelled,
        }
    }
}

pub(crate) const SYNCED: Table = Table {
    entity: "shift",
    table: "shifts",
    describe: Some(
        "SELECT t.name || ' shift, ' || replace(s.local_start, 'T', ' ') FROM shifts s
         JOIN shift_templates t ON t.id = s.template_id WHERE s.id = ?1",
    ),
    columns: &["template_id", "local_start", "starts_at", "ends_at", "cancelled", "cancel_reason"],
    ..Table::PLAIN
};

/// The occurrences starting in `?1..?2`, and shift records there whose occurrence has gone but
/// which someone held.
const SHIFTS_BETWEEN: &str = "
    SELECT o.shift_id AS id, o.template_id, o.local_start, o.starts_at, o.ends_at
    FROM shift_occurrences o
    WHERE o.starts_at >= ?1 AND o.starts_at < ?2
    UNION ALL
    SELECT r.id, r.template_id, r.local_start, r.starts_at, r.ends_at FROM shifts r
    WHERE r.starts_at >= ?1 AND r.starts_at < ?2
      AND NOT EXISTS (SELECT 1 FROM shift_occurrences o WHERE o.shift_id = r.id)
      AND EXISTS (SELECT 1 FROM shift_assignments x WHERE x.shift_id = r.id)";

const SHIFT_COLUMNS: &str = "s.id, s.template_id, t.name, t.role_id, ro.name, ro.warmline, s.local_start,
    s.starts_at, s.ends_at, t.location, t.needed_min, t.needed_ideal,
    (SELECT COUNT(*) FROM shift_assignments x WHERE x.shift_id = s.id AND x.state = 'held' AND x.no_show = 0),
    COALESCE(r.cancelled, 0), r.cancel_reason";

fn from_row(row: &Row) -> rusqlite::Result<Shift> {
    let (needed_min, needed_ideal, held) = (row.get(10)?, row.get(11)?, row.get(12)?);
    Ok(Shift {
        id: row.get(0)?,
        template_id: row.get(1)?,
        name: row.get(2)?,
        role_id: row.get(3)?,
        role_name: row.get(4)?,
        warmline: row.get(5)?,
        local_start: row.get(6)?,
        starts_at: row.get(7)?,
        ends_at: row.get(8)?,
        location: row.get(9)?,
        needed_min,
        needed_ideal,
        held,
        coverage: Coverage::of(held, needed_min, needed_ideal),
        cancelled: row.get(13)?,
        cancel_reason: row.get(14)?,
        holders: Vec::new(),
    })
}

const HOLDER_COLUMNS: &str = "x.id, x.volunteer_id, p.display_name, x.came_by,
    (SELECT display_name FROM people q WHERE q.id = x.swapped_from),
    x.clocked_in_at, x.clocked_out_at, x.no_show, x.no_show_comment, x.confirmed_at IS NOT NULL";

/// A warmline call the volunteer `x` took (by an account of theirs) during shift `s`.
pub(crate) const TOOK_CALLS: &str = "EXISTS (SELECT 1 FROM warmline_calls k JOIN accounts a ON a.id = k.taken_by
    WHERE k.started_at >= s.starts_at AND k.started_at < s.ends_at AND a.person_id = x.volunteer_id)";

/// Who holds the shifts `s` that `which` picks, with the shift's id, by name.
fn holders_of(which: &str) -> String {
    format!(
        "SELECT {HOLDER_COLUMNS}, s.id, {TOOK_CALLS}
         FROM shifts s JOIN shift_assignments x ON x.shift_id = s.id JOIN people p ON p.id = x.volunteer_id
         WHERE {which} AND x.state = 'held' ORDER BY p.display_name COLLATE NOCASE"
    )
}

fn holder_from_row(row: &Row) -> rusqlite::Result<(String, Holder)> {
    Ok((
        row.get(10)?,
        Holder {
            assignment_id: row.get(0)?,
            volunteer_id: row.get(1)?,
            name: row.get(2)?,
            came_by: row.get(3)?,
            swapped_from_name: row.get(4)?,
            clocked_in_at: row.get(5)?,
            clocked_out_at: row.get(6)?,
            no_show: row.get(7)?,
            no_show_comment: row.get(8)?,
            confirmed: row.get(9)?,
            took_calls: row.get(11)?,
        },
    ))
}

/// The shifts starting on the local days `from..=to`, with who holds them. A coordinator or the
/// front desk sees every shift; a volunteer their own and the open ones of roles they fill.
pub fn between(desk: &Desk, session: &Session, from: NaiveDate, to: NaiveDate) -> Result<Vec<Shift>> {
    let actor = access::authorize_own(desk, session, Action::SeeShifts, session.account_id())?;
    let shifts = between_in(desk, from, to)?;
    if Action::SeeShifts.scope_for(&actor.roles) == Some(Scope::Any) {
        return Ok(shifts);
    }
    let Some(mine) = super::volunteer_of(desk.conn(), session.account_id())? else { return Ok(Vec::new()) };
    let fills = super::get_in(desk, &mine, false)?.role_ids;
    Ok(shifts
        .into_iter()
        .filter(|shift| {
            shift.holders.iter().any(|h| h.volunteer_id == mine)
                || (fills.contains(&shift.role_id) && shift.held < shift.needed_ideal && !shift.cancelled)
        })
        .collect())
}

pub(crate) fn between_in(desk: &Desk, from: NaiveDate, to: NaiveDate) -> Result<Vec<Shift>> {
    if from > to {
        return Err(Error::Common(CommonError::DateRangeReversed));
    }
    let zone = desk.zone()?;
    let (start, end) = (day_bounds(from, zone)?.0, day_bounds(to, zone)?.1);
    between_times(desk.conn(), start, end)
}

/// The shifts starting in `[start, end)`, in order, with their holders.
pub(crate) fn between_times(conn: &Connection, start: Timestamp, end: Timestamp) -> Result<Vec<Shift>> {
    let sql = format!(
        "SELECT {SHIFT_COLUMNS} FROM ({SHIFTS_BETWEEN}) s
         JOIN shift_templates t ON t.id = s.template_id JOIN shift_roles ro ON ro.id = t.role_id
         LEFT JOIN shifts r ON r.id = s.id
         ORDER BY s.starts_at, ro.warmline DESC, ro.position, t.name COLLATE NOCASE"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let mut shifts: Vec<Shift> =
        statement.query_map(params![start, end], from_row)?.collect::<rusqlite::Result<_>>()?;
    let mut statement = conn.prepare_cached(&holders_of("s.starts_at >= ?1 AND s.starts_at < ?2"))?;
    let holders = statement.query_map(params![start, end], holder_from_row)?;
    let index: std::collections::HashMap<String, usize> =
        shifts.iter().enumerate().map(|(at, shift)| (shift.id.clone(), at)).collect();
    for holder in holders {
        let (shift_id, holder) = holder?;
        if let Some(at) = index.get(&shift_id) {
            shifts[*at].holders.push(holder);
        }
    }
    Ok(shifts)
}

/// What the figures count of one shift that has started and was not cancelled.
pub(crate) struct ShiftTally {
    pub starts_at: Timestamp,
    pub minutes: u32,
    pub warmline: bool,
    pub gap: bool,
    /// Held places, and those marked no-show.
    pub places: u32,
    pub no_shows: u32,
}

/// The shifts of `[start, end)` that began by `now` and were not cancelled, counted in SQL: a
/// year's figures need neither the holders' names nor whether each took calls.
pub(crate) fn tallies_between(
    conn: &Connection,
    start: Timestamp,
    end: Timestamp,
    now: Timestamp,
) -> Result<Vec<ShiftTally>> {
    let sql = format!(
        "SELECT s.starts_at, s.ends_at, ro.warmline, t.needed_min, t.needed_ideal,
                COUNT(x.id), COALESCE(SUM(x.no_show), 0)
         FROM ({SHIFTS_BETWEEN}) s
         JOIN shift_templates t ON t.id = s.template_id JOIN shift_roles ro ON ro.id = t.role_id
         LEFT JOIN shifts r ON r.id = s.id
         LEFT JOIN shift_assignments x ON x.shift_id = s.id AND x.state = 'held'
         WHERE COALESCE(r.cancelled, 0) = 0 AND s.starts_at <= ?3
         GROUP BY s.id"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement.query_map(params![start, end, now], |row| {
        let (starts_at, ends_at): (Timestamp, Timestamp) = (row.get(0)?, row.get(1)?);
        let (needed_min, needed_ideal, places, no_shows): (u32, u32, u32, u32) =
            (row.get(3)?, row.get(4)?, row.get(5)?, row.get(6)?);
        Ok(ShiftTally {
            starts_at,
            minutes: (ends_at.0 - starts_at.0).num_minutes().max(0) as u32,
            warmline: row.get(2)?,
            gap: Coverage::of(places - no_shows, needed_min, needed_ideal).is_gap(),
            places,
            no_shows,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The next 7 days' shifts short of their minimum, warmline hours first, then soonest. Ones
/// already ended or cancelled are not gaps.
pub fn gaps(desk: &Desk, session: &Session) -> Result<Vec<Shift>> {
    access::authorize(desk, session, Action::SeeShifts)?;
    gaps_in(desk)
}

pub(crate) fn gaps_in(desk: &Desk) -> Result<Vec<Shift>> {
    let now = desk.now();
    let horizon = day_bounds(desk.today()? + Duration::days(7), desk.zone()?)?.1;
    let mut gaps: Vec<Shift> = between_times(desk.conn(), Timestamp(now.0 - Duration::days(1)), horizon)?
        .into_iter()
        .filter(|shift| shift.ends_at > now && !shift.cancelled && shift.coverage.is_gap())
        .collect();
    gaps.sort_by(|a, b| b.warmline.cmp(&a.warmline).then(a.starts_at.cmp(&b.starts_at)));
    Ok(gaps)
}

/// One shift, with who holds it.
pub fn get(desk: &Desk, session: &Session, id: &str) -> Result<Shift> {
    let shift = get_in(desk.conn(), id)?;
    let mine = super::volunteer_of(desk.conn(), session.account_id())?;
    let own = mine.is_some_and(|mine| shift.holders.iter().any(|h| h.volunteer_id == mine));
    access::authorize_own(desk, session, Action::SeeShifts, if own { session.account_id() } else { None })?;
    Ok(shift)
}

pub(crate) fn get_in(conn: &Connection, id: &str) -> Result<Shift> {
    let sql = format!(
        "SELECT {SHIFT_COLUMNS} FROM (
            SELECT shift_id AS id, template_id, local_start, starts_at, ends_at FROM shift_occurrences WHERE shift_id = ?1
            UNION ALL
            SELECT id, template_id, local_start, starts_at, ends_at FROM shifts
            WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM shift_occurrences WHERE shift_id = ?1)
         ) s
         JOIN shift_templates t ON t.id = s.template_id JOIN shift_roles ro ON ro.id = t.role_id
         LEFT JOIN shifts r ON r.id = s.id"
    );
    let mut shift = conn
        .prepare_cached(&sql)?
        .query_row([id], from_row)
        .optional()?
        .ok_or(Error::Volunteers(VolunteersError::ShiftNotFound))?;
    let mut statement = conn.prepare_cached(&holders_of("s.id = ?1"))?;
    let holders = statement.query_map([id], holder_from_row)?;
    shift.holders = holders.map(|holder| holder.map(|(_, holder)| holder)).collect::<rusqlite::Result<_>>()?;
    Ok(shift)
}

/// The shift's record, made from its occurrence the first time someone acts on it.
pub(crate) fn materialize(tx: &Transaction, id: &str) -> Result<Shift> {
    let shift = get_in(tx, id)?;
    tx.prepare_cached(
        "INSERT INTO shifts (id, template_id, local_start, starts_at, ends_at)
         SELECT ?1, ?2, ?3, ?4, ?5 WHERE NOT EXISTS (SELECT 1 FROM shifts WHERE id = ?1)",
    )?
    .execute(params![id, shift.template_id, shift.local_start, shift.starts_at, shift.ends_at])?;
    Ok(shift)
}

/// "Not needed that day": the shift is cancelled with a reason, its template untouched. Its
/// holders keep it in their history; it is no gap.
pub fn cancel(desk: &mut Desk, session: &Session, id: &str, reason: &str) -> Result<Shift> {
    let reason = text::optional(Some(reason), "cancel_reason", "Reason", 200)?
        .ok_or(Error::Recurrence(RecurrenceError::CancelReasonRequired))?;
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageVolunteers)?;
        materialize(tx, id)?;
        tx.execute("UPDATE shifts SET cancelled = 1, cancel_reason = ?2 WHERE id = ?1", params![id, reason])?;
        audit::record(tx, now, &actor, AuditEvent::ShiftsChanged, Some(id), &format!("cancelled: {reason}"))
    })?;
    get_in(desk.conn(), id)
}

/// Takes back a cancellation.
pub fn restore(desk: &mut Desk, session: &Session, id: &str) -> Result<Shift> {
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageVolunteers)?;
        materialize(tx, id)?;
        tx.execute("UPDATE shifts SET cancelled = 0, cancel_reason = NULL WHERE id = ?1", [id])?;
        audit::record(tx, now, &actor, AuditEvent::ShiftsChanged, Some(id), "needed after all")
    })?;
    get_in(desk.conn(), id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recurrence::Weekday;
    use crate::testkit::{desk_at, morning_line, OPERATOR};
    use crate::volunteers::templates;

    #[test]
    fn shifts_keep_their_local_time_across_both_daylight_saving_changes() {
        let mut desk = desk_at("2026-10-26T15:00:00Z");
        let mut input = morning_line("2026-10-26");
        input.schedule.weekdays = vec![Weekday::Monday];
        templates::create(&mut desk, &OPERATOR, &input).unwrap();
        let day = |text: &str| text.parse::<NaiveDate>().unwrap();
        let starts: Vec<String> = between(&desk, &OPERATOR, day("2026-10-26"), day("2027-03-16"))
            .unwrap()
            .into_iter()
            .filter(|s| ["2026-10-26", "2026-11-02", "2027-03-08", "2027-03-15"].contains(&&s.local_start[..10]))
            .map(|s| format!("{} {}", s.local_start, s.starts_at))
            .collect();
        // Chicago: UTC-5 in daylight time, UTC-6 in standard time; 9 am local every Monday.
        assert_eq!(
            starts,
            [
                "2026-10-26T09:00 2026-10-26T14:00:00.000Z",
                "2026-11-02T09:00 2026-11-02T15:00:00.000Z",
                "2027-03-08T09:00 2027-03-08T15:00:00.000Z",
                "2027-03-15T09:00 2027-03-15T14:00:00.000Z",
            ]
        );
    }

    #[test]
    fn the_week_shows_each_shift_uncovered_until_someone_holds_it_and_a_cancelled_one_is_no_gap() {
        // Monday 23 November 2026, 9 am in Chicago.
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        templates::create(&mut desk, &OPERATOR, &morning_line("2026-11-23")).unwrap();
        let gaps = gaps(&desk, &OPERATOR).unwrap();
        let days: Vec<&str> = gaps.iter().map(|s| &s.local_start[..10]).collect();
        assert_eq!(days, ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-30"]);
        assert!(gaps.iter().all(|s| s.coverage == Coverage::Uncovered && s.warmline));
        let thanksgiving = &gaps[3];
        cancel(&mut desk, &OPERATOR, &thanksgiving.id, "Center closed").unwrap();
        assert_eq!(super::gaps(&desk, &OPERATOR).unwrap().len(), 5);
        let week = between(&desk, &OPERATOR, "2026-11-23".parse().unwrap(), "2026-11-29".parse().unwrap()).unwrap();
        assert_eq!(week.len(), 5, "cancelled, not gone: {week:?}");
        assert!(week[3].cancelled);
    }
}
