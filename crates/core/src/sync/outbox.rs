//! Local writes become outgoing changes: every record a transaction touched gets one outbox
//! row holding the fields that changed, written in that same transaction.

use porchlight_protocol::{Change, Hlc, Op, PulledChange};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::entity::{Entities, Fields};
use super::record::{stamp, RecordState};
use super::trusted_time::{self, DeskClock};
use crate::{new_id, Result, Timestamp};

/// The temporary table the watch triggers fill, in the order records were touched.
pub(crate) const DIRTY_TABLE_SQL: &str = "CREATE TEMP TABLE IF NOT EXISTS sync_dirty (
    position  INTEGER PRIMARY KEY,
    entity    TEXT NOT NULL,
    record_id TEXT NOT NULL,
    UNIQUE (entity, record_id)
)";

/// Who the current transaction acts for: set when core authorizes a write, read when its
/// changes are recorded, and cleared with what was touched.
pub(crate) const ACTING_TABLE_SQL: &str = "CREATE TEMP TABLE IF NOT EXISTS sync_acting (account_id TEXT NOT NULL)";

/// Records whose next change erases what earlier changes to them said.
pub(crate) const ERASING_TABLE_SQL: &str =
    "CREATE TEMP TABLE IF NOT EXISTS sync_erasing (entity TEXT NOT NULL, record_id TEXT NOT NULL, fields TEXT NOT NULL)";

/// Before a record's erasing change is recorded: its changes not yet sent say `erased`
/// instead of what they said, and the change this transaction records for it asks the hub
/// to do the same with the changes it already holds.
pub(crate) fn erase_earlier(tx: &Transaction, entity: &str, record_id: &str, erased: &Fields) -> Result<()> {
    erase_unsent(tx, entity, record_id, erased)?;
    let fields: Vec<&String> = erased.keys().collect();
    tx.prepare_cached("INSERT INTO sync_erasing (entity, record_id, fields) VALUES (?1, ?2, ?3)")?.execute([
        entity,
        record_id,
        &serde_json::to_string(&fields).expect("names always serialise"),
    ])?;
    Ok(())
}

/// The record's changes not yet sent say `erased` instead of what they said: also for a
/// desk that learns another desk erased the record while its own edits wait to go out.
pub(crate) fn erase_unsent(tx: &Transaction, entity: &str, record_id: &str, erased: &Fields) -> Result<()> {
    let pending: Vec<(i64, String)> = {
        let mut statement =
            tx.prepare_cached("SELECT position, fields FROM outbox WHERE entity = ?1 AND record_id = ?2")?;
        let rows = statement.query_map([entity, record_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (position, fields) in pending {
        let mut fields: Fields = serde_json::from_str(&fields).unwrap_or_default();
        for (field, value) in fields.iter_mut() {
            if let Some(replacement) = erased.get(field) {
                *value = replacement.clone();
            }
        }
        tx.prepare_cached("UPDATE outbox SET fields = ?2 WHERE position = ?1")?
            .execute(params![position, serde_json::Value::Object(fields).to_string()])?;
    }
    Ok(())
}

/// The changes this transaction goes on to record were made by `account_id`.
pub(crate) fn act_as(tx: &Transaction, account_id: &str) -> Result<()> {
    tx.prepare_cached("DELETE FROM sync_acting")?.execute([])?;
    tx.prepare_cached("INSERT INTO sync_acting (account_id) VALUES (?1)")?.execute([account_id])?;
    Ok(())
}

/// Turns what the transaction touched into outbox rows, stamped from the desk's trusted time as
/// the transaction ends (it may have just been put right), given what the computer's clock read.
/// Called by `Desk::write` before commit.
pub(crate) fn record_changes(tx: &Transaction, computer: Timestamp, entities: Entities) -> Result<()> {
    let dirty: Vec<(String, String)> = {
        let mut statement = tx.prepare_cached("SELECT entity, record_id FROM sync_dirty ORDER BY position")?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let by: Option<String> =
        tx.prepare_cached("SELECT account_id FROM sync_acting LIMIT 1")?.query_row([], |row| row.get(0)).optional()?;
    let erasing: Vec<(String, String, String)> = {
        let mut statement = tx.prepare_cached("SELECT entity, record_id, fields FROM sync_erasing")?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    if dirty.is_empty() {
        return forget_touched(tx);
    }
    forget_touched(tx)?;
    let now = trusted_time::trusted_now(tx, computer)?;
    trusted_time::refuse_while_in_doubt(tx, now, &dirty)?;
    let mut clock = DeskClock::load(tx, now)?;
    for (name, id) in dirty {
        let entity = entities.find(&name).expect("only declared entities are watched");
        let mut record = RecordState::load(tx, &name, &id)?;
        let (op, fields) = match entity.read(tx, &id)? {
            Some(current) => (Op::Upsert, record.changes_to(&current)),
            None if record.is_live() => (Op::Delete, Fields::new()),
            None => continue,
        };
        if op == Op::Upsert && fields.is_empty() {
            continue;
        }
        let hlc = clock.tick();
        let stamp = stamp(&hlc.to_string(), &clock.device_id);
        match op {
            Op::Upsert => fields.iter().for_each(|(field, value)| {
                record.set(field, value, &stamp);
            }),
            Op::Delete => {
                record.delete(&stamp);
            }
        }
        if let Some(by) = &by {
            record.note_changed_by(by, &stamp);
        }
        record.save(tx, &name, &id)?;
        // Only fields this change sets can be erased by it; one already empty has nothing to erase.
        let erases = erasing.iter().find(|(entity, record_id, _)| *entity == name && *record_id == id).map(|e| {
            let named: Vec<String> = serde_json::from_str(&e.2).unwrap_or_default();
            let set: Vec<&String> = named.iter().filter(|field| fields.contains_key(*field)).collect();
            serde_json::to_string(&set).expect("names always serialise")
        });
        queue(tx, (&name, &id), op, fields, &hlc.to_string(), by.as_deref(), erases.as_deref())?;
    }
    clock.save(tx)
}

/// A new outbox row: one change to `(entity, record id)` to send, under a new change id.
fn queue(
    tx: &Transaction,
    (entity, record_id): (&str, &str),
    op: Op,
    fields: Fields,
    hlc: &str,
    by: Option<&str>,
    erases: Option<&str>,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO outbox (change_id, entity, record_id, op, fields, hlc, changed_by, erases)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        new_id(),
        entity,
        record_id,
        op.as_str(),
        serde_json::Value::Object(fields).to_string(),
        hlc,
        by,
        erases
    ])?;
    Ok(())
}

/// Drops the record of what was touched: for writes that must not become changes (applying
/// what other desks sent, filling in defaults).
pub(crate) fn forget_touched(conn: &Connection) -> Result<()> {
    conn.prepare_cached("DELETE FROM sync_dirty")?.execute([])?;
    conn.prepare_cached("DELETE FROM sync_acting")?.execute([])?;
    conn.prepare_cached("DELETE FROM sync_erasing")?.execute([])?;
    Ok(())
}

/// The oldest changes not yet acknowledged by the hub, in the order they were made.
pub(crate) fn pending(conn: &Connection, limit: usize) -> Result<Vec<Change>> {
    Ok(pending_after(conn, 0, limit)?.0)
}

/// Like [`pending`], from the outbox position after `position` (batches read ahead of their
/// acknowledgement); also the position of the last change read.
pub(crate) fn pending_after(conn: &Connection, position: i64, limit: usize) -> Result<(Vec<Change>, Option<i64>)> {
    let mut statement = conn.prepare_cached(
        "SELECT change_id, entity, record_id, op, fields, hlc, position, changed_by, erases FROM outbox
         WHERE position > ?1 ORDER BY position LIMIT ?2",
    )?;
    let mut last_position = None;
    let rows = statement.query_map([position, limit as i64], |row| {
        let op: String = row.get(3)?;
        let fields: String = row.get(4)?;
        last_position = Some(row.get(6)?);
        Ok(Change {
            change_id: row.get(0)?,
            entity: row.get(1)?,
            id: row.get(2)?,
            op: if op == "delete" { Op::Delete } else { Op::Upsert },
            fields: serde_json::from_str(&fields).unwrap_or_default(),
            hlc: row.get(5)?,
            by: row.get(7)?,
            erase: row
                .get::<_, Option<String>>(8)?
                .and_then(|text| serde_json::from_str(&text).ok())
                .unwrap_or_default(),
            auth: None,
        })
    })?;
    let changes = rows.collect::<rusqlite::Result<_>>()?;
    Ok((changes, last_position))
}

pub(crate) fn count(conn: &Connection) -> Result<u64> {
    Ok(conn.query_row("SELECT COUNT(*) FROM outbox", [], |row| row.get::<_, i64>(0))? as u64)
}

/// The hub has these: they leave the outbox, and their stamps may now be seen anywhere.
pub(crate) fn acknowledge(tx: &Transaction, changes: &[Change]) -> Result<()> {
    let mut delete = tx.prepare_cached("DELETE FROM outbox WHERE change_id = ?1")?;
    for change in changes {
        delete.execute([&change.change_id])?;
    }
    trusted_time::raise_stamp_floor(tx, changes.iter().filter_map(|change| change.hlc.parse().ok()))
}

/// A desk whose clock ran ahead (and has now learned the hub's time) stamps its unsent changes
/// again, so a wrong clock does not make its edits win for hours. The new stamps start after
/// every stamp that left this desk or reached it, and keep the changes' order: an edit stays
/// after every edit it followed, here and at every other desk. Changes already sent keep their
/// stamps: other desks hold them too.
pub(crate) fn restamp_future(tx: &Transaction, trusted: Timestamp) -> Result<usize> {
    let mut clock = DeskClock::load(tx, trusted)?;
    let base = trusted_time::stamp_floor(tx)?.max(Hlc::new(clock.wall_ms, 0));
    let ahead_of_base: Option<String> =
        tx.prepare_cached("SELECT MAX(hlc) FROM outbox")?.query_row([], |row| row.get(0))?;
    if !ahead_of_base.and_then(|hlc| hlc.parse::<Hlc>().ok()).is_some_and(|newest| newest.is_ahead_of(base.millis)) {
        return Ok(0);
    }
    let ahead: Vec<(i64, String, String, String)> = {
        let mut statement =
            tx.prepare_cached("SELECT position, entity, record_id, hlc FROM outbox WHERE hlc > ?1 ORDER BY position")?;
        let rows =
            statement.query_map([base.to_string()], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    clock.hlc = base;
    for (position, entity, id, old_hlc) in &ahead {
        let new_hlc = clock.tick().to_string();
        let mut record = RecordState::load(tx, entity, id)?;
        record.restamp(&stamp(old_hlc, &clock.device_id), &stamp(&new_hlc, &clock.device_id));
        record.save(tx, entity, id)?;
        tx.prepare_cached("UPDATE outbox SET hlc = ?2 WHERE position = ?1")?.execute(params![position, new_hlc])?;
    }
    trusted_time::reset_clock(tx, clock.hlc)?;
    Ok(ahead.len())
}

/// A desk that kept records before it could sync (schema version 1): each of them becomes a
/// change to send, in the order the record types are declared. Each type says which of its
/// rows count: the seeded services and default settings are the same on every desk and are
/// left out, so a desk joining late cannot undo a rename made elsewhere. Noted inside
/// [`crate::Desk::write`], which turns them into changes.
pub(crate) fn note_everything_from_before_sync(tx: &Transaction, entities: Entities) -> Result<()> {
    let mut note = tx.prepare("INSERT OR IGNORE INTO sync_dirty (entity, record_id) VALUES (?1, ?2)")?;
    for entity in entities.iter() {
        for id in entity.kept_before_sync(tx)? {
            note.execute([entity.name(), &id])?;
        }
    }
    Ok(())
}

/// While a desk checks what a hub that went back still holds: notes the changes of a page
/// pulled from it.
pub(crate) fn note_held_by_hub(tx: &Transaction, changes: &[PulledChange]) -> Result<()> {
    let mut note =
        tx.prepare_cached("INSERT OR IGNORE INTO sync_hub_holds (entity, record_id, hlc) VALUES (?1, ?2, ?3)")?;
    for change in changes {
        note.execute([&change.entity, &change.id, &change.hlc])?;
    }
    Ok(())
}

/// Once a desk has pulled the whole history of a hub that went back (put back from a backup,
/// or replaced): every change its records show that the hub no longer holds, and that is not
/// waiting to be sent anyway, goes into the outbox again, as the record stands now (erased
/// fields erased) and stamped as it was, whichever desk made it: the desk that made it may be
/// gone. A desk that holds it already changes nothing. Record types go in the order they are
/// declared (people before their visits), each record in the order it was made. How many.
pub(crate) fn resend_what_the_hub_lost(tx: &Transaction, entities: Entities) -> Result<u64> {
    let mut records: Vec<(String, String)> = Vec::new();
    for entity in entities.iter() {
        let mut statement =
            tx.prepare_cached("SELECT record_id FROM sync_records WHERE entity = ?1 ORDER BY record_id")?;
        let rows = statement.query_map([entity.name()], |row| Ok((entity.name().to_owned(), row.get(0)?)))?;
        records.extend(rows.collect::<rusqlite::Result<Vec<_>>>()?);
    }
    let mut held = tx.prepare_cached(
        "SELECT 1 FROM sync_hub_holds WHERE entity = ?1 AND record_id = ?2 AND hlc = ?3
         UNION ALL SELECT 1 FROM outbox WHERE entity = ?1 AND record_id = ?2 AND hlc = ?3",
    )?;
    let mut resent = 0;
    for (entity, id) in records {
        let record = RecordState::load(tx, &entity, &id)?;
        let lost = |stamp: &str, held: &mut rusqlite::CachedStatement| -> Result<Option<String>> {
            let Some((hlc, device)) = stamp.split_once(' ') else { return Ok(None) };
            // A stamp with no desk was made before this desk enrolled: it waits in the outbox.
            let lost = !device.is_empty() && !held.exists([&entity, &id, hlc])?;
            Ok(lost.then(|| hlc.to_owned()))
        };
        for (stamp, (fields, by)) in record.as_changes() {
            if let Some(hlc) = lost(stamp, &mut held)? {
                queue(tx, (&entity, &id), Op::Upsert, fields, &hlc, by, None)?;
                resent += 1;
            }
        }
        if let Some(hlc) = record.deleted_stamp().map(|stamp| lost(stamp, &mut held)).transpose()?.flatten() {
            queue(tx, (&entity, &id), Op::Delete, Fields::new(), &hlc, None, None)?;
            resent += 1;
        }
    }
    tx.prepare_cached("DELETE FROM sync_hub_holds")?.execute([])?;
    Ok(resent)
}
