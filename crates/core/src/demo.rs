//! A clearly fictional demo center, for exploring Porchlight and for the benchmarks.
//! Seeded, so the same size always gives the same center.

use chrono::{Duration, TimeZone};
use rusqlite::params;

use crate::access::{self, Action, Session};
use crate::front_desk;
use crate::people::{self, PersonInput};
use crate::{services, settings, visits, Desk, Error, Result, Timestamp};

pub const DEMO_CENTER_NAME: &str = "Lantern House (fictional demo)";

#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub people: usize,
    pub visits: usize,
    /// Visits are spread over this many days before today.
    pub days: i64,
}

impl Size {
    /// A small center's last four months: what `porchlight demo` seeds.
    pub const SMALL: Size = Size { people: 400, visits: 6_000, days: 120 };
    /// Ten years of a large center: what the benchmarks measure.
    pub const LARGE: Size = Size { people: 20_000, visits: 300_000, days: 3_650 };
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

    desk.write(|tx, now| {
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

        let mut check_out = tx.prepare_cached("UPDATE visits SET checked_out_at = ?2 WHERE id = ?1")?;
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
            check_out.execute(params![visit.id, checked_out])?;
        }
        Ok(())
    })?;

    // A few people in the building right now, so the front desk does not open empty.
    for person in front_desk::search(desk, session, "a", 3)? {
        visits::check_in(desk, session, &person.id, &catalog[..1])?;
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
        seed(&mut desk, &OPERATOR, Size { people: 50, visits: 400, days: 30 }).unwrap();
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
    }
}
