//! Changes from other desks: merged field by field into each record's state, then written to
//! the desk's own tables. A record that cannot be written yet waits in `sync_parked`.

use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap};

use porchlight_protocol::{Hlc, Op, PulledChange};
use rusqlite::{params, Transaction};

use super::entity::Entities;
use super::erasure;
use super::outbox::forget_touched;
use super::record::{stamp, RecordState};
use super::state;
use super::trusted_time::{self, DeskClock};
use crate::error::CommonError;
use crate::{Error, Result, Timestamp};

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Applied {
    /// Changes that set at least one field or deleted a record.
    pub changed: u64,
    /// Changes older than what the desk holds (or a page delivered twice).
    pub unchanged: u64,
    /// This desk's own changes coming back from the hub.
    pub own: u64,
    /// Stamps too far ahead of this desk's clock to adopt (kept, but the clock did not follow).
    pub from_the_future: u64,
    /// The record types (`person`, `visit`, ...) of the records these changes changed.
    pub entities: BTreeSet<String>,
}

impl Applied {
    /// Counts `other` in too.
    pub(crate) fn add(&mut self, other: Applied) {
        self.changed += other.changed;
        self.unchanged += other.unchanged;
        self.own += other.own;
        self.from_the_future += other.from_the_future;
        self.entities.extend(other.entities);
    }
}

/// Applies one page of pulled changes in the caller's transaction, leaving out those of the
/// desk `own_left_out` names (this desk's own, already here). With [`Writing::Together`]
/// a record that cannot be written fails the whole page: the caller rolls back and applies the
/// page again [`Writing::OneByOne`].
pub(crate) fn apply(
    tx: &Transaction,
    now: Timestamp,
    entities: Entities,
    changes: &[PulledChange],
    own_left_out: &str,
    writing: Writing,
) -> Result<Applied> {
    let mut clock = DeskClock::load(tx, now)?;
    let mut applied = Applied::default();
    let mut highest_received = Hlc::default();
    // Each record touched by the page, merged in memory, then saved and written once.
    // Each record's merged state, whether this page changed it, and whether the desk held it before.
    let mut records: HashMap<(&str, &str), (RecordState, bool, bool)> = HashMap::new();
    let mut order: Vec<(&str, &str)> = Vec::new();
    for change in changes {
        let Ok(hlc) = change.hlc.parse::<Hlc>() else {
            applied.unchanged += 1;
            continue;
        };
        if change.device_id == own_left_out {
            applied.own += 1;
            continue;
        }
        if hlc.is_ahead_of(clock.wall_ms) {
            applied.from_the_future += 1;
        }
        clock.hlc = clock.hlc.receive(hlc, clock.wall_ms);
        highest_received = highest_received.max(hlc);
        let stamp = stamp(&change.hlc, &change.device_id);
        let key = (change.entity.as_str(), change.id.as_str());
        let (record, touched, _) = match records.entry(key) {
            Entry::Occupied(entry) => entry.into_mut(),
            Entry::Vacant(entry) => {
                order.push(key);
                let record = RecordState::load(tx, key.0, key.1)?;
                let held_before = !record.is_empty();
                entry.insert((record, false, held_before))
            }
        };
        let won = match change.op {
            Op::Upsert => {
                change.fields.iter().fold(false, |won, (field, value)| record.set(field, value, &stamp) | won)
            }
            Op::Delete => record.delete(&stamp),
        };
        if won {
            if let Some(by) = &change.by {
                record.note_changed_by(by, &stamp);
            }
            *touched = true;
            applied.changed += 1;
            if !applied.entities.contains(key.0) {
                applied.entities.insert(key.0.to_owned());
            }
        } else {
            applied.unchanged += 1;
        }
    }
    for ((name, id), (record, touched, _)) in records.iter_mut() {
        if let (true, Some(entity)) = (*touched, entities.find(name)) {
            erasure::keep_erased(tx, entity, id, record)?;
        }
    }
    let mut changed = Vec::new();
    for key in order {
        let (record, touched, held_before) = &records[&key];
        if *touched {
            record.save(tx, key.0, key.1)?;
            changed.push(Written { entity: key.0, id: key.1, record, held_before: *held_before });
        }
    }
    materialize_page(tx, entities, &changed, writing)?;
    retry_parked(tx, entities)?;
    if applied.from_the_future > 0 {
        let seen = state::get_u64(tx, state::FUTURE_STAMPS_SEEN)? + applied.from_the_future;
        state::set(tx, state::FUTURE_STAMPS_SEEN, &seen.to_string())?;
    }
    forget_touched(tx)?;
    clock.save(tx)?;
    trusted_time::raise_stamp_floor(tx, [highest_received])?;
    Ok(applied)
}

/// How a page's records are written to the desk's tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Writing {
    /// All in a row, with no savepoints: a savepoint per record would make the full-text index
    /// flush to disk after each one. Any record that cannot be written fails the page.
    Together,
    /// Each under its own savepoint; a record that cannot be written yet is parked.
    OneByOne,
}

/// A record a page changed, to be written to the desk's tables.
struct Written<'a> {
    entity: &'a str,
    id: &'a str,
    record: &'a RecordState,
    held_before: bool,
}

fn materialize_page(tx: &Transaction, entities: Entities, records: &[Written], writing: Writing) -> Result<()> {
    if writing == Writing::OneByOne {
        for written in records {
            materialize(tx, entities, written)?;
        }
        return Ok(());
    }
    for written in records {
        write(tx, entities, written)?;
    }
    if any_parked(tx)? {
        let mut unpark = tx.prepare_cached("DELETE FROM sync_parked WHERE entity = ?1 AND record_id = ?2")?;
        for written in records {
            unpark.execute([written.entity, written.id])?;
        }
    }
    Ok(())
}

/// Whether any record waits in `sync_parked` to be written (tried again with each page pulled).
pub(crate) fn any_parked(conn: &rusqlite::Connection) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM sync_parked)")?.query_row([], |row| row.get(0))?)
}

/// Makes the desk's row agree with the record's merged state.
fn write(tx: &Transaction, entities: Entities, written: &Written) -> Result<()> {
    let Written { entity: name, id, record, held_before } = *written;
    // A record type this version does not know is kept in sync_records for a newer version.
    let Some(entity) = entities.find(name) else {
        return Ok(());
    };
    if record.is_deleted() {
        entity.remove(tx, id)
    } else {
        entity.write(tx, id, record, held_before)
    }
}

/// Writes one record under its own savepoint, or parks it with the reason. False if it had to wait.
fn materialize(tx: &Transaction, entities: Entities, written: &Written) -> Result<bool> {
    let Written { entity: name, id, record, .. } = *written;
    tx.prepare_cached("SAVEPOINT materialize")?.execute([])?;
    match write(tx, entities, written) {
        Ok(()) => {
            tx.prepare_cached("RELEASE materialize")?.execute([])?;
            tx.prepare_cached("DELETE FROM sync_parked WHERE entity = ?1 AND record_id = ?2")?.execute([name, id])?;
            Ok(true)
        }
        Err(err) => {
            tx.execute_batch("ROLLBACK TO materialize; RELEASE materialize")?;
            if matches!(err, Error::Common(CommonError::DatabaseLocked)) {
                return Err(err);
            }
            let known = match entities.find(name) {
                Some(entity) => entity.why_unwritable(tx, id, record, entities)?,
                None => None,
            };
            let reason = known.map_or_else(|| err.to_string(), |why| why.to_string());
            tx.prepare_cached(
                "INSERT INTO sync_parked (entity, record_id, reason) VALUES (?1, ?2, ?3)
                 ON CONFLICT (entity, record_id) DO UPDATE SET reason = excluded.reason",
            )?
            .execute(params![name, id, reason])?;
            Ok(false)
        }
    }
}

/// Writes waiting records whose turn has come (their person arrived), until nothing moves.
fn retry_parked(tx: &Transaction, entities: Entities) -> Result<()> {
    loop {
        let parked: Vec<(String, String)> = {
            let mut statement = tx.prepare_cached("SELECT entity, record_id FROM sync_parked")?;
            let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut progress = false;
        for (entity, id) in &parked {
            let record = RecordState::load(tx, entity, id)?;
            progress |= materialize(tx, entities, &Written { entity, id, record: &record, held_before: true })?;
        }
        if !progress {
            return Ok(());
        }
    }
}
