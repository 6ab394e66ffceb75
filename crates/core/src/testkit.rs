//! What every test of Porchlight shares, from core's own unit tests to the end-to-end ones
//! (which reach it through the `porchlight-testkit` crate): the operator who runs a test, Harbor
//! House set up with Rosa M. as its admin, and desks on real SQLite files with fixed clocks.
//! Compiled for core's tests and with the `testkit` feature, never into the app.

use std::sync::{Arc, LazyLock};

use crate::access::Session;
use crate::accounts::{self, FirstRun};
use crate::groups::{GroupInput, Repeat, Schedule, Weekday};
use crate::people::{self, PersonInput};
use crate::settings::{self, Settings};
use crate::sync;
use crate::volunteers::credentials::{self, CredentialInput};
use crate::volunteers::templates::TemplateInput;
use crate::volunteers::{self, VolunteerInput, BACKGROUND_CHECK, WARMLINE_ROLE, WARMLINE_TRAINING};
use crate::{Desk, FixedClock, DATABASE_FILE_NAME, SCHEMA};

/// Whoever runs a test, acting as the command line's operator does (an admin in their own
/// name): for tests of what an operation does rather than who may do it.
pub static OPERATOR: LazyLock<Session> = LazyLock::new(|| Session::operator("tester"));

/// The center most tests set up, and its first admin.
pub const CENTER_NAME: &str = "Harbor House";
pub const CENTER_TIME_ZONE: &str = "America/Denver";
pub const ADMIN_NAME: &str = "Rosa M.";
pub const ADMIN_PIN: &str = "4831";
pub const ADMIN_PASSWORD: &str = "correct horse battery";

/// First-run setup of Harbor House, with Rosa M. as its admin.
pub fn harbor_house() -> FirstRun {
    FirstRun {
        center_name: CENTER_NAME.into(),
        time_zone: CENTER_TIME_ZONE.into(),
        admin_name: ADMIN_NAME.into(),
        pin: ADMIN_PIN.into(),
        password: ADMIN_PASSWORD.into(),
    }
}

/// Runs first-run setup as Harbor House; the admin is signed in with their password.
pub fn set_up(desk: &mut Desk) -> Session {
    accounts::first_run(desk, &harbor_house()).expect("a new desk takes first-run setup")
}

/// A desk on a real SQLite file in a temp dir, with a clock the test moves, and what it needs
/// to sync through an in-memory hub (its device id, how far it has pulled).
pub struct TestDesk {
    pub desk: Desk,
    pub clock: Arc<FixedClock>,
    pub device_id: String,
    pub cursor: u64,
    _dir: tempfile::TempDir,
}

impl std::ops::Deref for TestDesk {
    type Target = Desk;
    fn deref(&self) -> &Desk {
        &self.desk
    }
}

impl std::ops::DerefMut for TestDesk {
    fn deref_mut(&mut self) -> &mut Desk {
        &mut self.desk
    }
}

/// A desk of "Test Center", in Chicago, whose clock reads `now`: what most tests of one
/// operation need.
pub fn desk_at(now: &str) -> TestDesk {
    let mut desk = TestDesk::unenrolled(now);
    let center = Settings { center_name: "Test Center".into(), time_zone: "America/Chicago".into() };
    desk.desk.write(|tx, _| settings::write_all(tx, &center)).unwrap();
    desk
}

impl TestDesk {
    /// A desk already enrolled with a hub as `device_id`.
    pub fn new(device_id: &str, now: &str) -> TestDesk {
        let mut desk = TestDesk::unenrolled(now);
        desk.enroll(device_id);
        desk
    }

    /// A new desk as it first opens: not set up, not connected to any hub.
    pub fn unenrolled(now: &str) -> TestDesk {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(FixedClock::at(now));
        let desk = Desk::open(&dir.path().join(DATABASE_FILE_NAME), clock.clone()).unwrap();
        TestDesk { desk, clock, device_id: String::new(), cursor: 0, _dir: dir }
    }

    pub fn enroll(&mut self, device_id: &str) {
        sync::adopt_device_id(&mut self.desk, device_id).unwrap();
        self.device_id = device_id.to_owned();
    }

    /// Every synced record the desk holds, field by field, and each record's merged state: two
    /// desks that have heard the same changes hold the same contents. The record types are
    /// the registry's, so a new one is compared from the day it is declared.
    pub fn contents(&self) -> Vec<String> {
        let conn = self.desk.conn();
        let mut rows = Vec::new();
        for entity in SCHEMA.entities.iter() {
            let ids: Vec<String> = {
                let sql = match entity.table() {
                    Some(table) => format!("SELECT id FROM {table} ORDER BY id"),
                    None => "SELECT record_id FROM sync_records WHERE entity = ?1 ORDER BY record_id".to_owned(),
                };
                let mut statement = conn.prepare(&sql).unwrap();
                let bound = if entity.table().is_some() { Vec::new() } else { vec![entity.name()] };
                let ids = statement.query_map(rusqlite::params_from_iter(bound), |row| row.get(0)).unwrap();
                ids.map(Result::unwrap).collect()
            };
            for id in ids {
                let fields = entity.read(conn, &id).unwrap();
                rows.push(format!("{} {id} {}", entity.name(), serde_json::to_string(&fields).unwrap()));
            }
        }
        // What each desk keeps of every record it heard of, deleted ones and types it does not
        // know included, and which records wait for others.
        for sql in [
            "SELECT 'merged ' || entity || ' ' || record_id || ' ' || state FROM sync_records ORDER BY entity, record_id",
            "SELECT 'parked ' || entity || ' ' || record_id FROM sync_parked ORDER BY entity, record_id",
        ] {
            let mut statement = conn.prepare(sql).unwrap();
            rows.extend(statement.query_map([], |row| row.get(0)).unwrap().map(Result::unwrap));
        }
        rows
    }

    pub fn center_name(&self) -> String {
        settings::get(&self.desk).unwrap().center_name
    }
}

/// The group most tests run: SMART Recovery in Room B.
pub fn smart_recovery() -> GroupInput {
    GroupInput { name: "SMART Recovery".into(), room: Some("Room B".into()), ..Default::default() }
}

/// Every Tuesday from `starts_on` (`2026-11-03`), 6 to 7:30 pm local time.
pub fn tuesdays(starts_on: &str) -> Schedule {
    Schedule {
        repeat: Repeat::Weekly,
        weekdays: vec![Weekday::Tuesday],
        every_weeks: 1,
        weeks_of_month: vec![1],
        starts_on: starts_on.parse().expect("a YYYY-MM-DD date"),
        ends_on: None,
        start_time: "18:00".into(),
        duration_minutes: 90,
        skipped: Vec::new(),
    }
}

/// The warmline's weekday mornings from `starts_on`: 9 am to 1 pm, needing 1, ideally 2.
pub fn morning_line(starts_on: &str) -> TemplateInput {
    TemplateInput {
        name: "Morning line".into(),
        role_id: WARMLINE_ROLE.into(),
        schedule: Schedule {
            weekdays: vec![Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday],
            start_time: "09:00".into(),
            ..tuesdays(starts_on)
        },
        end_time: "13:00".into(),
        needed_min: 1,
        needed_ideal: Some(2),
        location: None,
    }
}

/// A warmline volunteer, registered at the front desk first, with the line's training and a
/// background check good through `background_check_expires` (`2027-06-30`). Their person id.
pub fn line_volunteer(desk: &mut Desk, name: &str, background_check_expires: &str) -> String {
    let session = &*OPERATOR;
    let person = people::register(desk, session, &PersonInput { display_name: name.into(), ..Default::default() })
        .expect("a named person registers");
    let input = VolunteerInput { role_ids: vec![WARMLINE_ROLE.into()], ..Default::default() };
    volunteers::save(desk, session, &person.id, &input).expect("a person becomes a volunteer");
    for (kind, expires) in [(WARMLINE_TRAINING, "2030-01-01"), (BACKGROUND_CHECK, background_check_expires)] {
        let credential = CredentialInput {
            kind_id: kind.into(),
            issued_on: "2025-01-01".parse().expect("a date"),
            expires_on: Some(expires.parse().expect("a YYYY-MM-DD date")),
        };
        credentials::add(desk, session, &person.id, &credential).expect("a credential is recorded");
    }
    person.id
}
