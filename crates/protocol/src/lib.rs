//! What desks and porchlight-hub say to each other over `/v1`, shared by both sides so the
//! contract in `docs/sync.md` is written down once.
//!
//! The hub is an ordered relay: it checks that a change is well formed, numbers it and hands it
//! on. It cannot read a record's fields: desks seal each value with their center's key
//! ([`sealed`]) and merge what they open.

pub mod acts;
pub mod figures;
mod hlc;
pub mod sealed;
pub mod spreadsheet;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use figures::{is_month, Count, MonthFigures, CALL_OUTCOMES};
pub use hlc::{Hlc, InvalidHlc, MAX_AHEAD_MS};
pub use sealed::{auth_key_id, is_key_id, sealed_with};

/// The record types desks of this version sync, by the name a change carries
/// ([`Change::entity`]). The hub refuses a change of any other: no desk could open it, and each
/// would only report it as a change it cannot apply. A version that adds a record type adds it
/// here, and its hub is updated before its desks.
pub const RECORD_TYPES: &[&str] = &[
    "account",
    "attendance",
    "audit",
    "consent",
    "credential_kind",
    "desk_key",
    "group",
    "group_schedule",
    "group_session",
    "person",
    "person_link",
    "service",
    "settings",
    "shift",
    "shift_assignment",
    "shift_role",
    "shift_schedule",
    "shift_template",
    "visit",
    "volunteer",
    "volunteer_blackout",
    "volunteer_credential",
    "volunteer_hours",
    "warmline_call",
    "warmline_call_type",
    "warmline_caller",
    "warmline_caller_flag",
    "warmline_caller_note",
    "warmline_follow_up",
    "warmline_handoff_note",
    "warmline_resource",
    "warmline_topic",
];

/// At most this many changes in one push.
pub const MAX_PUSH_BATCH: usize = 1000;
/// Changes per pull page when the desk does not ask for a size, and the most it may ask for.
pub const DEFAULT_PULL_LIMIT: u32 = 500;
pub const MAX_PULL_LIMIT: u32 = 5000;
/// The largest request body the hub reads: 1000 changes of a few kilobytes each, with room.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Op {
    /// Sets the fields named in `fields`.
    Upsert,
    /// Marks the record deleted (a tombstone); `fields` is empty.
    Delete,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Upsert => "upsert",
            Op::Delete => "delete",
        }
    }
}

/// One change to one record, as a desk pushes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// A UUIDv7 made by the desk; pushing it twice stores it once.
    #[cfg_attr(feature = "openapi", schema(example = "01934f2a-7b3c-7d10-9a4e-5f6a7b8c9d0e"))]
    pub change_id: String,
    /// The record type: `person`, `visit`, `service`, `settings`, ...
    #[cfg_attr(feature = "openapi", schema(example = "person", pattern = "^[a-z][a-z_]{0,39}$"))]
    pub entity: String,
    /// The record's UUIDv7.
    pub id: String,
    pub op: Op,
    /// The fields this change sets, by name. Each value is sealed with the center's key once the
    /// center has one: a string `pl2.<key id>.<base64url(nonce ‖ ciphertext ‖ tag)>`,
    /// XChaCha20-Poly1305 over the value's JSON padded to a fixed size, bound to the entity,
    /// record id and field name and to this change's id and stamp (an erasure's, to the field).
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Object, example = json!({"display_name": "pl2.3f2a9c0d4b1e8f7a6c5d2e1f0a9b8c7d.qK3v…"}))
    )]
    pub fields: Map<String, Value>,
    /// Hybrid logical clock stamp: 15-digit Unix milliseconds, a dash, a 5-digit counter.
    #[cfg_attr(feature = "openapi", schema(example = "001795432100123-00000", pattern = "^[0-9]{15}-[0-9]{5}$"))]
    pub hlc: String,
    /// The staff account (a UUIDv7) that made the change; absent when nobody signed in did,
    /// such as the desk itself or its command line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(example = "01934f2a-7b3c-7d10-9a4e-5f6a7b8c9d0f"))]
    pub by: Option<String>,
    /// Fields whose earlier values are erased (a person forgotten at their request): in the
    /// hub's earlier changes to this record, and in any that arrive later from a desk not yet
    /// told, each of these fields gets the value this change sets. Each must be in `fields`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub erase: Vec<String>,
    /// Proof that a holder of the center's key made this change, as it is: `pa2.<key id>.<tag>`,
    /// HMAC-SHA-256 over its id, entity, record id, op, stamp, the pushing desk, `by` and its
    /// field names ([`sealed`]). Required once the center has a key; desks apply no change
    /// without one that verifies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = "^pa2\\.[0-9a-f]{32}\\.[A-Za-z0-9_-]{43}$"))]
    pub auth: Option<String>,
}

impl Change {
    /// What this change erases: each field it names in `erase`, with the value it sets. Every
    /// change to the record that the hub holds, and every one that arrives later, is to say
    /// this instead of what it said ([`overwrite_erased`]).
    pub fn erased_values(&self) -> Map<String, Value> {
        self.fields
            .iter()
            .filter(|(field, _)| self.erase.contains(field))
            .map(|(field, value)| (field.clone(), value.clone()))
            .collect()
    }

    /// Checks what the hub can check without reading a record: ids, entity name, op, stamp.
    pub fn check(&self) -> Result<(), String> {
        if !is_uuid_v7(&self.change_id) {
            return Err(format!("change_id {:?} is not a lowercase hyphenated UUIDv7", self.change_id));
        }
        if !is_uuid_v7(&self.id) {
            return Err(format!("id {:?} is not a lowercase hyphenated UUIDv7", self.id));
        }
        if !RECORD_TYPES.contains(&self.entity.as_str()) {
            return Err(format!(
                "entity {:?} is not a record type desks sync (if a newer desk sent it, update porchlight-hub)",
                self.entity
            ));
        }
        self.hlc.parse::<Hlc>().map_err(|err| format!("hlc {:?}: {err}", self.hlc))?;
        if self.op == Op::Delete && !self.fields.is_empty() {
            return Err("a delete carries no fields".to_owned());
        }
        if self.op == Op::Upsert && self.fields.is_empty() {
            return Err("an upsert sets at least one field".to_owned());
        }
        if let Some(field) = self.erase.iter().find(|field| !self.fields.contains_key(*field)) {
            return Err(format!("erase names {field:?}, which this change does not set"));
        }
        if let Some(by) = &self.by {
            if !is_uuid_v7(by) {
                return Err(format!("by {by:?} is not a lowercase hyphenated UUIDv7"));
            }
        }
        if let Some(auth) = &self.auth {
            if sealed::auth_key_id(auth).is_none() {
                return Err("auth is not of the form pa2.<key id>.<tag>".to_owned());
            }
        }
        Ok(())
    }
}

/// Gives each field `fields` holds the value `erased` has for it (fields it does not hold stay
/// absent); true if any changed.
pub fn overwrite_erased(fields: &mut Map<String, Value>, erased: &Map<String, Value>) -> bool {
    let mut overwritten = false;
    for (field, value) in erased {
        if let Some(held) = fields.get_mut(field) {
            *held = value.clone();
            overwritten = true;
        }
    }
    overwritten
}

/// One id spelling per record: a UUIDv7, lowercase and hyphenated.
pub fn is_uuid_v7(text: &str) -> bool {
    uuid::Uuid::try_parse(text).is_ok_and(|id| id.get_version_num() == 7 && id.hyphenated().to_string() == text)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    /// At most 1000 changes, stored all together or not at all.
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PushResponse {
    /// Changes stored now.
    pub accepted: u64,
    /// Changes the hub already had (a retried push).
    pub duplicates: u64,
    /// The number the center's newest change took.
    pub last_seq: u64,
    /// The center's history: names the numbering its changes take at this hub, made with the
    /// center and kept for good. A desk whose cursor counts in another history (a hub replaced,
    /// or numbered again) pulls again from the start.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "01934f2a-7b3c-7d10-9a4e-5f6a7b8c9d11"))]
    pub history: String,
}

/// A change as the hub hands it on: numbered, and with the id of the desk that pushed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PulledChange {
    pub seq: u64,
    pub device_id: String,
    pub change_id: String,
    pub entity: String,
    pub id: String,
    pub op: Op,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub fields: Map<String, Value>,
    pub hlc: String,
    /// The staff account that made the change, when one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// The pushing desk's proof, as it sent it ([`Change::auth`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PullResponse {
    pub changes: Vec<PulledChange>,
    /// Pass as `since` to continue.
    pub next: u64,
    pub has_more: bool,
    /// The center's history ([`PushResponse::history`]).
    #[serde(default)]
    pub history: String,
    /// The id of the change numbered `since`, absent for 0 or a number the center has not
    /// reached: a desk that pulled that number as another change knows the hub went back (put
    /// back from a backup) and numbered other changes in its place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since_change_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EnrollRequest {
    /// What staff call this desk: "Front desk", "Warmline room".
    pub name: String,
    /// A one-time code from `porchlight-hub enrollment-code`.
    pub enrollment_code: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EnrollResponse {
    pub device_id: String,
    /// Send as `Authorization: Bearer <token>`. Shown once; the hub keeps only its hash.
    pub token: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Health {
    pub status: String,
    pub version: String,
}

/// The desk's center as the hub knows it: its name, and the id of the key its desks seal
/// with (never the key: the hub does not hold it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CenterInfo {
    pub center: String,
    /// `None` until the center's first desk makes its key ([`ClaimKey`]).
    #[cfg_attr(feature = "openapi", schema(example = "3f2a9c0d4b1e8f7a6c5d2e1f0a9b8c7d", pattern = "^[0-9a-f]{32}$"))]
    pub key_id: Option<String>,
    /// Changes the hub holds readable: those stored before the center had a key. A desk holding
    /// the key replaces them with a sealed copy ([`SealedHistory`]), after which this is 0.
    #[serde(default)]
    pub readable_changes: u64,
    /// The verifying half of the center's signing key, which the hub checks the center's acts
    /// against ([`acts`]); `None` for a center whose desks have not registered it yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_verifier: Option<String>,
    /// Where the center's log stands, so that a desk with nothing to send can tell from this
    /// answer alone whether there is anything to pull; `None` from a hub older than it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log: Option<LogPosition>,
    /// How many desks of the center wait to be let in ([`JoinRequest`]); `None` from a hub older
    /// than it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting_to_join: Option<u64>,
}

/// The newest change of a center's log: its number, the history it counts in and its id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LogPosition {
    /// The number the center's newest change took ([`PushResponse::last_seq`]).
    pub last_seq: u64,
    /// [`PushResponse::history`].
    #[cfg_attr(feature = "openapi", schema(example = "01934f2a-7b3c-7d10-9a4e-5f6a7b8c9d11"))]
    pub history: String,
    /// The id of the change numbered `last_seq`; absent while the log is empty. A desk that
    /// pulled that number as another change knows the hub went back ([`PullResponse::since_change_id`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_change_id: Option<String>,
}

/// Part of a sealed copy of the center's readable history: each change by its seq, with the
/// same fields, every value sealed with the center's key. Staged until committed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SealedHistory {
    /// At most 1000.
    pub changes: Vec<SealedChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SealedChange {
    pub seq: u64,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub fields: Map<String, Value>,
    /// The copy's proof, made with the center's current key ([`Change::auth`]). Absent for a
    /// change the copying desk cannot vouch for (nothing it holds opens it, or it does not
    /// verify): the hub keeps it as it is, counted as copied, and no desk will apply it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<String>,
}

/// How far a sealed copy of the history has got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct HistoryStaged {
    /// Changes of the sealed copy staged so far.
    pub staged: u64,
    /// Readable changes the copy must cover before it can be committed.
    pub readable: u64,
}

/// The center's first desk names the key it made; from then on the hub takes only values
/// sealed with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClaimKey {
    #[cfg_attr(feature = "openapi", schema(example = "3f2a9c0d4b1e8f7a6c5d2e1f0a9b8c7d", pattern = "^[0-9a-f]{32}$"))]
    pub key_id: String,
    /// To change the center's key (a desk lost): the key it replaces, which must be the current
    /// one. The hub then counts every change as not yet sealed with the new key, until a desk
    /// seals the history again ([`SealedHistory`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
    /// The verifying half of the key's signing key ([`acts`]): the hub checks the center's acts
    /// against it from now on. Required of a desk of this version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Za-z0-9_-]{43}$"))]
    pub verifying_key: Option<String>,
}

/// The verifying half of the center's signing key, for a center whose key the hub holds
/// without one (named by an older desk): the request is signed with the key it names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct KeyVerifier {
    #[cfg_attr(feature = "openapi", schema(example = "3f2a9c0d4b1e8f7a6c5d2e1f0a9b8c7d", pattern = "^[0-9a-f]{32}$"))]
    pub key_id: String,
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Za-z0-9_-]{43}$"))]
    pub verifying_key: String,
}

/// A desk of the center, as other desks of it see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CenterDevice {
    pub device_id: String,
    pub name: String,
    pub enrolled_at: String,
    pub last_seen_at: Option<String>,
    pub revoked_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CenterDevices {
    pub devices: Vec<CenterDevice>,
}

/// The center's keys after a change of key, sealed to each desk still enrolled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct KeyGrants {
    /// The center key these grants carry.
    pub key_id: String,
    pub grants: Vec<KeyGrant>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct KeyGrant {
    pub device_id: String,
    /// The keys sealed to that desk's public key (a sealed box); at most 64 KiB.
    pub sealed_keys: String,
}

/// The grants waiting for the asking desk, newest key first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MyKeyGrants {
    pub grants: Vec<MyKeyGrant>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MyKeyGrant {
    pub key_id: String,
    pub sealed_keys: String,
}

/// A desk without the center's key asks the center's other desks for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AskToJoin {
    /// The asking desk's X25519 public key, 32 bytes in base64url without padding. The desk and
    /// the approving admin each show a short code worked out from it, and compare them.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Za-z0-9_-]{43}$"))]
    pub public_key: String,
}

/// A desk asking to join, and, once a desk of the center let it in, the center's keys sealed
/// to its public key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct JoinRequest {
    pub request_id: String,
    pub device_id: String,
    pub desk_name: String,
    pub public_key: String,
    pub requested_at: String,
    /// Present once approved: only the asking desk's private key opens it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed_keys: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct JoinRequests {
    /// Desks of this center waiting to be let in, oldest first.
    pub requests: Vec<JoinRequest>,
}

/// A desk holding the center's keys lets a waiting desk in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Approval {
    /// The center's keys sealed to the asking desk's public key (a sealed box); at most 64 KiB.
    pub sealed_keys: String,
}

/// The longest [`Approval::sealed_keys`] the hub keeps.
pub const MAX_SEALED_KEYS_BYTES: usize = 64 * 1024;

/// Whether `text` is an X25519 public key as [`AskToJoin`] carries it.
pub fn is_public_key(text: &str) -> bool {
    text.len() == 43 && text.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}

/// Every error the hub returns: `{"error": {"code": "...", "message": "..."}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ErrorDetail {
    /// Stable machine name: `malformed_json`, `invalid_change`, `unauthorized`, ...
    pub code: String,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change() -> Change {
        Change {
            change_id: "01934f2a-7b3c-7d10-9a4e-5f6a7b8c9d0e".into(),
            entity: "person".into(),
            id: "01934f2a-7b3c-7d10-9a4e-5f6a7b8c9d0f".into(),
            op: Op::Upsert,
            fields: serde_json::from_str(r#"{"display_name":"Dan R."}"#).unwrap(),
            hlc: "001795432100123-00000".into(),
            by: Some("01934f2a-7b3c-7d10-9a4e-5f6a7b8c9d10".into()),
            erase: Vec::new(),
            auth: None,
        }
    }

    #[test]
    fn a_well_formed_change_passes() {
        assert_eq!(change().check(), Ok(()));
    }

    #[test]
    fn bad_ids_entities_stamps_and_ops_are_refused() {
        let cases: Vec<(&str, Change)> = vec![
            ("change_id", Change { change_id: "not-a-uuid".into(), ..change() }),
            ("id", Change { id: "01934F2A-7B3C-7D10-9A4E-5F6A7B8C9D0F".into(), ..change() }),
            ("id", Change { id: "6ba7b810-9dad-41d1-80b4-00c04fd430c8".into(), ..change() }),
            ("entity", Change { entity: "Person; DROP".into(), ..change() }),
            ("entity", Change { entity: "zzz".into(), ..change() }),
            ("hlc", Change { hlc: "yesterday".into(), ..change() }),
            ("delete", Change { op: Op::Delete, ..change() }),
            ("upsert", Change { fields: Map::new(), ..change() }),
            ("by", Change { by: Some("Rosa M.".into()), ..change() }),
            ("erase", Change { erase: vec!["phone".into()], ..change() }),
            ("auth", Change { auth: Some("pa2.short.tag".into()), ..change() }),
        ];
        for (what, bad) in cases {
            let err = bad.check().unwrap_err();
            assert!(err.contains(what), "{what}: {err}");
        }
    }

    #[test]
    fn unknown_fields_in_a_change_are_refused() {
        let text =
            r#"{"changes":[{"change_id":"a","entity":"b","id":"c","op":"upsert","fields":{},"hlc":"d","extra":1}]}"#;
        assert!(serde_json::from_str::<PushRequest>(text).is_err());
        let unknown_op = r#"{"change_id":"a","entity":"b","id":"c","op":"merge","fields":{},"hlc":"d"}"#;
        assert!(serde_json::from_str::<Change>(unknown_op).is_err());
    }
}
