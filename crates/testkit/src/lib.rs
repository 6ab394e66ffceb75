//! What every Porchlight test shares, in one place: core's fixtures (re-exported from
//! `porchlight_core::testkit`: the operator, Harbor House, desks with fixed clocks) and
//! [`MemoryHub`], a hub kept in memory that numbers, relays and erases changes by the same
//! rules as porchlight-hub, so merge rules can be tested without HTTP.

use std::collections::HashMap;

use porchlight_core::sync::{self, Change, PulledChange};
use porchlight_protocol::overwrite_erased;
use serde_json::{Map, Value};

pub use porchlight_core::testkit::*;

pub mod postgres;

#[derive(Default)]
pub struct MemoryHub {
    pub log: Vec<PulledChange>,
    /// Records a desk erased, with what replaces the erased values (as the hub keeps them).
    erasures: HashMap<(String, String), Map<String, Value>>,
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
            let key = (change.entity.clone(), change.id.clone());
            let mut fields = change.fields.clone();
            if let Some(erased) = self.erasures.get(&key) {
                overwrite_erased(&mut fields, erased);
            }
            self.log.push(PulledChange {
                seq: self.log.len() as u64 + 1,
                device_id: device_id.to_owned(),
                change_id: change.change_id.clone(),
                entity: change.entity.clone(),
                id: change.id.clone(),
                op: change.op,
                fields,
                hlc: change.hlc.clone(),
                by: change.by.clone(),
                auth: change.auth.clone(),
            });
            if !change.erase.is_empty() {
                let erased = change.erased_values();
                for held in self.log.iter_mut().filter(|held| held.entity == change.entity && held.id == change.id) {
                    overwrite_erased(&mut held.fields, &erased);
                }
                self.erasures.insert(key, erased);
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
    /// Pulls every page after the desk's cursor. Like the desk's own sync, the first page is
    /// applied even when empty: that is when changes kept aside are tried again.
    pub fn pull_all(&self, desk: &mut TestDesk) {
        loop {
            let (page, next) = self.page(desk.cursor, 50);
            sync::apply_pulled(&mut desk.desk, &page, next).unwrap();
            desk.cursor = next;
            if page.is_empty() {
                return;
            }
        }
    }

    pub fn sync(&mut self, desk: &mut TestDesk) {
        self.push_all(desk);
        self.pull_all(desk);
    }

    /// Syncs as a desk does with a hub whose clock reads `hub_time`: the desk learns the hub's
    /// time first, sends nothing while its time is in doubt, and takes everything in.
    pub fn sync_at(&mut self, desk: &mut TestDesk, hub_time: porchlight_core::Timestamp) {
        sync::correct_clock(&mut desk.desk, hub_time).unwrap();
        if sync::status(&desk.desk).unwrap().clock_in_doubt.is_none() {
            self.push_all(desk);
        }
        self.pull_all(desk);
    }

    /// Syncs as a desk does with a hub whose clock agrees with the desk's computer.
    pub fn sync_agreeing(&mut self, desk: &mut TestDesk) {
        let hub_time = porchlight_core::Clock::now(desk.clock.as_ref());
        self.sync_at(desk, hub_time);
    }
}
