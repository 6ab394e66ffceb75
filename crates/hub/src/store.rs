//! The hub's SQLite database: enrolled devices, one-time enrollment codes, and the numbered
//! log of changes. Tokens and codes are kept only as SHA-256 hashes.

use std::path::Path;
use std::sync::mpsc::SyncSender;
use std::sync::Mutex;

use chrono::{Duration, SecondsFormat, Utc};
use porchlight_protocol::{overwrite_erased, Change, PushResponse};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS devices (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    enrolled_at  TEXT NOT NULL,
    last_seen_at TEXT,
    revoked_at   TEXT
) STRICT;
CREATE TABLE IF NOT EXISTS enrollment_codes (
    code_hash  TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_by    TEXT REFERENCES devices (id)
) STRICT;
-- seq only ever grows (AUTOINCREMENT never reuses a number), so a desk's cursor is exact.
CREATE TABLE IF NOT EXISTS changes (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    change_id   TEXT NOT NULL UNIQUE,
    device_id   TEXT NOT NULL REFERENCES devices (id),
    entity      TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    op          TEXT NOT NULL,
    fields      TEXT NOT NULL,
    hlc         TEXT NOT NULL,
    received_at TEXT NOT NULL,
    -- The staff account that made the change, handed on as it came.
    changed_by  TEXT
) STRICT;
-- Records a desk erased (a person forgotten), with the values that replace what they said:
-- a change to one of them that arrives later, from a desk not yet told, is erased as it arrives.
CREATE TABLE IF NOT EXISTS erasures (
    entity    TEXT NOT NULL,
    record_id TEXT NOT NULL,
    fields    TEXT NOT NULL,
    PRIMARY KEY (entity, record_id)
) STRICT;
";

/// A change to a record already erased, with the erased fields' values replaced.
fn erased_as_it_arrives(
    tx: &rusqlite::Transaction,
    change: &Change,
) -> rusqlite::Result<serde_json::Map<String, serde_json::Value>> {
    let mut fields = change.fields.clone();
    let erasure: Option<String> = tx
        .prepare_cached("SELECT fields FROM erasures WHERE entity = ?1 AND record_id = ?2")?
        .query_row([&change.entity, &change.id], |row| row.get(0))
        .optional()?;
    let erased: serde_json::Map<String, serde_json::Value> =
        erasure.and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_default();
    overwrite_erased(&mut fields, &erased);
    Ok(fields)
}

/// A desk erased what earlier changes to this record said (a person forgotten): each erased
/// field those changes set now holds the value the erasing change sets, and so will each such
/// field of changes to the record that arrive later. The one place the hub reads a record's
/// fields, and only to overwrite them.
fn erase_earlier(tx: &rusqlite::Transaction, erasing: &Change) -> rusqlite::Result<()> {
    let earlier: Vec<(i64, String)> = {
        let mut statement = tx.prepare_cached(
            "SELECT seq, fields FROM changes WHERE entity = ?1 AND record_id = ?2 AND change_id != ?3",
        )?;
        let rows = statement
            .query_map(params![erasing.entity, erasing.id, erasing.change_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let erased = erasing.erased_values();
    for (seq, fields) in earlier {
        let Ok(mut fields) = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&fields) else {
            continue;
        };
        if overwrite_erased(&mut fields, &erased) {
            tx.prepare_cached("UPDATE changes SET fields = ?2 WHERE seq = ?1")?
                .execute(params![seq, serde_json::Value::Object(fields).to_string()])?;
        }
    }
    tx.prepare_cached(
        "INSERT INTO erasures (entity, record_id, fields) VALUES (?1, ?2, ?3)
         ON CONFLICT (entity, record_id) DO UPDATE SET fields = excluded.fields",
    )?
    .execute(params![erasing.entity, erasing.id, serde_json::Value::Object(erased).to_string()])?;
    Ok(())
}

/// Hubs made before changes said who made them get the column; new hubs have it from SCHEMA.
fn add_changed_by_to_older_hubs(conn: &Connection) -> rusqlite::Result<()> {
    let has_it: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM pragma_table_info('changes') WHERE name = 'changed_by')",
        [],
        |row| row.get(0),
    )?;
    if !has_it {
        conn.execute_batch("ALTER TABLE changes ADD COLUMN changed_by TEXT")?;
    }
    Ok(())
}

/// A one-time enrollment code is good for a day.
const ENROLLMENT_CODE_LIFETIME_HOURS: i64 = 24;
/// Unambiguous when read aloud or copied from paper: no 0/O, 1/I/L.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the hub database is busy; try again")]
    Busy,
    #[error("hub database error: {0}")]
    Sqlite(rusqlite::Error),
    #[error("no device with id {0}")]
    NoSuchDevice(String),
    #[error("could not start the hub's checkpoint thread: {0}")]
    CheckpointThread(std::io::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        match err.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => StoreError::Busy,
            _ => StoreError::Sqlite(err),
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

pub struct Store {
    conn: Mutex<Connection>,
    /// Wakes the thread that folds the write-ahead log into the database file.
    wal_written: SyncSender<()>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Device {
    pub id: String,
    pub name: String,
    pub enrolled_at: String,
    pub last_seen_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// A change as stored, handed on without parsing its fields again.
#[derive(Debug, Serialize)]
pub struct StoredChange {
    pub seq: u64,
    pub device_id: String,
    pub change_id: String,
    pub entity: String,
    pub id: String,
    pub op: String,
    pub fields: Box<RawValue>,
    pub hlc: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

pub enum Enrollment {
    Enrolled { device_id: String, token: String },
    CodeRefused,
}

impl Store {
    pub fn open(path: &Path) -> StoreResult<Store> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // Folding the log into the file happens on its own thread (below): done by the writer,
        // every few pushes made a desk wait several times longer for its answer.
        conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // What a desk asks to erase is zeroed in the file, not left in free pages.
        conn.pragma_update(None, "secure_delete", "ON")?;
        conn.execute_batch(SCHEMA)?;
        add_changed_by_to_older_hubs(&conn)?;
        let wal_written = fold_wal_in_background(Connection::open(path)?)?;
        Ok(Store { conn: Mutex::new(conn), wal_written })
    }

    /// Asks for the log to be folded in; many asks while one fold runs make one more fold.
    fn wal_grew(&self) {
        let _ = self.wal_written.try_send(());
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written (transactions roll back).
        self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A new one-time code for enrolling a desk; only its hash is kept.
    pub fn new_enrollment_code(&self) -> StoreResult<String> {
        let code: String = random_bytes::<8>()
            .iter()
            .map(|byte| CODE_ALPHABET[*byte as usize % CODE_ALPHABET.len()] as char)
            .collect();
        let now = Utc::now();
        self.conn().execute(
            "INSERT INTO enrollment_codes (code_hash, created_at, expires_at) VALUES (?1, ?2, ?3)",
            params![
                hash(&normalize_code(&code)),
                stamp(now),
                stamp(now + Duration::hours(ENROLLMENT_CODE_LIFETIME_HOURS))
            ],
        )?;
        Ok(format!("{}-{}", &code[..4], &code[4..]))
    }

    pub fn enroll(&self, name: &str, code: &str) -> StoreResult<Enrollment> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let now = stamp(Utc::now());
        let code_hash = hash(&normalize_code(code));
        let usable = tx
            .query_row(
                "SELECT 1 FROM enrollment_codes WHERE code_hash = ?1 AND used_by IS NULL AND expires_at > ?2",
                params![code_hash, now],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        if !usable {
            return Ok(Enrollment::CodeRefused);
        }
        let device_id = uuid::Uuid::now_v7().to_string();
        let token = to_hex(&random_bytes::<32>());
        tx.execute(
            "INSERT INTO devices (id, name, token_hash, enrolled_at) VALUES (?1, ?2, ?3, ?4)",
            params![device_id, name, hash(&token), now],
        )?;
        tx.execute("UPDATE enrollment_codes SET used_by = ?2 WHERE code_hash = ?1", params![code_hash, device_id])?;
        tx.commit()?;
        Ok(Enrollment::Enrolled { device_id, token })
    }

    /// The device a bearer token belongs to, if it is enrolled and not revoked.
    pub fn authenticate(&self, token: &str) -> StoreResult<Option<String>> {
        let conn = self.conn();
        let device: Option<String> = conn
            .prepare_cached("SELECT id FROM devices WHERE token_hash = ?1 AND revoked_at IS NULL")?
            .query_row([hash(token)], |row| row.get(0))
            .optional()?;
        if let Some(id) = &device {
            // To the minute is enough for `devices list`, and most calls then write nothing.
            let now = Utc::now();
            conn.prepare_cached(
                "UPDATE devices SET last_seen_at = ?2 WHERE id = ?1 AND (last_seen_at IS NULL OR last_seen_at < ?3)",
            )?
            .execute(params![id, stamp(now), stamp(now - Duration::minutes(1))])?;
        }
        Ok(device)
    }

    /// Stores a batch all together or not at all; a change_id already held is a duplicate.
    pub fn push(&self, device_id: &str, changes: &[Change]) -> StoreResult<PushResponse> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let received_at = stamp(Utc::now());
        let (mut accepted, mut duplicates) = (0, 0);
        {
            // Checked first rather than ON CONFLICT DO NOTHING, which would use up a seq.
            let mut held = tx.prepare_cached("SELECT 1 FROM changes WHERE change_id = ?1")?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO changes (change_id, device_id, entity, record_id, op, fields, hlc, received_at, changed_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            for change in changes {
                if held.exists([&change.change_id])? {
                    duplicates += 1;
                    continue;
                }
                let fields = serde_json::Value::Object(erased_as_it_arrives(&tx, change)?).to_string();
                insert.execute(params![
                    change.change_id,
                    device_id,
                    change.entity,
                    change.id,
                    change.op.as_str(),
                    fields,
                    change.hlc,
                    received_at,
                    change.by
                ])?;
                if !change.erase.is_empty() {
                    erase_earlier(&tx, change)?;
                }
                accepted += 1;
            }
        }
        let last_seq = last_seq(&tx)?;
        tx.commit()?;
        self.wal_grew();
        Ok(PushResponse { accepted, duplicates, last_seq })
    }

    /// Changes after `since`, oldest first, at most `limit`; and whether more follow.
    pub fn pull(&self, since: u64, limit: u32) -> StoreResult<(Vec<StoredChange>, bool)> {
        let conn = self.conn();
        let mut statement = conn.prepare_cached(
            "SELECT seq, device_id, change_id, entity, record_id, op, fields, hlc, changed_by FROM changes
             WHERE seq > ?1 ORDER BY seq LIMIT ?2",
        )?;
        let rows = statement.query_map(params![since.min(i64::MAX as u64) as i64, limit as i64 + 1], |row| {
            let fields: String = row.get(6)?;
            Ok(StoredChange {
                seq: row.get::<_, i64>(0)? as u64,
                device_id: row.get(1)?,
                change_id: row.get(2)?,
                entity: row.get(3)?,
                id: row.get(4)?,
                op: row.get(5)?,
                fields: RawValue::from_string(fields).unwrap_or_else(|_| empty_object()),
                hlc: row.get(7)?,
                by: row.get(8)?,
            })
        })?;
        let mut changes = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        let has_more = changes.len() > limit as usize;
        changes.truncate(limit as usize);
        Ok((changes, has_more))
    }

    pub fn devices(&self) -> StoreResult<Vec<Device>> {
        let conn = self.conn();
        let mut statement =
            conn.prepare("SELECT id, name, enrolled_at, last_seen_at, revoked_at FROM devices ORDER BY enrolled_at")?;
        let rows = statement.query_map([], |row| {
            Ok(Device {
                id: row.get(0)?,
                name: row.get(1)?,
                enrolled_at: row.get(2)?,
                last_seen_at: row.get(3)?,
                revoked_at: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// From now on the device's token is refused. Its changes stay in the log.
    pub fn revoke(&self, device_id: &str) -> StoreResult<()> {
        let revoked = self.conn().execute(
            "UPDATE devices SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1",
            params![device_id, stamp(Utc::now())],
        )?;
        if revoked == 0 {
            return Err(StoreError::NoSuchDevice(device_id.to_owned()));
        }
        Ok(())
    }
}

/// Runs passive checkpoints on `conn` whenever the store says the log grew, until the store is
/// dropped. Passive: it never holds up a push or a pull.
fn fold_wal_in_background(conn: Connection) -> StoreResult<SyncSender<()>> {
    let (wal_written, wake) = std::sync::mpsc::sync_channel::<()>(1);
    std::thread::Builder::new()
        .name("hub-checkpoint".to_owned())
        .spawn(move || {
            while wake.recv().is_ok() {
                if let Err(err) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                    tracing::warn!(%err, "checkpoint failed; the next push tries again");
                }
            }
        })
        .map_err(StoreError::CheckpointThread)?;
    Ok(wal_written)
}

fn last_seq(conn: &Connection) -> rusqlite::Result<u64> {
    conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM changes", [], |row| row.get::<_, i64>(0)).map(|seq| seq as u64)
}

fn empty_object() -> Box<RawValue> {
    RawValue::from_string("{}".to_owned()).expect("valid JSON")
}

fn stamp(time: chrono::DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Codes are typed by people: ignore case, spaces and dashes.
fn normalize_code(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

fn hash(secret: &str) -> String {
    to_hex(&Sha256::digest(secret.as_bytes()))
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    bytes
}
