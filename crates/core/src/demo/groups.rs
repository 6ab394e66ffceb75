//! The demo center's groups: their facilitators, schedules, sessions and attendance.

use chrono::Duration;
use rusqlite::params;

use crate::access::{Role, Session};
use crate::accounts::{self, AccountInput};
use crate::groups::attendance::{self, AttendanceState};
use crate::groups::{self, sessions, AttendanceMode, Category, GroupInput, Repeat, Schedule, Weekday};
use crate::{Desk, Result};

use super::Size;

/// The demo's facilitators, whom anyone exploring the demo can sign in as.
pub const DEMO_FACILITATORS: &[(&str, &str)] = &[("Jordan K.", "3907"), ("Sam T.", "5172"), ("Priya N.", "6284")];

struct DemoGroup {
    name: &'static str,
    category: Category,
    mode: AttendanceMode,
    room: &'static str,
    capacity: Option<u32>,
    repeat: Repeat,
    weekdays: &'static [Weekday],
    every_weeks: u16,
    start_time: &'static str,
    minutes: u32,
}

#[rustfmt::skip]
const DEMO_GROUPS: &[DemoGroup] = {
    use AttendanceMode::*;
    use Category::*;
    use Weekday::*;
    const WEEKLY: Repeat = Repeat::Weekly;
    &[
        DemoGroup { name: "SMART Recovery", category: MutualHelp, mode: Named, room: "Room B", capacity: None, repeat: WEEKLY, weekdays: &[Tuesday], every_weeks: 1, start_time: "18:00", minutes: 90 },
        DemoGroup { name: "All Recovery Meeting", category: MutualHelp, mode: Headcount, room: "Main room", capacity: None, repeat: WEEKLY, weekdays: &[Monday, Wednesday, Friday], every_weeks: 1, start_time: "12:00", minutes: 60 },
        DemoGroup { name: "Family Support Circle", category: FamilySupport, mode: Named, room: "Room A", capacity: Some(12), repeat: WEEKLY, weekdays: &[Thursday], every_weeks: 2, start_time: "18:30", minutes: 90 },
        DemoGroup { name: "Budgeting Basics", category: Class, mode: Named, room: "Classroom", capacity: Some(12), repeat: Repeat::Monthly, weekdays: &[Saturday], every_weeks: 1, start_time: "10:00", minutes: 120 },
        DemoGroup { name: "Stress Reduction and Mindfulness", category: Class, mode: Named, room: "Room A", capacity: Some(15), repeat: WEEKLY, weekdays: &[Wednesday], every_weeks: 1, start_time: "16:00", minutes: 60 },
        DemoGroup { name: "Job-Search Skills", category: Class, mode: Named, room: "Computer lab", capacity: Some(10), repeat: WEEKLY, weekdays: &[Monday], every_weeks: 1, start_time: "10:00", minutes: 90 },
        DemoGroup { name: "Recovery Dharma", category: MutualHelp, mode: Headcount, room: "Room B", capacity: None, repeat: WEEKLY, weekdays: &[Sunday], every_weeks: 1, start_time: "17:00", minutes: 75 },
        DemoGroup { name: "Women's Recovery Circle", category: MutualHelp, mode: Named, room: "Room A", capacity: None, repeat: WEEKLY, weekdays: &[Saturday], every_weeks: 1, start_time: "13:00", minutes: 90 },
    ]
};

/// Groups of every kind over the history and the next weeks: attendance with regulars and
/// walk-ins, headcounts, a cancelled session and a substitute facilitator.
pub(super) fn seed_groups(
    desk: &mut Desk,
    session: &Session,
    size: Size,
    person_ids: &[String],
    rng: &mut fastrand::Rng,
) -> Result<()> {
    if size.groups == 0 || person_ids.is_empty() {
        return Ok(());
    }
    let mut facilitators = Vec::new();
    for (name, pin) in DEMO_FACILITATORS {
        let input = AccountInput {
            name: (*name).into(),
            roles: vec![Role::Facilitator],
            pin: (*pin).into(),
            ..Default::default()
        };
        facilitators.push(accounts::create(desk, session, &input)?.id);
    }
    let today = desk.today()?;
    let starts_on = today - Duration::days(size.days);
    let mut group_ids = Vec::new();
    for n in 0..size.groups {
        let kind = &DEMO_GROUPS[n % DEMO_GROUPS.len()];
        let round = n / DEMO_GROUPS.len();
        let name = if round == 0 { kind.name.to_owned() } else { format!("{} {}", kind.name, round + 1) };
        let input = GroupInput {
            name,
            description: None,
            category: Some(kind.category),
            attendance_mode: Some(kind.mode),
            room: Some(kind.room.into()),
            capacity: kind.capacity,
            service_id: None,
            facilitator_ids: vec![facilitators[n % facilitators.len()].clone()],
        };
        let schedule = Schedule {
            repeat: kind.repeat,
            weekdays: kind.weekdays.to_vec(),
            every_weeks: kind.every_weeks,
            weeks_of_month: vec![1],
            starts_on,
            ends_on: None,
            start_time: kind.start_time.into(),
            duration_minutes: kind.minutes,
            skipped: Vec::new(),
        };
        group_ids.push(groups::create(desk, session, &input, Some(&schedule))?.id);
    }

    let past = sessions::between_in(desk, None, starts_on, today, None)?;
    let now = desk.now();
    // A few regulars at each group, drawn from the people who come most; walk-ins from anyone.
    let regulars: Vec<Vec<&String>> = group_ids
        .iter()
        .map(|_| (0..25).map(|_| &person_ids[rng.usize(..person_ids.len().div_ceil(5))]).collect())
        .collect();
    desk.write(|tx, _| {
        for on in past.iter().filter(|on| on.starts_at < now) {
            let group = group_ids.iter().position(|id| *id == on.group_id).unwrap_or_default();
            sessions::materialize(tx, &on.id)?;
            let marked_at = on.ends_at;
            if on.attendance_mode == AttendanceMode::Headcount {
                tx.execute(
                    "UPDATE group_sessions SET anonymous_count = ?2 WHERE id = ?1",
                    params![on.id, rng.u32(4..16)],
                )?;
                continue;
            }
            for person in &regulars[group] {
                match rng.u8(..100) {
                    0..65 => attendance::insert_history(tx, on, person, AttendanceState::Present, marked_at)?,
                    65..80 => attendance::insert_history(tx, on, person, AttendanceState::Absent, marked_at)?,
                    _ => {}
                }
            }
            if rng.u8(..10) < 3 {
                let walk_in = &person_ids[rng.usize(..person_ids.len())];
                attendance::insert_history(tx, on, walk_in, AttendanceState::Present, marked_at)?;
            }
            if rng.u8(..10) < 3 {
                tx.execute(
                    "UPDATE group_sessions SET anonymous_count = ?2 WHERE id = ?1",
                    params![on.id, rng.u32(1..4)],
                )?;
            }
        }
        Ok(())
    })?;

    // SMART Recovery: one session did not meet three weeks ago, and one is cancelled ahead;
    // the Family Support Circle's next session has a substitute.
    let smart =
        sessions::of_group(desk, session, &group_ids[0], today - Duration::days(21), today + Duration::days(28))?;
    if let (Some(missed), Some(ahead)) = (smart.first(), smart.iter().rev().nth(1)) {
        let (missed, ahead) = (missed.id.clone(), ahead.id.clone());
        sessions::cancel(desk, session, &missed, "Facilitator ill")?;
        sessions::cancel(desk, session, &ahead, "Center closed for the holiday")?;
    }
    if let Some(family) = group_ids.get(2) {
        let next = sessions::of_group(desk, session, family, today, today + Duration::days(28))?;
        if let Some(next) = next.first() {
            sessions::set_substitute(desk, session, &next.id, Some(&facilitators[0]))?;
        }
    }
    Ok(())
}
