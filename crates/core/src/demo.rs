//! A clearly fictional demo center, for exploring Porchlight and for the benchmarks.
//! Seeded, so the same size always gives the same center.

use chrono::{Duration, TimeZone};
use rusqlite::params;

use crate::access::{self, Action, Role, Session};
use crate::accounts::{self, AccountInput};
use crate::front_desk;
use crate::groups::attendance::{self, AttendanceState};
use crate::groups::{self, sessions, AttendanceMode, Category, GroupInput, Repeat, Schedule, Weekday};
use crate::people::{self, PersonInput};
use crate::{services, settings, visits, Desk, Error, Result, Timestamp};

pub const DEMO_CENTER_NAME: &str = "Lantern House (fictional demo)";

#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub people: usize,
    pub visits: usize,
    /// Visits and group sessions are spread over this many days before today.
    pub days: i64,
    /// Groups meeting over those days and the next weeks, with their attendance.
    pub groups: usize,
}

impl Size {
    /// A small center's last four months: what `porchlight demo` seeds.
    pub const SMALL: Size = Size { people: 400, visits: 6_000, days: 120, groups: 8 };
    /// Ten years of a large center: what the benchmarks measure.
    pub const LARGE: Size = Size { people: 20_000, visits: 300_000, days: 3_650, groups: 60 };
}

const FIRST_NAMES: &[&str] = &[
    "Alex", "Ana", "Andre", "Ari", "Bea", "Ben", "Carla", "Cam", "Dana", "Dan", "Deshawn", "Eli", "Elena", "Emeka",
    "Fatima", "Finn", "Grace", "Gus", "Hana", "Hector", "Iris", "Isaac", "Jada", "José", "Jordan", "Kai", "Keisha",
    "Lena", "Luis", "Maria", "Marcus", "Mei", "Nadia", "Noah", "Omar", "Pat", "Priya", "Quinn", "Rosa", "Ray", "Renée",
    "Sam", "Sofia", "Tariq", "Tess", "Uma", "Vic", "Wes", "Xavi", "Yara", "Zoë", "Chloé", "Björn", "Siobhan", "Tomás",
];
const ALIASES: &[&str] = &["Sunny", "Doc", "Red", "Moose", "Birdie", "Coach", "Smiley", "Ace", "Sparrow", "Tex"];
const LANGUAGES: &[&str] = &["English", "Spanish", "Vietnamese", "Somali", "Haitian Creole"];

/// Fills an empty desk with fictional people and visits. Refuses a desk that has people.
pub fn seed(desk: &mut Desk, session: &Session, size: Size) -> Result<()> {
    access::authorize(desk, session, Action::MakeDemo)?;
    let has_people: bool = desk.conn().query_row("SELECT EXISTS (SELECT 1 FROM people)", [], |r| r.get(0))?;
    if has_people {
        return Err(Error::DemoNeedsEmptyDesk);
    }
    let time_zone = settings::get(desk)?.time_zone;
    settings::update(desk, session, &settings::Settings { center_name: DEMO_CENTER_NAME.into(), time_zone })?;
    let zone = desk.zone()?;
    let today = desk.today()?;
    let catalog: Vec<String> = services::list(desk, session, false)?.into_iter().map(|s| s.id).collect();
    let mut rng = fastrand::Rng::with_seed(size.people as u64 * 31 + size.visits as u64);

    let person_ids = desk.write(|tx, now| {
        // Everyone registered before the history begins, as a real center's people were.
        let registered = Timestamp(now.0 - Duration::days(size.days + 1));
        let mut person_ids = Vec::with_capacity(size.people);
        for _ in 0..size.people {
            let first = FIRST_NAMES[rng.usize(..FIRST_NAMES.len())];
            let initial = (b'A' + rng.u8(..26)) as char;
            let input = PersonInput {
                display_name: format!("{first} {initial}."),
                alias: rng.bool().then(|| ALIASES[rng.usize(..ALIASES.len())].to_owned()).filter(|_| rng.u8(..4) == 0),
                phone: (rng.u8(..3) == 0).then(|| format!("555-555-01{:02}", rng.u8(..100))),
                email: None,
                birth_year: (rng.u8(..2) == 0).then(|| rng.i32(1950..2006)),
                pronouns: None,
                preferred_language: (rng.u8(..5) == 0).then(|| LANGUAGES[rng.usize(..LANGUAGES.len())].to_owned()),
                contact_consent: rng.bool(),
            };
            person_ids.push(people::insert(tx, registered, &input, None)?.id);
        }

        for _ in 0..size.visits {
            let day = today - Duration::days(rng.i64(1..=size.days));
            let opening = day.and_hms_opt(9, 0, 0).expect("9 am exists");
            let local = opening + Duration::minutes(rng.i64(0..8 * 60));
            let Some(checked_in) = zone.from_local_datetime(&local).earliest() else { continue };
            let checked_in = Timestamp(checked_in.to_utc());
            // A few regulars come most days; most people come now and then.
            let person = match rng.u8(..100) {
                0..15 => None,
                15..55 => Some(&person_ids[rng.usize(..person_ids.len().div_ceil(10))]),
                _ => Some(&person_ids[rng.usize(..person_ids.len())]),
            };
            let used: Vec<String> =
                (0..rng.usize(1..=2)).map(|_| catalog[rng.usize(..catalog.len())].clone()).collect();
            let visit = visits::insert(tx, checked_in, person.map(String::as_str), &used)?;
            let checked_out = Timestamp(checked_in.0 + Duration::minutes(rng.i64(15..180)));
            visits::close_at(tx, &visit.id, checked_out)?;
        }
        Ok(person_ids)
    })?;
    seed_groups(desk, session, size, &person_ids, &mut rng)?;

    // A few people in the building right now, so the front desk does not open empty.
    for person in front_desk::search(desk, session, "a", 3)? {
        visits::check_in(desk, session, &person.id, &catalog[..1])?;
    }
    Ok(())
}

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
fn seed_groups(desk: &mut Desk, session: &Session, size: Size, person_ids: &[String], rng: &mut fastrand::Rng) -> Result<()> {
    if size.groups == 0 || person_ids.is_empty() {
        return Ok(());
    }
    let mut facilitators = Vec::new();
    for (name, pin) in DEMO_FACILITATORS {
        let input = AccountInput { name: (*name).into(), roles: vec![Role::Facilitator], pin: (*pin).into(), ..Default::default() };
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
            week_of_month: 1,
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
                tx.execute("UPDATE group_sessions SET anonymous_count = ?2 WHERE id = ?1", params![on.id, rng.u32(4..16)])?;
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
                tx.execute("UPDATE group_sessions SET anonymous_count = ?2 WHERE id = ?1", params![on.id, rng.u32(1..4)])?;
            }
        }
        Ok(())
    })?;

    // SMART Recovery: one session did not meet three weeks ago, and one is cancelled ahead;
    // the Family Support Circle's next session has a substitute.
    let smart = sessions::of_group(desk, session, &group_ids[0], today - Duration::days(21), today + Duration::days(28))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::desk_at;
    use crate::testkit::OPERATOR;

    #[test]
    fn the_demo_center_is_fictional_and_filled() {
        let mut desk = desk_at("2026-11-23T18:00:00Z");
        seed(&mut desk, &OPERATOR, Size { people: 50, visits: 400, days: 30, groups: 8 }).unwrap();
        assert_eq!(settings::get(&desk).unwrap().center_name, DEMO_CENTER_NAME);
        let people: i64 = desk.conn().query_row("SELECT COUNT(*) FROM people", [], |r| r.get(0)).unwrap();
        let visits: i64 = desk.conn().query_row("SELECT COUNT(*) FROM visits", [], |r| r.get(0)).unwrap();
        assert_eq!(people, 50);
        assert!(visits >= 400, "{visits}");
        assert!(!crate::visits::here_now(&desk, &OPERATOR).unwrap().is_empty());
        let found = front_desk::search(&desk, &OPERATOR, "a", 20).unwrap();
        let seen: Vec<_> = found.iter().filter(|m| m.here_since.is_none()).map(|m| m.last_visit_at).collect();
        assert!(seen.windows(2).all(|pair| pair[0] >= pair[1]), "search ranks by last visit: {seen:?}");
        assert!(matches!(seed(&mut desk, &OPERATOR, Size::SMALL), Err(Error::DemoNeedsEmptyDesk)));

        let count = |sql: &str| desk.conn().query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
        assert_eq!(count("SELECT COUNT(*) FROM center_groups"), 8);
        assert_eq!(count("SELECT COUNT(*) FROM center_groups WHERE attendance_mode = 'headcount'"), 2);
        assert!(count("SELECT COUNT(*) FROM attendance WHERE state = 'present'") > 100);
        assert_eq!(count("SELECT COUNT(*) FROM group_sessions WHERE cancelled = 1"), 2);
        assert_eq!(count("SELECT COUNT(*) FROM group_sessions WHERE substitute_id IS NOT NULL"), 1);
        let ahead = groups::sessions::upcoming(&desk, &OPERATOR).unwrap();
        assert!(ahead.len() > 8, "the next week's sessions: {}", ahead.len());
        assert!(accounts::needs_first_run(&desk).unwrap(), "the demo's facilitators are no admin");
    }
}
