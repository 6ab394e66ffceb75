//! One synced record's merged state: each field's value with the stamp of the change that set
//! it, and the stamp of its latest delete. Merging is per field, last writer wins, so applying
//! the same changes in any order, any number of times, gives the same record.

use std::borrow::Cow;
use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::entity::Fields;
use crate::Result;

/// `"<hlc> <device id>"`: the HLC is fixed-width, so comparing stamps as text compares HLCs
/// first and breaks ties by device id. A desk not yet enrolled stamps with an empty device id
/// and claims its stamps when the hub gives it one.
pub(crate) type Stamp = String;

pub(crate) fn stamp(hlc: &str, device_id: &str) -> Stamp {
    format!("{hlc} {device_id}")
}

#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct RecordState {
    fields: BTreeMap<String, (Value, Stamp)>,
    deleted: Option<Stamp>,
    /// The staff account behind the newest change that won something, with that change's
    /// stamp, so every desk agrees on it whatever order changes arrive in.
    changed_by: Option<(String, Stamp)>,
}

/// How a state is kept in `sync_records`. Most records have every field from one change, so
/// the stamp those fields share is written once (`s`, with their values in `v`); a field with
/// a stamp of its own keeps `[value, stamp]` in `f`, which is also how the first version of
/// this format kept every field.
#[derive(Serialize, Deserialize)]
struct Stored<'a> {
    #[serde(rename = "s", default, borrow, skip_serializing_if = "Option::is_none")]
    shared: Option<Cow<'a, str>>,
    #[serde(rename = "v", default, borrow, skip_serializing_if = "BTreeMap::is_empty")]
    values: BTreeMap<Cow<'a, str>, Cow<'a, Value>>,
    #[serde(rename = "f", default, borrow, skip_serializing_if = "BTreeMap::is_empty")]
    fields: BTreeMap<Cow<'a, str>, (Cow<'a, Value>, Cow<'a, str>)>,
    #[serde(rename = "d", default, borrow, skip_serializing_if = "Option::is_none")]
    deleted: Option<Cow<'a, str>>,
    #[serde(rename = "b", default, borrow, skip_serializing_if = "Option::is_none")]
    changed_by: Option<(Cow<'a, str>, Cow<'a, str>)>,
}

impl RecordState {
    fn stored(&self) -> Stored<'_> {
        // The stamp most fields carry (a record has a handful of fields: counting by scanning is cheapest).
        let stamps: Vec<&str> = self.fields.values().map(|(_, stamp)| stamp.as_str()).collect();
        let shared =
            stamps.iter().copied().max_by_key(|stamp| (stamps.iter().filter(|other| *other == stamp).count(), *stamp));
        let mut stored = Stored {
            shared: shared.map(Cow::Borrowed),
            values: BTreeMap::new(),
            fields: BTreeMap::new(),
            deleted: self.deleted.as_deref().map(Cow::Borrowed),
            changed_by: self
                .changed_by
                .as_ref()
                .map(|(by, stamp)| (Cow::Borrowed(by.as_str()), Cow::Borrowed(stamp.as_str()))),
        };
        for (name, (value, stamp)) in &self.fields {
            if Some(stamp.as_str()) == shared {
                stored.values.insert(Cow::Borrowed(name), Cow::Borrowed(value));
            } else {
                stored.fields.insert(Cow::Borrowed(name), (Cow::Borrowed(value), Cow::Borrowed(stamp)));
            }
        }
        stored
    }

    fn from_stored(stored: Stored) -> RecordState {
        let shared = stored.shared.map(Cow::into_owned).unwrap_or_default();
        let mut fields: BTreeMap<String, (Value, Stamp)> = stored
            .values
            .into_iter()
            .map(|(name, value)| (name.into_owned(), (value.into_owned(), shared.clone())))
            .collect();
        for (name, (value, stamp)) in stored.fields {
            fields.insert(name.into_owned(), (value.into_owned(), stamp.into_owned()));
        }
        RecordState {
            fields,
            deleted: stored.deleted.map(Cow::into_owned),
            changed_by: stored.changed_by.map(|(by, stamp)| (by.into_owned(), stamp.into_owned())),
        }
    }
}

impl RecordState {
    pub fn load(conn: &Connection, entity: &str, id: &str) -> Result<RecordState> {
        let text: Option<String> = conn
            .prepare_cached("SELECT state FROM sync_records WHERE entity = ?1 AND record_id = ?2")?
            .query_row([entity, id], |row| row.get(0))
            .optional()?;
        Ok(text.and_then(|text| serde_json::from_str(&text).ok().map(RecordState::from_stored)).unwrap_or_default())
    }

    pub fn save(&self, conn: &Connection, entity: &str, id: &str) -> Result<()> {
        let text = serde_json::to_string(&self.stored()).expect("JSON values always serialise");
        conn.prepare_cached(
            "INSERT INTO sync_records (entity, record_id, state) VALUES (?1, ?2, ?3)
             ON CONFLICT (entity, record_id) DO UPDATE SET state = excluded.state",
        )?
        .execute([entity, id, &text])?;
        Ok(())
    }

    /// Takes `value` for `field` if `stamp` is newer than the value held. True if it did.
    pub fn set(&mut self, field: &str, value: &Value, stamp: &str) -> bool {
        match self.fields.get(field) {
            Some((_, held)) if held.as_str() >= stamp => false,
            _ => {
                self.fields.insert(field.to_owned(), (value.clone(), stamp.to_owned()));
                true
            }
        }
    }

    pub fn delete(&mut self, stamp: &str) -> bool {
        match &self.deleted {
            Some(held) if held.as_str() >= stamp => false,
            _ => {
                self.deleted = Some(stamp.to_owned());
                true
            }
        }
    }

    /// Deleted unless some field was set after the latest delete.
    pub fn is_deleted(&self) -> bool {
        self.deleted.as_ref().is_some_and(|deleted| self.fields.values().all(|(_, stamp)| stamp < deleted))
    }

    pub fn is_live(&self) -> bool {
        !self.fields.is_empty() && !self.is_deleted()
    }

    /// Nothing set and nothing deleted: a record this desk has never held.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.deleted.is_none()
    }

    pub fn value(&self, field: &str) -> Option<&Value> {
        self.fields.get(field).map(|(value, _)| value)
    }

    /// The fields of `current` that differ from what was last recorded: what a local write changed.
    pub fn changes_to(&self, current: &Fields) -> Fields {
        current
            .iter()
            .filter(|(name, value)| self.fields.get(*name).is_none_or(|(held, _)| held != *value))
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect()
    }

    /// Gives stamps made before the desk had a device id the one the hub just assigned.
    pub fn claim_local_stamps(&mut self, device_id: &str) -> bool {
        let mut claimed = false;
        for stamp in self.stamps_mut() {
            if stamp.ends_with(' ') {
                stamp.push_str(device_id);
                claimed = true;
            }
        }
        claimed
    }

    /// Replaces the values of the fields named in `values` that the record holds, keeping each
    /// field's stamp: what is erased stays erased, and merging still compares the same stamps.
    pub fn overwrite_values(&mut self, values: &Fields) {
        for (field, value) in values {
            if let Some((held, _)) = self.fields.get_mut(field) {
                *held = value.clone();
            }
        }
    }

    /// Notes who made the change stamped `stamp`, unless a newer change's author is held.
    pub fn note_changed_by(&mut self, by: &str, stamp: &str) {
        if self.changed_by.as_ref().is_none_or(|(_, held)| held.as_str() < stamp) {
            self.changed_by = Some((by.to_owned(), stamp.to_owned()));
        }
    }

    pub fn changed_by(&self) -> Option<&str> {
        self.changed_by.as_ref().map(|(by, _)| by.as_str())
    }

    /// The record as the changes that made it, as far as it shows them: each stamp it holds
    /// with the fields that stamp still sets (and the values they hold now, erased ones erased),
    /// and who made it, when known.
    pub fn as_changes(&self) -> BTreeMap<&str, (Fields, Option<&str>)> {
        let mut changes: BTreeMap<&str, (Fields, Option<&str>)> = BTreeMap::new();
        for (field, (value, stamp)) in &self.fields {
            let by = self.changed_by.as_ref().filter(|(_, at)| at == stamp).map(|(by, _)| by.as_str());
            changes.entry(stamp).or_insert_with(|| (Fields::new(), by)).0.insert(field.clone(), value.clone());
        }
        changes
    }

    pub fn deleted_stamp(&self) -> Option<&str> {
        self.deleted.as_deref()
    }

    /// Every stamp the record holds: each field's, the delete's, and its author's.
    fn stamps_mut(&mut self) -> impl Iterator<Item = &mut Stamp> {
        self.fields
            .values_mut()
            .map(|(_, stamp)| stamp)
            .chain(self.deleted.as_mut())
            .chain(self.changed_by.as_mut().map(|(_, stamp)| stamp))
    }

    /// Replaces one stamp wherever it is held (a pending change stamped again).
    pub fn restamp(&mut self, from: &str, to: &str) {
        for stamp in self.stamps_mut().filter(|stamp| stamp.as_str() == from) {
            *stamp = to.to_owned();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_newer_stamp_wins_each_field_on_its_own() {
        let mut record = RecordState::default();
        assert!(record.set("phone", &json!("555-0100"), "000000000002000-00000 b"));
        assert!(!record.set("phone", &json!("555-0199"), "000000000001000-00000 a"), "older loses");
        assert!(record.set("email", &json!("d@example.org"), "000000000001000-00000 a"), "other field is free");
        assert!(
            record.set("phone", &json!("555-0111"), "000000000002000-00000 c"),
            "same time: device id breaks the tie"
        );
        assert_eq!(record.value("email"), Some(&json!("d@example.org")));
        assert_eq!(record.value("phone"), Some(&json!("555-0111")));
    }

    #[test]
    fn a_delete_holds_until_a_later_upsert() {
        let mut record = RecordState::default();
        record.set("name", &json!("Dan"), "000000000001000-00000 a");
        record.delete("000000000002000-00000 b");
        assert!(record.is_deleted());
        record.set("name", &json!("Dan R"), "000000000001500-00000 c");
        assert!(record.is_deleted(), "an upsert stamped before the delete does not resurrect");
        record.set("name", &json!("Dan R."), "000000000003000-00000 c");
        assert!(!record.is_deleted(), "one stamped after it does");
    }

    #[test]
    fn a_stamp_shared_by_fields_is_stored_once_and_the_first_format_still_reads() {
        let mut record = RecordState::default();
        record.set("name", &json!("Dan"), "000000000001000-00000 a");
        record.set("phone", &json!("1"), "000000000001000-00000 a");
        record.set("email", &json!(null), "000000000002000-00000 b");
        record.delete("000000000000500-00000 c");
        let text = serde_json::to_string(&record.stored()).unwrap();
        assert_eq!(text.matches("000000000001000-00000 a").count(), 1, "{text}");
        assert_eq!(RecordState::from_stored(serde_json::from_str(&text).unwrap()), record);

        let first_format = r#"{"f":{"name":["Dan","000000000001000-00000 a"]},"d":"000000000000500-00000 b"}"#;
        let read = RecordState::from_stored(serde_json::from_str(first_format).unwrap());
        assert_eq!(read.value("name"), Some(&json!("Dan")));
        assert!(!read.is_deleted());
    }

    #[test]
    fn local_stamps_are_claimed_once_the_desk_has_an_id() {
        let mut record = RecordState::default();
        record.set("name", &json!("Dan"), &stamp("000000000001000-00000", ""));
        record.set("phone", &json!("1"), &stamp("000000000001000-00001", "other"));
        assert!(record.claim_local_stamps("mine"));
        assert_eq!(record.fields["name"].1, "000000000001000-00000 mine");
        assert_eq!(record.fields["phone"].1, "000000000001000-00001 other");
    }
}
