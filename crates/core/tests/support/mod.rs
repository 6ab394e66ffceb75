//! Desks on real SQLite files with fixed clocks, and a hub kept in memory that numbers and
//! relays changes the way porchlight-hub does (so merge rules can be tested without HTTP).

#![allow(dead_code)]

use std::sync::Arc;

use porchlight_core::access::Session;
use porchlight_core::accounts::FirstRun;
use porchlight_core::sync::{self, Change, PulledChange};
use porchlight_core::{settings, Desk, FixedClock, DATABASE_FILE_NAME};

/// Whoever runs a test, acting as the command line's operator does: for tests of what an
/// operation does rather than who may do it.
pub static OPERATOR: std::sync::LazyLock<Session> = std::sync::LazyLock::new(|| Session::operator("tester"));

pub struct TestDesk {
    pub desk: Desk,
    pub clock: Arc<FixedClock>,
    pub device_id: String,
    /// How far this desk has pulled from the hub.
    pub cursor: u64,
    _dir: tempfile::TempDir,
}

impl TestDesk {
    /// A desk already enrolled with the in-memory hub as `device_id`.
    pub fn new(device_id: &str, now: &str) -> TestDesk {
        let mut desk = TestDesk::unenrolled(now);
        desk.enroll(device_id);
        desk
    }

    /// A desk used on its own, before it is connected to any hub.
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

    /// Everything a person would see, in a stable order, for comparing desks.
    pub fn contents(&self) -> Vec<String> {
        let conn = rusqlite::Connection::open(self.desk.path()).unwrap();
        let queries = [
            "SELECT 'person', id, member_code, display_name, alias, phone, email, birth_year, pronouns,
                    preferred_language, contact_consent, created_at, updated_at FROM people ORDER BY id",
            "SELECT 'visit', id, person_id, checked_in_at, checked_out_at,
                    (SELECT group_concat(service_id) FROM (SELECT service_id FROM visit_services
                      WHERE visit_id = visits.id ORDER BY service_id)) FROM visits ORDER BY id",
            "SELECT 'service', id, name, position, active FROM services ORDER BY id",
            "SELECT 'setting', key, value FROM settings WHERE key IN ('center_name', 'time_zone') ORDER BY key",
            "SELECT 'record', entity, record_id, state FROM sync_records ORDER BY entity, record_id",
            "SELECT 'parked', entity, record_id FROM sync_parked ORDER BY entity, record_id",
        ];
        let mut rows = Vec::new();
        for sql in queries {
            let mut statement = conn.prepare(sql).unwrap();
            let columns = statement.column_count();
            let found = statement
                .query_map([], |row| {
                    let values: Vec<String> = (0..columns).map(|i| format!("{:?}", row.get_ref(i).unwrap())).collect();
                    Ok(values.join("|"))
                })
                .unwrap();
            rows.extend(found.map(Result::unwrap));
        }
        rows
    }

    pub fn center_name(&self) -> String {
        settings::get(&self.desk).unwrap().center_name
    }
}

pub const ADMIN_PIN: &str = "4831";
pub const ADMIN_PASSWORD: &str = "correct horse battery";

/// First-run setup of a center with Rosa M. as its admin.
pub fn harbor_house() -> FirstRun {
    FirstRun {
        center_name: "Harbor House".into(),
        time_zone: "America/Denver".into(),
        admin_name: "Rosa M.".into(),
        pin: ADMIN_PIN.into(),
        password: ADMIN_PASSWORD.into(),
    }
}

#[derive(Default)]
pub struct MemoryHub {
    pub log: Vec<PulledChange>,
    /// Records a desk erased, with what replaces the erased values (as the hub keeps them).
    erasures: std::collections::HashMap<(String, String), serde_json::Map<String, serde_json::Value>>,
}

impl MemoryHub {
    /// Stores each change once, numbered, as the hub does; returns how many were new.
    pub fn push(&mut self, device_id: &str, changes: &[Change]) -> usize {
        let mut accepted = 0;
        for change in changes {
            if self.log.iter().any(|held| held.change_id == change.change_id) {
                continue;
            }
            accepted += 1;
            let mut change = change.clone();
            if let Some(erased) = self.erasures.get(&(change.entity.clone(), change.id.clone())) {
                for (field, value) in erased {
                    if let Some(held) = change.fields.get_mut(field) {
                        *held = value.clone();
                    }
                }
            }
            self.log.push(PulledChange {
                seq: self.log.len() as u64 + 1,
                device_id: device_id.to_owned(),
                change_id: change.change_id.clone(),
                entity: change.entity.clone(),
                id: change.id.clone(),
                op: change.op,
                fields: change.fields.clone(),
                hlc: change.hlc.clone(),
                by: change.by.clone(),
            });
            if !change.erase.is_empty() {
                // As the hub does: the erased fields of earlier changes, and of later ones, say
                // what this change says.
                let erased: serde_json::Map<String, serde_json::Value> = change
                    .fields
                    .iter()
                    .filter(|(field, _)| change.erase.contains(field))
                    .map(|(field, value)| (field.clone(), value.clone()))
                    .collect();
                for held in self.log.iter_mut().filter(|held| held.entity == change.entity && held.id == change.id) {
                    for (field, value) in &erased {
                        if let Some(earlier) = held.fields.get_mut(field) {
                            *earlier = value.clone();
                        }
                    }
                }
                self.erasures.insert((change.entity.clone(), change.id.clone()), erased);
            }
        }
        accepted
    }

    pub fn page(&self, since: u64, limit: usize) -> (Vec<PulledChange>, u64) {
        let page: Vec<PulledChange> = self.log.iter().skip(since as usize).take(limit).cloned().collect();
        let next = page.last().map_or(since, |change| change.seq);
        (page, next)
    }

    /// Pushes every pending change of `desk` and acknowledges them.
    pub fn push_all(&mut self, desk: &mut TestDesk) {
        loop {
            let batch = sync::pending_changes(&desk.desk, 1000).unwrap();
            if batch.is_empty() {
                return;
            }
            self.push(&desk.device_id, &batch);
            sync::acknowledge(&mut desk.desk, &batch).unwrap();
        }
    }

    /// Pulls everything new into `desk`, in order.
    pub fn pull_all(&self, desk: &mut TestDesk) {
        loop {
            let (page, next) = self.page(desk.cursor, 50);
            if page.is_empty() {
                return;
            }
            sync::apply_pulled(&mut desk.desk, &page, next).unwrap();
            desk.cursor = next;
        }
    }

    pub fn sync(&mut self, desk: &mut TestDesk) {
        self.push_all(desk);
        self.pull_all(desk);
    }
}
