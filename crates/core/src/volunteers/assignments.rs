//! Who holds a shift. A coordinator assigns someone from the list of those who could take it
//! (those with the fewest hours this month first), a volunteer signs up for an open shift of a
//! role they fill, and every refusal names its reason: not in the role, a credential missing or
//! expired on the shift's day, another shift at the same time, away or unavailable that day, the
//! shift full, cancelled or over. A shift is dropped (open again) or swapped to someone else,
//! and the assignment keeps who held it. At the shift, the desk clocks the volunteer in and
//! out, or the coordinator marks a no-show or confirms the day's hours as scheduled.
//!
//! An assignment's id comes from its shift and volunteer, so two desks putting the same person
//! on the same shift while apart hold one record; two people on the last place both stay, and
//! the shift shows over-filled.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveTime};
use chrono_tz::Tz;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use ts_rs::TS;

use super::shifts::{self, Shift};
use super::{hours, templates, Available};
use crate::access::{self, Action, Actor, Scope, Session};
use crate::audit::{self, AuditEvent};
use crate::clock::{day_bounds, named_clock, named_day, named_time, typed_clock, DayStyle};
use crate::recurrence::{derived_id, Weekday};
use crate::sync::entity::Table;
use crate::volunteers::VolunteersError;
use crate::{text, Desk, Error, Result, Timestamp};

/// A volunteer may drop their own shift until this many hours before it starts.
pub const DROP_UNTIL_HOURS: u32 = 24;
/// Clocking in opens this long before a shift starts.
pub const CLOCK_IN_OPENS_MINUTES: u32 = 60;

pub(crate) const SYNCED: Table = Table {
    entity: "shift_assignment",
    table: "shift_assignments",
    columns: &[
        "shift_id",
        "volunteer_id",
        "state",
        "came_by",
        "swapped_from",
        "assigned_at",
        "assigned_by",
        "released_at",
        "released_by",
        "clocked_in_at",
        "clocked_out_at",
        "no_show",
        "no_show_comment",
        "confirmed_at",
    ],
    ..Table::PLAIN
};

/// The id of `volunteer_id`'s assignment to `shift`, the same on every desk.
pub(crate) fn assignment_id(shift: &Shift, volunteer_id: &str) -> String {
    derived_id(&format!("assignment/{}/{volunteer_id}", shift.id), &shift.local_start)
}

/// A volunteer the coordinator could put on a shift, or why not.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Candidate {
    pub volunteer_id: String,
    pub name: String,
    pub minutes_this_month: u32,
    /// Why they cannot take it, in words; `None` when they can.
    pub refusal: Option<String>,
    /// The refusal's machine code (`credential_expired`, ...).
    pub refusal_code: Option<String>,
}

/// What the checks need to know of one volunteer.
struct Volunteer {
    id: String,
    name: String,
    active: bool,
    role_ids: Vec<String>,
    availability: Option<Vec<Available>>,
    /// Days away that touch the shift's day.
    away: Vec<(NaiveDate, NaiveDate)>,
    /// How they stand, on the shift's day, for each kind of credential its role asks for.
    credentials: Credentials,
    /// Another shift they hold that overlaps this one, described.
    overlapping: Option<String>,
}

/// One kind of credential a volunteer holds, as it stands on a shift's day.
struct Held {
    valid: bool,
    /// The last day one of this kind ran out before the shift's day.
    expired_on: Option<NaiveDate>,
}

type Credentials = HashMap<String, Held>;

/// What a shift's role asks for.
struct Role {
    name: String,
    credentials: Vec<(String, String)>,
}

/// Loads what the checks need for the shift, of one volunteer or of every volunteer in its
/// role: each read by an index, so the list for one shift stays quick at years of shifts.
fn volunteers_for(conn: &Connection, zone: Tz, shift: &Shift, only: Option<&str>) -> Result<Vec<Volunteer>> {
    let day = shift.starts_at.in_zone(zone).date_naive();
    // `?1`: the one volunteer, or NULL for every volunteer in the role `?2`; two statements, so
    // each is planned on its own index.
    let chosen = |column: &str| match only {
        Some(_) => format!("{column} = ?1 AND ?2 IS NOT NULL"),
        None => {
            format!("{column} IN (SELECT volunteer_id FROM volunteer_shift_roles WHERE role_id = ?2) AND ?1 IS NULL")
        }
    };
    let mut statement = conn.prepare_cached(&format!(
        "SELECT v.id, p.display_name, v.active, v.availability,
            (SELECT group_concat(role_id) FROM volunteer_shift_roles r WHERE r.volunteer_id = v.id)
         FROM volunteers v JOIN people p ON p.id = v.id WHERE {}",
        chosen("v.id")
    ))?;
    let rows = statement.query_map(params![only, shift.role_id], |row| {
        Ok(Volunteer {
            id: row.get(0)?,
            name: row.get(1)?,
            active: row.get(2)?,
            availability: row.get::<_, Option<String>>(3)?.and_then(|json| serde_json::from_str(&json).ok()),
            role_ids: super::split_ids(row.get(4)?),
            away: Vec::new(),
            credentials: Credentials::new(),
            overlapping: None,
        })
    })?;
    let mut volunteers: Vec<Volunteer> = rows.collect::<rusqlite::Result<_>>()?;
    let by_id: HashMap<String, usize> = volunteers.iter().enumerate().map(|(at, v)| (v.id.clone(), at)).collect();

    let mut away = conn.prepare_cached(&format!(
        "SELECT volunteer_id, first_day, last_day FROM volunteer_blackouts
         WHERE removed_at IS NULL AND first_day <= ?3 AND last_day >= ?3 AND {}",
        chosen("volunteer_id")
    ))?;
    let rows = away
        .query_map(params![only, shift.role_id, day], |row| Ok((row.get::<_, String>(0)?, row.get(1)?, row.get(2)?)))?;
    for row in rows {
        let (id, first, last) = row?;
        if let Some(at) = by_id.get(&id) {
            volunteers[*at].away.push((first, last));
        }
    }
    // Per volunteer and kind the role asks for: whether one is good on the day, and the last
    // day one ran out before it.
    let mut held = conn.prepare_cached(&format!(
        "SELECT c.volunteer_id, c.kind_id,
            MAX(c.issued_on <= ?3 AND (c.expires_on IS NULL OR c.expires_on >= ?3)),
            MAX(CASE WHEN c.expires_on < ?3 THEN c.expires_on END)
         FROM shift_role_credentials rc JOIN volunteer_credentials c ON c.kind_id = rc.kind_id
         WHERE rc.role_id = ?2 AND c.removed_at IS NULL AND {}
         GROUP BY c.volunteer_id, c.kind_id",
        chosen("c.volunteer_id")
    ))?;
    let rows = held.query_map(params![only, shift.role_id, day], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, bool>(2)?,
            row.get::<_, Option<NaiveDate>>(3)?,
        ))
    })?;
    for row in rows {
        let (id, kind, valid, expired_on) = row?;
        if let Some(at) = by_id.get(&id) {
            volunteers[*at].credentials.insert(kind, Held { valid, expired_on });
        }
    }
    // A shift lasts at most a day, so one that overlaps this one starts less than a day before
    // it; CROSS JOIN has SQLite look at that day's shifts, not at each volunteer's every one.
    let mut overlapping = conn.prepare_cached(&format!(
        "SELECT x.volunteer_id, t.name, s.starts_at FROM shifts s
         CROSS JOIN shift_assignments x ON x.shift_id = s.id JOIN shift_templates t ON t.id = s.template_id
         WHERE s.starts_at > ?3 AND s.starts_at < ?4 AND s.ends_at > ?5 AND s.id != ?6 AND s.cancelled = 0
           AND x.state = 'held' AND {}",
        chosen("x.volunteer_id")
    ))?;
    let day_before = Timestamp(shift.starts_at.0 - Duration::hours(templates::LONGEST_HOURS.into()));
    let rows = overlapping
        .query_map(params![only, shift.role_id, day_before, shift.ends_at, shift.starts_at, shift.id], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, Timestamp>(2)?))
        })?;
    for row in rows {
        let (id, name, starts_at) = row?;
        if let Some(at) = by_id.get(&id) {
            volunteers[*at].overlapping =
                Some(format!("{name} ({})", named_time(starts_at.in_zone(zone).naive_local())));
        }
    }
    Ok(volunteers)
}

fn role_of(conn: &Connection, role_id: &str) -> Result<Role> {
    let name: String = conn
        .prepare_cached("SELECT name FROM shift_roles WHERE id = ?1")?
        .query_row([role_id], |row| row.get(0))
        .optional()?
        .ok_or(Error::Volunteers(VolunteersError::RoleNotOffered))?;
    let mut statement = conn.prepare_cached(
        "SELECT k.id, k.name FROM shift_role_credentials c JOIN credential_kinds k ON k.id = c.kind_id
         WHERE c.role_id = ?1 AND k.retired_at IS NULL ORDER BY k.position",
    )?;
    let credentials = statement.query_map([role_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(Role { name, credentials: credentials.collect::<rusqlite::Result<_>>()? })
}

/// Why the shift takes nobody at all: cancelled, or over.
fn closed(shift: &Shift, now: Timestamp) -> Option<Error> {
    if shift.cancelled {
        return Some(Error::Volunteers(VolunteersError::ShiftCancelled {
            reason: shift.cancel_reason.clone().unwrap_or_default(),
        }));
    }
    (shift.ends_at <= now).then_some(Error::Volunteers(VolunteersError::ShiftEnded))
}

/// Why the shift takes nobody more: its places are taken (not asked for a swap, which leaves
/// the count as it was).
fn full(shift: &Shift) -> Option<Error> {
    (shift.held >= shift.needed_ideal)
        .then_some(Error::Volunteers(VolunteersError::ShiftFull { needed: shift.needed_ideal }))
}

/// Why `volunteer` cannot take `shift`, or `None` when they can.
fn refusal(shift: &Shift, role: &Role, volunteer: &Volunteer, zone: Tz) -> Option<Error> {
    let name = || volunteer.name.clone();
    if !volunteer.active {
        return Some(Error::Volunteers(VolunteersError::VolunteerInactive { name: name() }));
    }
    if shift.holders.iter().any(|holder| holder.volunteer_id == volunteer.id) {
        return Some(Error::Volunteers(VolunteersError::AlreadyOnShift { name: name() }));
    }
    if !volunteer.role_ids.contains(&shift.role_id) {
        return Some(Error::Volunteers(VolunteersError::NotInRole { name: name(), role: role.name.clone() }));
    }
    let start = shift.starts_at.in_zone(zone);
    let day = start.date_naive();
    for (kind_id, kind_name) in &role.credentials {
        let held = volunteer.credentials.get(kind_id);
        if held.is_some_and(|held| held.valid) {
            continue;
        }
        return Some(match held.and_then(|held| held.expired_on) {
            Some(expired_on) => Error::Volunteers(VolunteersError::CredentialExpired {
                name: name(),
                credential: kind_name.clone(),
                expired_on: named_day(expired_on, DayStyle::WithYear),
                shift_day: named_day(day, DayStyle::WithYear),
            }),
            None => Error::Volunteers(VolunteersError::CredentialMissing {
                name: name(),
                credential: kind_name.clone(),
                role: role.name.clone(),
            }),
        });
    }
    if let Some(other) = &volunteer.overlapping {
        return Some(Error::Volunteers(VolunteersError::ShiftOverlaps { name: name(), other: other.clone() }));
    }
    let day_text = || named_day(day, DayStyle::Short);
    if let Some((first, last)) = volunteer.away.first() {
        let why = if first == last {
            "marked away that day".to_owned()
        } else {
            format!("away {} to {}", named_day(*first, DayStyle::DayMonth), named_day(*last, DayStyle::DayMonth))
        };
        return Some(Error::Volunteers(VolunteersError::VolunteerUnavailable { name: name(), day: day_text(), why }));
    }
    if let Some(windows) = &volunteer.availability {
        let weekday = <Weekday as strum::VariantArray>::VARIANTS[start.weekday().num_days_from_monday() as usize];
        let begins = start.time();
        let end = shift.ends_at.in_zone(zone);
        // A shift past midnight needs the day free to its end.
        let ends =
            if end.date_naive() > day { NaiveTime::from_hms_opt(23, 59, 0).expect("a time") } else { end.time() };
        let today: Vec<&Available> = windows.iter().filter(|w| w.weekday == weekday).collect();
        let fits = today.iter().any(|w| {
            let (from, to) = (typed_clock(&w.from), typed_clock(&w.to));
            from.is_some_and(|from| from <= begins) && to.is_some_and(|to| ends <= to)
        });
        if !fits {
            let why = if today.is_empty() {
                format!("not available on {weekday:?}s")
            } else {
                let clock = |text: &str| typed_clock(text).map_or(text.to_owned(), named_clock);
                let hours: Vec<String> = today.iter().map(|w| format!("{}–{}", clock(&w.from), clock(&w.to))).collect();
                format!("available only {} that day", hours.join(", "))
            };
            return Some(Error::Volunteers(VolunteersError::VolunteerUnavailable {
                name: name(),
                day: day_text(),
                why,
            }));
        }
    }
    None
}

/// Everyone in the shift's role, those who can take it first (the fewest hours this month
/// first), then the others with why not.
pub fn candidates(desk: &Desk, session: &Session, shift_id: &str) -> Result<Vec<Candidate>> {
    access::authorize(desk, session, Action::ManageVolunteers)?;
    let conn = desk.conn();
    let zone = desk.zone()?;
    let shift = shifts::get_in(conn, shift_id)?;
    let role = role_of(conn, &shift.role_id)?;
    let minutes = hours::minutes_by_volunteer(desk, hours::month_of(shift.starts_at.in_zone(zone).date_naive()))?;
    let mut candidates: Vec<Candidate> = volunteers_for(conn, zone, &shift, None)?
        .iter()
        .filter(|volunteer| volunteer.active)
        .map(|volunteer| {
            let why =
                closed(&shift, desk.now()).or_else(|| refusal(&shift, &role, volunteer, zone)).or_else(|| full(&shift));
            let why = why.as_ref();
            Candidate {
                volunteer_id: volunteer.id.clone(),
                name: volunteer.name.clone(),
                minutes_this_month: minutes.get(&volunteer.id).copied().unwrap_or(0),
                refusal: why.map(ToString::to_string),
                refusal_code: why.map(|error| error.code().to_owned()),
            }
        })
        .collect();
    candidates.sort_by(|a, b| {
        (a.refusal.is_some(), a.minutes_this_month, &a.name).cmp(&(b.refusal.is_some(), b.minutes_this_month, &b.name))
    });
    Ok(candidates)
}

/// Every check for `volunteer_id` taking the shift, in the write that would put them on it.
fn check(tx: &Transaction, zone: Tz, now: Timestamp, shift: &Shift, volunteer_id: &str, swap: bool) -> Result<()> {
    super::ensure_volunteer(tx, volunteer_id)?;
    let role = role_of(tx, &shift.role_id)?;
    let volunteer = volunteers_for(tx, zone, shift, Some(volunteer_id))?
        .pop()
        .ok_or(Error::Volunteers(VolunteersError::VolunteerNotFound))?;
    let refused = closed(shift, now).or_else(|| refusal(shift, &role, &volunteer, zone)).or_else(|| {
        if swap {
            None
        } else {
            full(shift)
        }
    });
    if let Some(error) = refused {
        return Err(error);
    }
    Ok(())
}

/// Puts `volunteer_id` on the shift (`came_by`: assigned, signed up, a swap).
fn hold(
    tx: &Transaction,
    now: Timestamp,
    actor: &Actor,
    shift: &Shift,
    volunteer_id: &str,
    came_by: &str,
    swapped_from: Option<&str>,
) -> Result<String> {
    let id = assignment_id(shift, volunteer_id);
    tx.prepare_cached(
        "INSERT INTO shift_assignments (id, shift_id, volunteer_id, state, came_by, swapped_from, assigned_at, assigned_by)
         VALUES (?1, ?2, ?3, 'held', ?4, ?5, ?6, ?7)
         ON CONFLICT (id) DO UPDATE SET state = 'held', came_by = excluded.came_by, swapped_from = excluded.swapped_from,
            assigned_at = excluded.assigned_at, assigned_by = excluded.assigned_by, released_at = NULL,
            released_by = NULL, clocked_in_at = NULL, clocked_out_at = NULL, no_show = 0, no_show_comment = NULL,
            confirmed_at = NULL",
    )?
    .execute(params![id, shift.id, volunteer_id, came_by, swapped_from, now, actor.account_id])?;
    Ok(id)
}

/// A coordinator puts a volunteer on a shift, after every check.
pub fn assign(desk: &mut Desk, session: &Session, shift_id: &str, volunteer_id: &str) -> Result<Shift> {
    take_place(desk, session, shift_id, volunteer_id, Action::ManageVolunteers, "assigned")
}

/// A volunteer signs up for an open shift (or is signed up at the desk by a coordinator).
pub fn sign_up(desk: &mut Desk, session: &Session, shift_id: &str, volunteer_id: &str) -> Result<Shift> {
    take_place(desk, session, shift_id, volunteer_id, Action::SignUpForShifts, "signed_up")
}

/// Puts `volunteer_id` on the shift under `action` (a volunteer may on their own), after every
/// check, recording how they came to it.
fn take_place(
    desk: &mut Desk,
    session: &Session,
    shift_id: &str,
    volunteer_id: &str,
    action: Action,
    came_by: &str,
) -> Result<Shift> {
    let zone = desk.zone()?;
    desk.write(|tx, now| {
        let actor = super::authorize_for(tx, session, action, volunteer_id)?;
        let shift = shifts::materialize(tx, shift_id)?;
        check(tx, zone, now, &shift, volunteer_id, false)?;
        let id = hold(tx, now, &actor, &shift, volunteer_id, came_by, None)?;
        let detail = format!("{} for {}", came_by.replace('_', " "), shift.described(zone));
        audit::record(tx, now, &actor, AuditEvent::ShiftAssigned, Some(&id), &detail)
    })?;
    shifts::get_in(desk.conn(), shift_id)
}

/// The held assignment `id`: its shift and volunteer.
fn held(tx: &Transaction, id: &str) -> Result<(Shift, String)> {
    let (shift_id, volunteer_id, state): (String, String, String) = tx
        .prepare_cached("SELECT shift_id, volunteer_id, state FROM shift_assignments WHERE id = ?1")?
        .query_row([id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .optional()?
        .ok_or(Error::Volunteers(VolunteersError::AssignmentNotFound))?;
    if state != "held" {
        return Err(Error::Volunteers(VolunteersError::NotHoldingShift));
    }
    Ok((shifts::get_in(tx, &shift_id)?, volunteer_id))
}

/// Drops a shift: it is open again, and the assignment keeps who held it. A volunteer drops
/// their own until 24 hours before it starts; a coordinator any, any time.
pub fn drop_shift(desk: &mut Desk, session: &Session, assignment_id: &str) -> Result<Shift> {
    let zone = desk.zone()?;
    let shift_id = desk.write(|tx, now| {
        let (shift, volunteer_id) = held(tx, assignment_id)?;
        let actor = super::authorize_for(tx, session, Action::SignUpForShifts, &volunteer_id)?;
        let own_only = Action::SignUpForShifts.scope_for(&actor.roles) == Some(Scope::Own);
        if own_only && shift.starts_at.0 - now.0 < Duration::hours(DROP_UNTIL_HOURS.into()) {
            return Err(Error::Volunteers(VolunteersError::DropTooLate { hours: DROP_UNTIL_HOURS }));
        }
        release(tx, now, &actor, assignment_id, "dropped")?;
        audit::record(
            tx,
            now,
            &actor,
            AuditEvent::ShiftReleased,
            Some(assignment_id),
            &format!("dropped {}", shift.described(zone)),
        )?;
        Ok(shift.id)
    })?;
    shifts::get_in(desk.conn(), &shift_id)
}

fn release(tx: &Transaction, now: Timestamp, actor: &Actor, assignment_id: &str, state: &str) -> Result<()> {
    tx.prepare_cached("UPDATE shift_assignments SET state = ?2, released_at = ?3, released_by = ?4 WHERE id = ?1")?
        .execute(params![assignment_id, state, now, actor.account_id])?;
    Ok(())
}

/// Hands a held shift to another volunteer, after every check of them; the shift remembers
/// who held it before.
pub fn swap(desk: &mut Desk, session: &Session, assignment_id: &str, to_volunteer_id: &str) -> Result<Shift> {
    let zone = desk.zone()?;
    let shift_id = desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageVolunteers)?;
        let (shift, from_volunteer) = held(tx, assignment_id)?;
        check(tx, zone, now, &shift, to_volunteer_id, true)?;
        release(tx, now, &actor, assignment_id, "swapped")?;
        let id = hold(tx, now, &actor, &shift, to_volunteer_id, "swap", Some(&from_volunteer))?;
        audit::record(
            tx,
            now,
            &actor,
            AuditEvent::ShiftAssigned,
            Some(&id),
            &format!("swapped onto {}", shift.described(zone)),
        )?;
        Ok(shift.id)
    })?;
    shifts::get_in(desk.conn(), &shift_id)
}

/// Clocks a volunteer in at the desk: from an hour before the shift to its end.
pub fn clock_in(desk: &mut Desk, session: &Session, assignment_id: &str) -> Result<Shift> {
    attendance(desk, session, assignment_id, Action::ClockShifts, |tx, now, shift| {
        if shift.cancelled {
            return Err(Error::Volunteers(VolunteersError::ShiftCancelled {
                reason: shift.cancel_reason.clone().unwrap_or_default(),
            }));
        }
        if now.0 < shift.starts_at.0 - Duration::minutes(CLOCK_IN_OPENS_MINUTES.into()) {
            return Err(Error::Volunteers(VolunteersError::TooEarlyToClockIn { minutes: CLOCK_IN_OPENS_MINUTES }));
        }
        let clocked: Option<(Option<Timestamp>, Option<Timestamp>)> = tx
            .query_row(
                "SELECT clocked_in_at, clocked_out_at FROM shift_assignments WHERE id = ?1",
                [assignment_id],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        if let Some((Some(at), None)) = clocked {
            return Err(Error::Volunteers(VolunteersError::AlreadyClockedIn { at }));
        }
        tx.execute(
            "UPDATE shift_assignments SET clocked_in_at = ?2, clocked_out_at = NULL, no_show = 0, no_show_comment = NULL
             WHERE id = ?1",
            params![assignment_id, now],
        )?;
        Ok("clocked in")
    })
}

/// Clocks a volunteer out; refused before they clocked in.
pub fn clock_out(desk: &mut Desk, session: &Session, assignment_id: &str) -> Result<Shift> {
    attendance(desk, session, assignment_id, Action::ClockShifts, |tx, now, _| {
        let clocked_in: Option<Timestamp> =
            tx.query_row("SELECT clocked_in_at FROM shift_assignments WHERE id = ?1", [assignment_id], |row| {
                row.get(0)
            })?;
        if clocked_in.is_none_or(|at| at > now) {
            return Err(Error::Volunteers(VolunteersError::NotClockedIn));
        }
        tx.execute("UPDATE shift_assignments SET clocked_out_at = ?2 WHERE id = ?1", params![assignment_id, now])?;
        Ok("clocked out")
    })
}

/// Marks that a volunteer did not come, with what is known of why.
pub fn mark_no_show(desk: &mut Desk, session: &Session, assignment_id: &str, comment: &str) -> Result<Shift> {
    let comment = text::optional(Some(comment), "no_show_comment", "Comment", 200)?
        .ok_or(Error::Volunteers(VolunteersError::NoShowCommentRequired))?;
    attendance(desk, session, assignment_id, Action::ManageVolunteers, |tx, now, shift| {
        if shift.starts_at > now {
            return Err(Error::Volunteers(VolunteersError::ShiftNotStarted));
        }
        tx.execute(
            "UPDATE shift_assignments SET no_show = 1, no_show_comment = ?2, clocked_in_at = NULL, clocked_out_at = NULL,
                confirmed_at = NULL WHERE id = ?1",
            params![assignment_id, comment],
        )?;
        Ok("no-show")
    })
}

/// A change to one held assignment's attendance, under `action` (its volunteer may on their own).
fn attendance(
    desk: &mut Desk,
    session: &Session,
    assignment_id: &str,
    action: Action,
    change: impl FnOnce(&Transaction, Timestamp, &Shift) -> Result<&'static str>,
) -> Result<Shift> {
    let shift_id = desk.write(|tx, now| {
        let (shift, volunteer_id) = held(tx, assignment_id)?;
        let actor = super::authorize_for(tx, session, action, &volunteer_id)?;
        let detail = change(tx, now, &shift)?;
        audit::record(tx, now, &actor, AuditEvent::ShiftAttendance, Some(assignment_id), detail)?;
        Ok(shift.id)
    })?;
    shifts::get_in(desk.conn(), &shift_id)
}

/// Confirms the scheduled hours of every shift held on a local day that has ended, for those
/// not clocked and not marked absent: the end-of-day "everyone came". The number confirmed.
pub fn confirm_day(desk: &mut Desk, session: &Session, day: NaiveDate) -> Result<usize> {
    let (start, end) = day_bounds(day, desk.zone()?)?;
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageVolunteers)?;
        let confirmed = tx.execute(
            "UPDATE shift_assignments SET confirmed_at = ?3
             WHERE state = 'held' AND no_show = 0 AND clocked_in_at IS NULL AND confirmed_at IS NULL
               AND shift_id IN (SELECT id FROM shifts WHERE starts_at >= ?1 AND starts_at < ?2 AND ends_at <= ?3
                                AND cancelled = 0)",
            params![start, end, now],
        )?;
        audit::record(tx, now, &actor, AuditEvent::ShiftAttendance, None, &format!("{confirmed} confirmed for {day}"))?;
        Ok(confirmed)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::{self, PersonInput};
    use crate::testkit::{desk_at, line_volunteer, morning_line, OPERATOR};
    use crate::volunteers::templates;
    use crate::volunteers::{self, shifts::Coverage, VolunteerInput, WARMLINE_ROLE};

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    /// Monday 23 November 2026, 8 am in Chicago, with the weekday morning line from that day.
    fn line() -> (crate::testkit::TestDesk, Vec<Shift>) {
        let mut desk = desk_at("2026-11-23T14:00:00Z");
        templates::create(&mut desk, &OPERATOR, &morning_line("2026-11-23")).unwrap();
        let week = shifts::between(&desk, &OPERATOR, day("2026-11-23"), day("2026-12-18")).unwrap();
        (desk, week)
    }

    #[test]
    fn every_refusal_names_its_reason() {
        let (mut desk, week) = line();
        let ana = line_volunteer(&mut desk, "Ana P.", "2027-06-30");
        // Ben's background check ran out on 10 December; the shifts after it are not hers to take.
        let ben = line_volunteer(&mut desk, "Ben R.", "2026-12-10");
        let cy =
            people::register(&mut desk, &OPERATOR, &PersonInput { display_name: "Cy D.".into(), ..Default::default() })
                .unwrap();
        volunteers::save(
            &mut desk,
            &OPERATOR,
            &cy.id,
            &VolunteerInput { role_ids: vec![volunteers::FRONT_DESK_ROLE.into()], ..Default::default() },
        )
        .unwrap();

        let monday = &week[0];
        let code = |result: Result<Shift>| result.unwrap_err().code();
        assert_eq!(code(assign(&mut desk, &OPERATOR, &monday.id, &cy.id)), "not_in_role");
        let after_expiry = week.iter().find(|s| s.local_start.starts_with("2026-12-11")).unwrap();
        let expired = assign(&mut desk, &OPERATOR, &after_expiry.id, &ben).unwrap_err();
        assert_eq!(
            expired.to_string(),
            "Ben R.'s Background check expired on Dec 10, 2026, before this shift on Dec 11, 2026."
        );
        assert!(assign(&mut desk, &OPERATOR, &week[1].id, &ben).is_ok(), "still good on the 24th");

        assign(&mut desk, &OPERATOR, &monday.id, &ana).unwrap();
        assert_eq!(code(assign(&mut desk, &OPERATOR, &monday.id, &ana)), "already_on_shift");
        let full = assign(&mut desk, &OPERATOR, &monday.id, &ben).unwrap();
        assert_eq!((full.held, full.coverage), (2, Coverage::Covered));
        let dee = line_volunteer(&mut desk, "Dee F.", "2027-06-30");
        assert_eq!(code(assign(&mut desk, &OPERATOR, &monday.id, &dee)), "shift_full");

        let overlapping = templates::add_one_off(
            &mut desk,
            &OPERATOR,
            &templates::OneOffInput {
                name: "Extra line".into(),
                role_id: WARMLINE_ROLE.into(),
                starts_at_local: "2026-11-23T12:00".into(),
                ends_at_local: "2026-11-23T15:00".into(),
                needed_min: 1,
                needed_ideal: None,
                location: None,
            },
        )
        .unwrap();
        let extra = shifts::between(&desk, &OPERATOR, day("2026-11-23"), day("2026-11-23"))
            .unwrap()
            .into_iter()
            .find(|s| s.template_id == overlapping.id)
            .unwrap();
        let overlap = assign(&mut desk, &OPERATOR, &extra.id, &ana).unwrap_err();
        assert_eq!(
            overlap.to_string(),
            "Ana P. is already on Morning line (Mon, Nov 23, 9:00 AM), which overlaps this shift."
        );

        volunteers::add_blackout(&mut desk, &OPERATOR, &dee, day("2026-11-25"), day("2026-11-27")).unwrap();
        let away = assign(&mut desk, &OPERATOR, &week[2].id, &dee).unwrap_err();
        assert_eq!(away.to_string(), "Dee F. is unavailable on Wed, Nov 25: away Nov 25 to Nov 27.");
        let mornings_only = VolunteerInput {
            role_ids: vec![WARMLINE_ROLE.into()],
            availability: Some(vec![volunteers::Available {
                weekday: Weekday::Monday,
                from: "10:00".into(),
                to: "17:00".into(),
            }]),
            ..Default::default()
        };
        volunteers::save(&mut desk, &OPERATOR, &dee, &mornings_only).unwrap();
        let next_monday = week.iter().find(|s| s.local_start.starts_with("2026-11-30")).unwrap();
        assert_eq!(
            assign(&mut desk, &OPERATOR, &next_monday.id, &dee).unwrap_err().to_string(),
            "Dee F. is unavailable on Mon, Nov 30: available only 10:00 AM–5:00 PM that day."
        );
        assert_eq!(code(assign(&mut desk, &OPERATOR, &week[1].id, &dee)), "volunteer_unavailable", "not on Tuesdays");

        shifts::cancel(&mut desk, &OPERATOR, &week[3].id, "Closed").unwrap();
        assert_eq!(code(assign(&mut desk, &OPERATOR, &week[3].id, &ana)), "shift_cancelled");
        desk.clock.advance(Duration::hours(6));
        assert_eq!(code(assign(&mut desk, &OPERATOR, &monday.id, &dee)), "shift_ended");
        let nothing_half_done: i64 =
            desk.conn().query_row("SELECT COUNT(*) FROM shift_assignments", [], |row| row.get(0)).unwrap();
        assert_eq!(nothing_half_done, 3);
    }

    #[test]
    fn candidates_come_eligible_first_with_the_fewest_hours_and_the_rest_with_why_not() {
        let (mut desk, week) = line();
        let ana = line_volunteer(&mut desk, "Ana P.", "2027-06-30");
        let ben = line_volunteer(&mut desk, "Ben R.", "2027-06-30");
        let _old = line_volunteer(&mut desk, "Cal T.", "2026-11-01");
        assign(&mut desk, &OPERATOR, &week[0].id, &ana).unwrap();
        assign(&mut desk, &OPERATOR, &week[1].id, &ana).unwrap();
        desk.clock.advance(Duration::days(2));
        assignments_confirmed(&mut desk, "2026-11-24");
        let list = candidates(&desk, &OPERATOR, &week[4].id).unwrap();
        let seen: Vec<(&str, u32, Option<&str>)> =
            list.iter().map(|c| (c.name.as_str(), c.minutes_this_month, c.refusal_code.as_deref())).collect();
        assert_eq!(seen, [("Ben R.", 0, None), ("Ana P.", 480, None), ("Cal T.", 0, Some("credential_expired"))]);
        let _ = ben;
    }

    fn assignments_confirmed(desk: &mut Desk, on: &str) {
        confirm_day(desk, &OPERATOR, day(on)).unwrap();
        confirm_day(desk, &OPERATOR, day(on) - Duration::days(1)).unwrap();
    }

    #[test]
    fn a_shift_dropped_or_swapped_keeps_who_held_it() {
        let (mut desk, week) = line();
        let ana = line_volunteer(&mut desk, "Ana P.", "2027-06-30");
        let ben = line_volunteer(&mut desk, "Ben R.", "2027-06-30");
        let friday = &week[4];
        let held = assign(&mut desk, &OPERATOR, &friday.id, &ana).unwrap();
        let swapped = swap(&mut desk, &OPERATOR, &held.holders[0].assignment_id, &ben).unwrap();
        assert_eq!(swapped.holders.len(), 1);
        assert_eq!((swapped.holders[0].name.as_str(), swapped.holders[0].came_by.as_str()), ("Ben R.", "swap"));
        assert_eq!(swapped.holders[0].swapped_from_name.as_deref(), Some("Ana P."));
        let history: Vec<(String, String)> = {
            let mut statement = desk
                .conn()
                .prepare("SELECT p.display_name, x.state FROM shift_assignments x JOIN people p ON p.id = x.volunteer_id ORDER BY 1")
                .unwrap();
            statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?))).unwrap().map(Result::unwrap).collect()
        };
        assert_eq!(history, [("Ana P.".to_owned(), "swapped".to_owned()), ("Ben R.".to_owned(), "held".to_owned())]);
        let open = drop_shift(&mut desk, &OPERATOR, &swapped.holders[0].assignment_id).unwrap();
        assert_eq!((open.held, open.coverage), (0, Coverage::Uncovered));
        assert!(matches!(
            drop_shift(&mut desk, &OPERATOR, &swapped.holders[0].assignment_id),
            Err(Error::Volunteers(VolunteersError::NotHoldingShift))
        ));
    }

    #[test]
    fn clocking_in_and_out_a_no_show_and_a_confirmed_day() {
        let (mut desk, week) = line();
        let ana = line_volunteer(&mut desk, "Ana P.", "2027-06-30");
        let ben = line_volunteer(&mut desk, "Ben R.", "2027-06-30");
        let monday = assign(&mut desk, &OPERATOR, &week[0].id, &ana).unwrap();
        let monday = assign(&mut desk, &OPERATOR, &monday.id, &ben).unwrap();
        let (ana_on, ben_on) = (&monday.holders[0].assignment_id, &monday.holders[1].assignment_id);
        assert!(matches!(
            clock_out(&mut desk, &OPERATOR, ana_on),
            Err(Error::Volunteers(VolunteersError::NotClockedIn))
        ));
        assert!(matches!(
            mark_no_show(&mut desk, &OPERATOR, ben_on, "No word"),
            Err(Error::Volunteers(VolunteersError::ShiftNotStarted))
        ));
        clock_in(&mut desk, &OPERATOR, ana_on).unwrap();
        assert!(matches!(
            clock_in(&mut desk, &OPERATOR, ana_on),
            Err(Error::Volunteers(VolunteersError::AlreadyClockedIn { .. }))
        ));
        desk.clock.advance(Duration::minutes(60 + 195));
        let after = clock_out(&mut desk, &OPERATOR, ana_on).unwrap();
        assert!(after.holders[0].clocked_out_at.is_some());
        assert!(matches!(
            mark_no_show(&mut desk, &OPERATOR, ben_on, " "),
            Err(Error::Volunteers(VolunteersError::NoShowCommentRequired))
        ));
        let marked = mark_no_show(&mut desk, &OPERATOR, ben_on, "No word from him").unwrap();
        assert!(marked.holders[1].no_show);
        // Who did not come covers nothing: one of two came, and their place is open to another.
        assert_eq!((monday.held, marked.held, marked.coverage), (2, 1, Coverage::Covered));
        assert!(marked.held < marked.needed_ideal);
        desk.clock.advance(Duration::hours(10));
        assert_eq!(confirm_day(&mut desk, &OPERATOR, day("2026-11-23")).unwrap(), 0, "both already accounted for");
        let minutes = hours::minutes_by_volunteer(&desk, hours::month_of(day("2026-11-23"))).unwrap();
        assert_eq!(
            (minutes.get(&ana).copied(), minutes.get(&ben).copied()),
            (Some(255), Some(0)),
            "clocked in at 8, out at 12:15"
        );
    }
}
