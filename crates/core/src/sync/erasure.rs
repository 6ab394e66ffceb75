//! Erasing what the records say about someone, on every desk and at the hub. One mechanism,
//! which each record type takes part in by declaring its personal fields and what forgetting a
//! person does to its rows ([`Entity::personal`], [`Entity::when_person_forgotten`]). Forgetting
//! a person uses it today; a retention rule (a call's notes erased after so many days) erases
//! one record at a time with [`erase_record`].
//!
//! An erased field is erased three times over: in the desk's row; in the changes this desk has
//! not sent yet; and, through the erasing change itself, in every change the hub already holds.
//! A record whose [`Entity::erased_marker`] is set stays erased as changes from other desks
//! arrive ([`keep_erased`]).

use rusqlite::{params, Connection, Transaction};
use serde_json::Value;

use super::entity::{Entities, Entity, Fields, SqlOf};
use super::outbox;
use super::record::RecordState;
use crate::sync::error::SyncError;
use crate::{Error, Result, Timestamp};

/// A field that says who someone is, and what it says once erased.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Personal {
    pub field: &'static str,
    pub erased: Erased,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Erased {
    Null,
    /// A stand-in that reads as erased ("Forgotten person"), for a field that cannot be empty.
    Text(&'static str),
    /// No, for a yes-or-no answer (kept as 0 or 1).
    No,
    /// A new value the record type makes for the record (a fresh member code), handed to
    /// [`erase_record`]; a record that only stays erased keeps the one it was given then.
    Fresh,
}

/// What forgetting a person does to one record type's rows.
#[derive(Debug, Clone, Copy)]
pub(crate) enum OnForget {
    /// Nothing: the rows stay, and keep counting, tied to a record nobody can name (visits).
    Keep,
    /// This type's record whose id is the person's (the person's own record) is erased.
    EraseRecord,
    /// The rows about the person, found by the column naming them, are removed (the days a
    /// volunteer is away). What the hub holds of them stays: a delete erases nothing there.
    DeleteRows { person_column: &'static str },
    /// The rows about the person, found by `select` (their ids, given the person's id as `?1`),
    /// are erased as their record type declares, here and in what the hub holds, and marked
    /// erased: consent answers, and what was written about a warmline caller linked to them.
    EraseRows { select: &'static str },
    /// The rows keep everything but the link to the person (a staff account and its holder).
    Unlink { person_column: &'static str },
}

/// Erases who `person_id` was from every record type, each as it declared, in the caller's
/// transaction. `fresh` holds the new values of the person's own record's [`Erased::Fresh`] fields.
/// Rows found through a link to the person are erased before any link goes.
pub(crate) fn forget_person(
    tx: &Transaction,
    entities: Entities,
    person_id: &str,
    fresh: &Fields,
    now: Timestamp,
) -> Result<()> {
    for entity in entities.iter() {
        if let OnForget::EraseRows { select } = entity.when_person_forgotten() {
            let ids: Vec<String> = {
                let mut statement = tx.prepare(select)?;
                let rows = statement.query_map([person_id], |row| row.get(0))?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            for id in ids {
                if let Some(marker) = entity.erased_marker() {
                    let sql = format!("UPDATE {} SET {marker} = ?2 WHERE id = ?1", table_of(entity)?);
                    tx.execute(&sql, params![id, now])?;
                }
                erase_record(tx, entity, &id, fresh)?;
            }
        }
    }
    for entity in entities.iter() {
        match entity.when_person_forgotten() {
            OnForget::Keep | OnForget::EraseRows { .. } => {}
            OnForget::EraseRecord => erase_record(tx, entity, person_id, fresh)?,
            OnForget::DeleteRows { person_column } => {
                tx.execute(&format!("DELETE FROM {} WHERE {person_column} = ?1", table_of(entity)?), [person_id])?;
            }
            OnForget::Unlink { person_column } => {
                let sql = format!("UPDATE {} SET {person_column} = NULL WHERE {person_column} = ?1", table_of(entity)?);
                tx.execute(&sql, [person_id])?;
            }
        }
    }
    Ok(())
}

fn table_of(entity: &dyn Entity) -> Result<&'static str> {
    entity.table().ok_or(Error::Sync(SyncError::UnusableSyncedValue { entity: entity.name(), field: "id" }))
}

/// Erases one record's personal fields: in its row, in what this desk has not sent, and (by the
/// change this transaction records for it) in what the hub holds. `fresh` gives the new values
/// of its [`Erased::Fresh`] fields.
pub(crate) fn erase_record(tx: &Transaction, entity: &dyn Entity, id: &str, fresh: &Fields) -> Result<()> {
    let erased = erased_values(entity, Some(fresh))?;
    if erased.is_empty() {
        return Ok(());
    }
    let table =
        entity.table().ok_or(Error::Sync(SyncError::UnusableSyncedValue { entity: entity.name(), field: "id" }))?;
    let sets: Vec<String> =
        erased.keys().enumerate().map(|(index, field)| format!("{field} = ?{}", index + 2)).collect();
    let mut update = tx.prepare_cached(&format!("UPDATE {table} SET {} WHERE id = ?1", sets.join(", ")))?;
    update.raw_bind_parameter(1, id)?;
    for (index, value) in erased.values().enumerate() {
        update.raw_bind_parameter(index + 2, SqlOf(value))?;
    }
    update.raw_execute()?;
    outbox::erase_earlier(tx, entity.name(), id, &erased)
}

/// A record erased elsewhere stays erased here: what a desk sent before it heard cannot bring
/// a name back, neither in the merged record nor in this desk's own changes waiting to go out.
pub(crate) fn keep_erased(tx: &Transaction, entity: &dyn Entity, id: &str, record: &mut RecordState) -> Result<()> {
    let Some(marker) = entity.erased_marker() else { return Ok(()) };
    if record.value(marker).is_none_or(Value::is_null) {
        return Ok(());
    }
    let erased = erased_values(entity, None)?;
    record.overwrite_values(&erased);
    outbox::erase_unsent(tx, entity.name(), id, &erased)
}

/// What each personal field says once erased. Without `fresh`, [`Erased::Fresh`] fields are
/// left out: they keep the new value the erasing change gave them.
fn erased_values(entity: &dyn Entity, fresh: Option<&Fields>) -> Result<Fields> {
    let mut erased = Fields::new();
    for personal in entity.personal() {
        let value = match personal.erased {
            Erased::Null => Value::Null,
            Erased::Text(text) => Value::from(text),
            Erased::No => Value::from(0),
            Erased::Fresh => match fresh {
                Some(fresh) => {
                    fresh.get(personal.field).cloned().ok_or(Error::Sync(SyncError::UnusableSyncedValue {
                        entity: entity.name(),
                        field: personal.field,
                    }))?
                }
                None => continue,
            },
        };
        erased.insert(personal.field.to_owned(), value);
    }
    Ok(erased)
}

/// After erasing: each record type compacts whatever could still hold what was erased.
pub(crate) fn compact(conn: &Connection, entities: Entities) -> Result<()> {
    entities.iter().try_for_each(|entity| entity.upkeep().after_erasing(conn))
}
