//! Shift templates: a role's shifts as they recur ("Warmline, weekdays 9 to 1, needs 1, ideally
//! 2"), on the same RFC 5545 engine as groups' meetings ([`crate::recurrence`]), in the center's
//! zone. Each occurrence is a shift named by its template and local start ([`shift_id`]), so two
//! desks never hold two copies of one shift. A one-off shift is a template that happens once.
//! The warmline role's templates are the line's opening hours.
//!
//! Editing a template's times ends its schedule now and starts a new one, so shifts that
//! happened keep their times; ending the template removes its shifts to come.

use chrono::{Duration, NaiveDateTime};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::access::{self, Action, Session};
use crate::audit::{self, AuditEvent};
use crate::clock::{named_time, typed_clock};
use crate::recurrence::{derived_id, parse_time, Index, RecurrenceError, Repeat, Schedule};
use crate::retirable::RetirableError;
use crate::sync::entity::Table;
use crate::volunteers::VolunteersError;
use crate::{groups, new_id, text, Desk, Error, Result, Timestamp};

/// A template as the coordinator's form sends it. The schedule's `start_time` starts each
/// shift and `end_time` ends it; an end earlier than the start is the next morning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateInput {
    pub name: String,
    pub role_id: String,
    /// Its `duration_minutes` is worked out from the start and end times.
    pub schedule: Schedule,
    /// Local end time, `13:00`.
    pub end_time: String,
    pub needed_min: u32,
    /// `None`: the minimum.
    pub needed_ideal: Option<u32>,
    pub location: Option<String>,
}

/// A shift that happens once, from one local date and time to another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OneOffInput {
    pub name: String,
    pub role_id: String,
    /// `2026-12-05T09:00`.
    pub starts_at_local: String,
    pub ends_at_local: String,
    pub needed_min: u32,
    pub needed_ideal: Option<u32>,
    pub location: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ShiftTemplate {
    pub id: String,
    pub name: String,
    pub role_id: String,
    pub role_name: String,
    pub warmline: bool,
    pub needed_min: u32,
    pub needed_ideal: u32,
    pub location: Option<String>,
    /// The group whose facilitator this template's shifts ask for.
    pub group_id: Option<String>,
    /// When it happens from now on; `None` once ended.
    pub schedule: Option<Schedule>,
    pub end_time: Option<String>,
    pub ended: bool,
}

/// The longest shift.
pub const LONGEST_HOURS: u32 = 24;

pub(crate) const SYNCED: Table = Table {
    entity: "shift_template",
    table: "shift_templates",
    columns: &["name", "role_id", "needed_min", "needed_ideal", "location", "group_id", "created_at", "ended_at"],
    ..Table::PLAIN
};

/// Schedules travel as their recurrence text; each desk expands them itself.
pub(crate) const SCHEDULES: Table = Table {
    entity: "shift_schedule",
    table: "shift_schedules",
    columns: &["template_id", "recurrence", "duration_minutes", "created_at"],
    upkeep: &OCCURRENCES,
    ..Table::PLAIN
};

pub(crate) const OCCURRENCES: Index = Index {
    recurrences: "shift_schedules",
    owner_column: "template_id",
    occurrences: "shift_occurrences",
    occurrence_id: shift_id,
};

/// The id of the shift `template_id` has at `local_start`, the same on every desk.
pub(crate) fn shift_id(template_id: &str, local_start: &str) -> String {
    derived_id(&format!("shift/{template_id}/{local_start}"), local_start)
}

struct Checked {
    name: String,
    needed_min: u32,
    needed_ideal: u32,
    location: Option<String>,
}

fn checked(
    tx: &Transaction,
    name: &str,
    role_id: &str,
    needed_min: u32,
    needed_ideal: Option<u32>,
    location: Option<&str>,
) -> Result<Checked> {
    let name = text::optional(Some(name), "name", "Name", 80)?.ok_or(Error::Retirable(RetirableError::NameRequired))?;
    if !tx.prepare_cached("SELECT 1 FROM shift_roles WHERE id = ?1 AND retired_at IS NULL")?.exists([role_id])? {
        return Err(Error::Volunteers(VolunteersError::RoleNotOffered));
    }
    if needed_min < 1 {
        return Err(Error::Volunteers(VolunteersError::NeededAtLeastOne));
    }
    let needed_ideal = needed_ideal.unwrap_or(needed_min);
    if needed_ideal < needed_min {
        return Err(Error::Volunteers(VolunteersError::IdealBelowMinimum { min: needed_min }));
    }
    Ok(Checked { name, needed_min, needed_ideal, location: text::optional(location, "location", "Where", 60)? })
}

impl TemplateInput {
    /// The schedule with its length worked out from the start and end times.
    fn schedule(&self) -> Result<Schedule> {
        let (start, end) = (parse_time(&self.schedule.start_time)?, parse_time(&self.end_time)?);
        if start == end {
            return Err(Error::Volunteers(VolunteersError::ShiftEndsBeforeStart));
        }
        let mut minutes = (end - start).num_minutes();
        if minutes < 0 {
            minutes += 24 * 60;
        }
        Ok(Schedule { duration_minutes: minutes as u32, ..self.schedule.clone() })
    }
}

/// Refuses a template two of whose shifts would overlap: a new schedule whose first shift starts
/// before the last kept one of the schedule it replaces has ended (times changed mid-shift).
fn ensure_no_overlap(tx: &Transaction, template_id: &str) -> Result<()> {
    let overlap: Option<String> = tx
        .prepare_cached(
            "SELECT local_start FROM (
                SELECT local_start, starts_at, LAG(ends_at) OVER (ORDER BY starts_at) AS previous_end
                FROM shift_occurrences WHERE template_id = ?1)
             WHERE starts_at < previous_end ORDER BY starts_at LIMIT 1",
        )?
        .query_row([template_id], |row| row.get(0))
        .optional()?;
    match overlap {
        None => Ok(()),
        Some(local_start) => {
            let at =
                NaiveDateTime::parse_from_str(&local_start, "%Y-%m-%dT%H:%M").map(named_time).unwrap_or(local_start);
            Err(Error::Volunteers(VolunteersError::TemplateOverlapsItself { at }))
        }
    }
}

/// Publishes a role's recurring shifts.
pub fn create(desk: &mut Desk, session: &Session, input: &TemplateInput) -> Result<ShiftTemplate> {
    let schedule = input.schedule()?;
    let recurrence = schedule.to_recurrence(desk.zone()?)?;
    publish(desk, session, &Publishing::of(input), &recurrence, schedule.duration_minutes)
}

/// A shift that happens once.
pub fn add_one_off(desk: &mut Desk, session: &Session, input: &OneOffInput) -> Result<ShiftTemplate> {
    let local = |text: &str| {
        NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M")
            .map_err(|_| Error::Recurrence(RecurrenceError::InvalidTime(text.to_owned())))
    };
    let (starts, ends) = (local(&input.starts_at_local)?, local(&input.ends_at_local)?);
    if ends <= starts {
        return Err(Error::Volunteers(VolunteersError::ShiftEndsBeforeStart));
    }
    if ends - starts > Duration::hours(LONGEST_HOURS.into()) {
        return Err(Error::Volunteers(VolunteersError::ShiftTooLong { max_hours: LONGEST_HOURS }));
    }
    let schedule = Schedule {
        repeat: Repeat::Once,
        weekdays: Vec::new(),
        every_weeks: 1,
        weeks_of_month: vec![1],
        starts_on: starts.date(),
        ends_on: None,
        start_time: starts.format("%H:%M").to_string(),
        duration_minutes: (ends - starts).num_minutes() as u32,
        skipped: Vec::new(),
    };
    let recurrence = schedule.to_recurrence(desk.zone()?)?;
    let publishing = Publishing {
        name: &input.name,
        role_id: &input.role_id,
        needed_min: input.needed_min,
        needed_ideal: input.needed_ideal,
        location: input.location.as_deref(),
        group_id: None,
    };
    publish(desk, session, &publishing, &recurrence, schedule.duration_minutes)
}

/// A group's sessions asking for a facilitator: a facilitation template on the group's schedule.
pub fn for_group(desk: &mut Desk, session: &Session, group_id: &str, needed: u32) -> Result<ShiftTemplate> {
    let group = groups::get(desk, session, group_id)?;
    let schedule = group.schedule.ok_or(Error::Recurrence(RecurrenceError::ScheduleYieldsNothing))?;
    let recurrence = schedule.to_recurrence(desk.zone()?)?;
    let name = format!("Facilitate {}", group.name);
    let publishing = Publishing {
        name: &name,
        role_id: super::FACILITATION_ROLE,
        needed_min: needed,
        needed_ideal: None,
        location: group.room.as_deref(),
        group_id: Some(group_id),
    };
    publish(desk, session, &publishing, &recurrence, schedule.duration_minutes)
}

/// What a new template is, before it is checked.
struct Publishing<'a> {
    name: &'a str,
    role_id: &'a str,
    needed_min: u32,
    needed_ideal: Option<u32>,
    location: Option<&'a str>,
    group_id: Option<&'a str>,
}

impl<'a> Publishing<'a> {
    fn of(input: &'a TemplateInput) -> Publishing<'a> {
        Publishing {
            name: &input.name,
            role_id: &input.role_id,
            needed_min: input.needed_min,
            needed_ideal: input.needed_ideal,
            location: input.location.as_deref(),
            group_id: None,
        }
    }
}

/// Checks and stores a new template with its first schedule, in one transaction.
fn publish(
    desk: &mut Desk,
    session: &Session,
    what: &Publishing,
    recurrence: &str,
    duration_minutes: u32,
) -> Result<ShiftTemplate> {
    let id = desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageVolunteers)?;
        let template = checked(tx, what.name, what.role_id, what.needed_min, what.needed_ideal, what.location)?;
        let id = insert(tx, now, &template, what.role_id, what.group_id)?;
        OCCURRENCES.add(tx, now, &id, recurrence, duration_minutes)?;
        ensure_no_overlap(tx, &id)?;
        let detail = format!("template {} published", template.name);
        audit::record(tx, now, &actor, AuditEvent::ShiftsChanged, Some(&id), &detail)?;
        Ok(id)
    })?;
    get_in(desk.conn(), &id)
}

fn insert(
    tx: &Transaction,
    now: Timestamp,
    template: &Checked,
    role_id: &str,
    group_id: Option<&str>,
) -> Result<String> {
    let id = new_id();
    tx.prepare_cached(
        "INSERT INTO shift_templates (id, name, role_id, needed_min, needed_ideal, location, group_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        id,
        template.name,
        role_id,
        template.needed_min,
        template.needed_ideal,
        template.location,
        group_id,
        now
    ])?;
    Ok(id)
}

/// Changes a template from now on: what it is at once, its times for shifts to come (shifts
/// that happened keep theirs; shifts already held keep their holders).
pub fn update(desk: &mut Desk, session: &Session, id: &str, input: &TemplateInput) -> Result<ShiftTemplate> {
    let schedule = input.schedule()?;
    let recurrence = schedule.to_recurrence(desk.zone()?)?;
    let current = get_in(desk.conn(), id)?;
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageVolunteers)?;
        let template =
            checked(tx, &input.name, &input.role_id, input.needed_min, input.needed_ideal, input.location.as_deref())?;
        tx.prepare_cached(
            "UPDATE shift_templates SET name = ?2, role_id = ?3, needed_min = ?4, needed_ideal = ?5, location = ?6
             WHERE id = ?1",
        )?
        .execute(params![
            id,
            template.name,
            input.role_id,
            template.needed_min,
            template.needed_ideal,
            template.location
        ])?;
        if current.schedule.as_ref() != Some(&schedule) {
            OCCURRENCES.end_all(tx, id, now)?;
            OCCURRENCES.add(tx, now, id, &recurrence, schedule.duration_minutes)?;
            ensure_no_overlap(tx, id)?;
        }
        audit::record(tx, now, &actor, AuditEvent::ShiftsChanged, Some(id), "template changed")
    })?;
    get_in(desk.conn(), id)
}

/// Ends a template: no shifts from now on; those that happened, and any held, stay.
pub fn end(desk: &mut Desk, session: &Session, id: &str) -> Result<ShiftTemplate> {
    get_in(desk.conn(), id)?;
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageVolunteers)?;
        OCCURRENCES.end_all(tx, id, now)?;
        tx.execute("UPDATE shift_templates SET ended_at = COALESCE(ended_at, ?2) WHERE id = ?1", params![id, now])?;
        audit::record(tx, now, &actor, AuditEvent::ShiftsChanged, Some(id), "template ended")
    })?;
    get_in(desk.conn(), id)
}

/// Every template, those running first, warmline hours before the rest, by name.
pub fn list(desk: &Desk, session: &Session) -> Result<Vec<ShiftTemplate>> {
    access::authorize(desk, session, Action::ManageVolunteers)?;
    let ids: Vec<String> = {
        let mut statement = desk.conn().prepare_cached(
            "SELECT t.id FROM shift_templates t JOIN shift_roles r ON r.id = t.role_id
             ORDER BY t.ended_at IS NOT NULL, r.warmline DESC, r.position, t.name COLLATE NOCASE",
        )?;
        let rows = statement.query_map([], |row| row.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    ids.iter().map(|id| get_in(desk.conn(), id)).collect()
}

pub(crate) fn get_in(conn: &Connection, id: &str) -> Result<ShiftTemplate> {
    let template = conn
        .prepare_cached(
            "SELECT t.id, t.name, t.role_id, r.name, r.warmline, t.needed_min, t.needed_ideal, t.location, t.group_id,
                t.ended_at IS NOT NULL
             FROM shift_templates t JOIN shift_roles r ON r.id = t.role_id WHERE t.id = ?1",
        )?
        .query_row([id], |row| {
            Ok(ShiftTemplate {
                id: row.get(0)?,
                name: row.get(1)?,
                role_id: row.get(2)?,
                role_name: row.get(3)?,
                warmline: row.get(4)?,
                needed_min: row.get(5)?,
                needed_ideal: row.get(6)?,
                location: row.get(7)?,
                group_id: row.get(8)?,
                ended: row.get(9)?,
                schedule: None,
                end_time: None,
            })
        })
        .optional()?
        .ok_or(Error::Volunteers(VolunteersError::TemplateNotFound))?;
    let schedule = if template.ended { None } else { OCCURRENCES.newest(conn, id)? };
    let end_time = schedule.as_ref().and_then(|s| {
        let start = typed_clock(&s.start_time)?;
        Some((start + Duration::minutes(s.duration_minutes.into())).format("%H:%M").to_string())
    });
    Ok(ShiftTemplate { schedule, end_time, ..template })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recurrence::Weekday;
    use crate::testkit::{desk_at, morning_line as weekdays_nine_to_one, OPERATOR};
    use crate::volunteers::WARMLINE_ROLE;

    #[test]
    fn a_template_is_checked_and_keeps_its_times() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let template = create(&mut desk, &OPERATOR, &weekdays_nine_to_one("2026-11-23")).unwrap();
        assert_eq!(template.schedule.as_ref().unwrap().duration_minutes, 240);
        assert_eq!(template.end_time.as_deref(), Some("13:00"));
        assert!(template.warmline);

        let overnight = TemplateInput { end_time: "06:00".into(), ..weekdays_nine_to_one("2026-11-23") };
        let overnight = TemplateInput {
            schedule: Schedule { start_time: "22:00".into(), ..overnight.schedule.clone() },
            ..overnight
        };
        assert_eq!(create(&mut desk, &OPERATOR, &overnight).unwrap().schedule.unwrap().duration_minutes, 480);

        let refusals = [
            (
                TemplateInput { end_time: "09:00".into(), ..weekdays_nine_to_one("2026-11-23") },
                "shift_ends_before_start",
            ),
            (TemplateInput { needed_min: 0, ..weekdays_nine_to_one("2026-11-23") }, "needed_at_least_one"),
            (
                TemplateInput { needed_ideal: Some(0), needed_min: 2, ..weekdays_nine_to_one("2026-11-23") },
                "ideal_below_minimum",
            ),
            (TemplateInput { role_id: "nope".into(), ..weekdays_nine_to_one("2026-11-23") }, "role_not_offered"),
        ];
        for (input, code) in refusals {
            assert_eq!(create(&mut desk, &OPERATOR, &input).unwrap_err().code(), code);
        }

        let one_off = |starts: &str, ends: &str| OneOffInput {
            name: "Health fair".into(),
            role_id: WARMLINE_ROLE.into(),
            starts_at_local: starts.into(),
            ends_at_local: ends.into(),
            needed_min: 3,
            needed_ideal: None,
            location: Some("Park".into()),
        };
        assert!(matches!(
            add_one_off(&mut desk, &OPERATOR, &one_off("2026-12-05T14:00", "2026-12-05T09:00")),
            Err(Error::Volunteers(VolunteersError::ShiftEndsBeforeStart))
        ));
        assert!(matches!(
            add_one_off(&mut desk, &OPERATOR, &one_off("2026-12-05T09:00", "2026-12-06T10:00")),
            Err(Error::Volunteers(VolunteersError::ShiftTooLong { max_hours: 24 }))
        ));
        let fair = add_one_off(&mut desk, &OPERATOR, &one_off("2026-12-05T09:00", "2026-12-05T14:00")).unwrap();
        assert_eq!((fair.needed_min, fair.needed_ideal), (3, 3));
    }

    #[test]
    fn an_all_day_line_ends_at_23_59_on_the_short_spring_day_and_a_shift_cannot_overlap_itself() {
        // Monday 8 March 2027, 10 am in Chicago; the clocks go forward on Sunday the 14th.
        let mut desk = desk_at("2027-03-08T16:00:00Z");
        let mut all_day = weekdays_nine_to_one("2027-03-08");
        all_day.schedule.weekdays = <Weekday as strum::VariantArray>::VARIANTS.to_vec();
        all_day.schedule.start_time = "00:00".into();
        all_day.end_time = "23:59".into();
        let line = create(&mut desk, &OPERATOR, &all_day).unwrap();
        let day = |text: &str| text.parse::<chrono::NaiveDate>().unwrap();
        let short_day = crate::volunteers::shifts::between_in(&desk, day("2027-03-14"), day("2027-03-14")).unwrap();
        assert_eq!(
            (short_day[0].starts_at.to_string().as_str(), short_day[0].ends_at.to_string().as_str()),
            ("2027-03-14T06:00:00.000Z", "2027-03-15T04:59:00.000Z"),
            "midnight CST to 23:59 CDT"
        );

        // Moving today's hours while today's shift is on would put two shifts over each other.
        let mut later = all_day.clone();
        later.schedule.start_time = "12:00".into();
        later.end_time = "20:00".into();
        let refused = update(&mut desk, &OPERATOR, &line.id, &later).unwrap_err();
        assert!(
            matches!(refused, Error::Volunteers(VolunteersError::TemplateOverlapsItself { ref at }) if at == "Mon, Mar 8, 12:00 PM"),
            "{refused:?}"
        );
        later.schedule.starts_on = day("2027-03-09");
        assert_eq!(update(&mut desk, &OPERATOR, &line.id, &later).unwrap().end_time.as_deref(), Some("20:00"));
    }
}
