//! A clearly fictional demo center, for exploring Porchlight and for the benchmarks.
//! Seeded, so the same size always gives the same center.

mod groups;
mod volunteers;
mod warmline;

use chrono::{Duration, TimeZone};

use crate::access::{self, Action, Session};
use crate::front_desk;
use crate::people::{self, PersonInput};
use crate::{services, settings, visits, Desk, Error, Result, Timestamp};

pub use self::groups::DEMO_FACILITATORS;
pub use self::warmline::DEMO_WARMLINE;

pub const DEMO_CENTER_NAME: &str = "Lantern House (fictional demo)";

#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub people: usize,
    pub visits: usize,
    /// Visits and group sessions are spread over this many days before today.
    pub days: i64,
    /// Groups meeting over those days and the next weeks, with their attendance.
    pub groups: usize,
    /// The warmline: calls over `call_days` before now, from this many repeat callers (and
    /// anonymous ones), referring to a directory of this many resources.
    pub calls: usize,
    pub call_days: i64,
    pub callers: usize,
    pub resources: usize,
    /// Volunteers (drawn from the people), on this many shift templates with shifts over
    /// `shift_days` before today and the next four weeks.
    pub volunteers: usize,
    pub shift_templates: usize,
    pub shift_days: i64,
}

impl Size {
    /// A small center's last four months, and six months of its warmline: what `porchlight demo` seeds.
    pub const SMALL: Size = Size {
        people: 400,
        visits: 6_000,
        days: 120,
        groups: 8,
        calls: 1_500,
        call_days: 183,
        callers: 120,
        resources: 40,
        volunteers: 40,
        shift_templates: 8,
        shift_days: 120,
    };
    /// Ten years of a large center and five of a busy warmline: what the benchmarks measure.
    pub const LARGE: Size = Size {
        people: 20_000,
        visits: 300_000,
        days: 3_650,
        groups: 60,
        calls: 60_000,
        call_days: 1_826,
        callers: 3_000,
        resources: 400,
        volunteers: 300,
        shift_templates: 40,
        shift_days: 1_095,
    };
    /// Nothing at all, for a size that names only what it needs: `Size { people: 50, ..Size::EMPTY }`.
    pub const EMPTY: Size = Size {
        people: 0,
        visits: 0,
        days: 0,
        groups: 0,
        calls: 0,
        call_days: 0,
        callers: 0,
        resources: 0,
        volunteers: 0,
        shift_templates: 0,
        shift_days: 0,
    };
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
        return Err(Error::Demo(DemoError::DemoNeedsEmptyDesk));
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
        for n in 0..size.people {
            let first = FIRST_NAMES[rng.usize(..FIRST_NAMES.len())];
            // Fictional numbers (555-0100 to 555-0199) in many area codes: a few households share one.
            let area = 200 + (n * 7919) % 800;
            let initial = (b'A' + rng.u8(..26)) as char;
            let input = PersonInput {
                display_name: format!("{first} {initial}."),
                alias: rng.bool().then(|| ALIASES[rng.usize(..ALIASES.len())].to_owned()).filter(|_| rng.u8(..4) == 0),
                phone: (rng.u8(..3) == 0).then(|| format!("{area}-555-01{:02}", rng.u8(..100))),
                email: None,
                birth_year: (rng.u8(..2) == 0).then(|| rng.i32(1950..2006)),
                pronouns: None,
                preferred_language: (rng.u8(..5) == 0).then(|| LANGUAGES[rng.usize(..LANGUAGES.len())].to_owned()),
                contact_consent: rng.bool(),
            };
            person_ids.push(people::insert(tx, registered, &input, None)?.id);
        }

        let mut history = Vec::with_capacity(size.visits);
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
            let checked_out = Timestamp(checked_in.0 + Duration::minutes(rng.i64(15..180)));
            history.push((checked_in, person, used, checked_out));
        }
        // Stored in the order they happened, as a desk that kept them day by day holds them:
        // a period's visits then sit together in the file, as they would at a real center.
        history.sort_by_key(|(checked_in, ..)| *checked_in);
        for (checked_in, person, used, checked_out) in history {
            let visit = visits::insert(tx, checked_in, person.map(String::as_str), &used)?;
            visits::close_at(tx, &visit.id, checked_out)?;
        }
        Ok(person_ids)
    })?;
    groups::seed_groups(desk, session, size, &person_ids, &mut rng)?;
    let takers = warmline::seed_warmline(desk, session, size, &mut rng)?;
    volunteers::seed_volunteers(desk, session, size, &person_ids, &takers, &mut rng)?;

    // A few people in the building right now, so the front desk does not open empty.
    for person in front_desk::search(desk, session, "a", 3)? {
        visits::check_in(desk, session, &person.id, &catalog[..1])?;
    }
    Ok(())
}

crate::error::domain_errors! {
    /// What stops the demo center from being made.
    pub enum DemoError, codes DemoErrorCode {
        #[error("The demo center can only be made on a desk with no people yet; use a new --data-dir.")]
        DemoNeedsEmptyDesk,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::desk_at;
    use crate::testkit::OPERATOR;
    use crate::{accounts, groups, volunteers};

    #[test]
    fn the_demo_center_is_fictional_and_filled() {
        let mut desk = desk_at("2026-11-23T18:00:00Z");
        seed(&mut desk, &OPERATOR, Size { people: 50, visits: 400, days: 30, groups: 8, ..Size::SMALL }).unwrap();
        assert_eq!(settings::get(&desk).unwrap().center_name, DEMO_CENTER_NAME);
        let people: i64 = desk.conn().query_row("SELECT COUNT(*) FROM people", [], |r| r.get(0)).unwrap();
        let visits: i64 = desk.conn().query_row("SELECT COUNT(*) FROM visits", [], |r| r.get(0)).unwrap();
        assert_eq!(people, 52, "50, and Casey and Morgan, who volunteer on the line");
        assert!(visits >= 400, "{visits}");
        assert!(!crate::visits::here_now(&desk, &OPERATOR).unwrap().is_empty());
        let found = front_desk::search(&desk, &OPERATOR, "a", 20).unwrap();
        let seen: Vec<_> = found.iter().filter(|m| m.here_since.is_none()).map(|m| m.last_visit_at).collect();
        assert!(seen.windows(2).all(|pair| pair[0] >= pair[1]), "search ranks by last visit: {seen:?}");
        assert!(matches!(seed(&mut desk, &OPERATOR, Size::SMALL), Err(Error::Demo(DemoError::DemoNeedsEmptyDesk))));

        let count = |sql: &str| desk.conn().query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
        assert_eq!(count("SELECT COUNT(*) FROM center_groups"), 8);
        assert_eq!(count("SELECT COUNT(*) FROM center_groups WHERE attendance_mode = 'headcount'"), 2);
        assert!(count("SELECT COUNT(*) FROM attendance WHERE state = 'present'") > 100);
        assert_eq!(count("SELECT COUNT(*) FROM group_sessions WHERE cancelled = 1"), 2);
        assert_eq!(count("SELECT COUNT(*) FROM group_sessions WHERE substitute_id IS NOT NULL"), 1);
        let ahead = groups::sessions::upcoming(&desk, &OPERATOR).unwrap();
        assert!(ahead.len() > 8, "the next week's sessions: {}", ahead.len());
        assert!(accounts::needs_first_run(&desk).unwrap(), "the demo's facilitators are no admin");

        assert_eq!(count("SELECT COUNT(*) FROM volunteers"), 40);
        assert_eq!(count("SELECT COUNT(*) FROM shift_templates"), 8);
        let alerts = volunteers::credentials::alerts(&desk, &OPERATOR).unwrap();
        let expired = alerts.iter().filter(|a| a.standing == volunteers::credentials::Standing::Expired).count();
        assert_eq!(expired, 1, "one volunteer's background check ran out: {alerts:?}");
        assert!(count("SELECT COUNT(*) FROM shift_assignments WHERE no_show = 1") > 5);
        assert!(count("SELECT COUNT(*) FROM shift_assignments WHERE clocked_out_at IS NOT NULL") > 20);
        let gaps = volunteers::shifts::gaps(&desk, &OPERATOR).unwrap();
        assert!(gaps.iter().any(|g| g.warmline), "warmline gaps ahead");
        let week = volunteers::shifts::between(
            &desk,
            &OPERATOR,
            desk.today().unwrap(),
            desk.today().unwrap() + Duration::days(6),
        )
        .unwrap();
        assert!(
            week.iter().filter(|s| !s.coverage.is_gap()).count() > week.len() / 2,
            "most shifts this week are held"
        );
        let kinds = count("SELECT COUNT(DISTINCT call_type_id) FROM warmline_calls");
        assert_eq!(kinds, 7, "every call type");
        assert_eq!(count("SELECT COUNT(DISTINCT outcome) FROM warmline_calls"), 5, "every outcome");
        assert!(count("SELECT COUNT(*) FROM warmline_calls") > 1_400);
        assert!(count("SELECT COUNT(*) FROM warmline_calls WHERE held_at IS NOT NULL") >= 3);
        assert!(count("SELECT COUNT(*) FROM warmline_follow_ups WHERE completed_at IS NULL") > 0);
        let old_notes = "SELECT COUNT(*) FROM warmline_calls WHERE notes IS NOT NULL AND started_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-90 days')";
        let erasable = desk
            .conn()
            .query_row(&old_notes.replace("'now'", "'2026-11-23T18:00:00Z'"), [], |r| r.get::<_, i64>(0))
            .unwrap();
        assert!(erasable > 300, "retention has old notes to erase: {erasable}");
    }
}
