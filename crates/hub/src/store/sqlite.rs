//! The hub's store in one SQLite file: the default, for a center or a few. SQLite has one
//! writer at a time, so a center's changes are numbered and committed in order.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{RecvTimeoutError, SyncSender};
use std::sync::{Arc, Mutex};

use chrono::{Duration, Utc};
use porchlight_protocol::{
    overwrite_erased, CenterDevice, CenterInfo, Change, ClaimKey, HistoryStaged, JoinRequest, KeyGrants, KeyVerifier,
    LogPosition, MonthFigures, MyKeyGrant, PushResponse, SealedChange,
};
use rusqlite::functions::FunctionFlags;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::value::RawValue;

use super::{
    center_name, code_id, empty_object, figures_from, figures_text, hash, new_code, normalize_code, random_token,
    stamp, Approved, Caller, Center, CenterFigures, Device, Enrollment, KeyClaim, Pulled, Staging, Store, StoreError,
    StoreResult, StoredChange, UnusedCode, CODE_ID_LENGTH, ENROLLMENT_CODE_LIFETIME_HOURS, FIRST_CENTER,
};

/// The hub's migrations on SQLite, in order, each applied once; `PRAGMA user_version` records
/// how many a hub has had (hubs of schema 2 to 7 recorded the same numbers before the files).
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/sqlite/001_first_hub.sql"),
    include_str!("../../migrations/sqlite/002_centers.sql"),
    include_str!("../../migrations/sqlite/003_published_figures.sql"),
    include_str!("../../migrations/sqlite/004_proven_changes.sql"),
    include_str!("../../migrations/sqlite/005_center_verifier.sql"),
    include_str!("../../migrations/sqlite/006_change_ids_within_centers.sql"),
    include_str!("../../migrations/sqlite/007_numbered_by_center.sql"),
    include_str!("../../migrations/sqlite/008_hub_health.sql"),
];

/// The hub's schema version: how many of [`MIGRATIONS`] a hub of this version has had.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// A change to a record already erased, with the erased fields' values replaced.
fn erased_as_it_arrives(
    tx: &rusqlite::Transaction,
    center_id: &str,
    change: &Change,
) -> rusqlite::Result<serde_json::Map<String, serde_json::Value>> {
    let mut fields = change.fields.clone();
    let erasure: Option<String> = tx
        .prepare_cached("SELECT fields FROM erasures WHERE center_id = ?1 AND entity = ?2 AND record_id = ?3")?
        .query_row([center_id, &change.entity, &change.id], |row| row.get(0))
        .optional()?;
    let erased: serde_json::Map<String, serde_json::Value> =
        erasure.and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_default();
    overwrite_erased(&mut fields, &erased);
    Ok(fields)
}

/// A desk erased what earlier changes to this record said (a person forgotten): each erased
/// field those changes set now holds the value the erasing change sets, and so will each such
/// field of changes to the record that arrive later. The one place the hub reads a record's
/// fields, and only to overwrite them: sealed, each value is replaced whole, unread.
fn erase_earlier(tx: &rusqlite::Transaction, center_id: &str, erasing: &Change) -> rusqlite::Result<()> {
    let earlier: Vec<(i64, String)> = {
        let mut statement = tx.prepare_cached(
            "SELECT seq, fields FROM changes
             WHERE center_id = ?1 AND entity = ?2 AND record_id = ?3 AND change_id != ?4",
        )?;
        let rows = statement.query_map(params![center_id, erasing.entity, erasing.id, erasing.change_id], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let erased = erasing.erased_values();
    for (seq, fields) in earlier {
        let Ok(mut fields) = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&fields) else {
            continue;
        };
        if overwrite_erased(&mut fields, &erased) {
            tx.prepare_cached("UPDATE changes SET fields = ?3 WHERE center_id = ?1 AND seq = ?2")?.execute(params![
                center_id,
                seq,
                serde_json::Value::Object(fields).to_string()
            ])?;
        }
    }
    tx.prepare_cached(
        "INSERT INTO erasures (center_id, entity, record_id, fields) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (center_id, entity, record_id) DO UPDATE SET fields = excluded.fields",
    )?
    .execute(params![center_id, erasing.entity, erasing.id, serde_json::Value::Object(erased).to_string()])?;
    Ok(())
}

/// Applies the migrations this hub has not had, each in its own transaction, in order.
fn migrate(conn: &mut Connection) -> StoreResult<()> {
    // What the migrations call: a new id, and the time as the hub stamps it.
    conn.create_scalar_function("new_id", 0, FunctionFlags::SQLITE_UTF8, |_| Ok(uuid::Uuid::now_v7().to_string()))?;
    conn.create_scalar_function("hub_now", 0, FunctionFlags::SQLITE_UTF8, |_| Ok(stamp(Utc::now())))?;
    let mut applied: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if applied > SCHEMA_VERSION {
        return Err(StoreError::TooNew { found: applied, known: SCHEMA_VERSION });
    }
    if applied == 0 && has_table(conn, "devices")? {
        number_a_hub_from_before_numbers(conn)?;
        applied = 1;
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(applied as usize) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// A hub from before centers kept no version (0): it had the first migration's tables, without
/// the author of each change or the erasures in its earliest versions. What it lacks of them is
/// added, and it counts as having had the first migration.
fn number_a_hub_from_before_numbers(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let has_author: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM pragma_table_info('changes') WHERE name = 'changed_by')",
        [],
        |row| row.get(0),
    )?;
    if !has_author {
        tx.execute_batch("ALTER TABLE changes ADD COLUMN changed_by TEXT")?;
    }
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS erasures (
             entity TEXT NOT NULL, record_id TEXT NOT NULL, fields TEXT NOT NULL, PRIMARY KEY (entity, record_id)
         ) STRICT",
    )?;
    tx.pragma_update(None, "user_version", 1)?;
    tx.commit()
}

fn has_table(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.query_row("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)", [name], |row| {
        row.get(0)
    })
}

fn insert_center(tx: &rusqlite::Transaction, name: &str) -> rusqlite::Result<String> {
    let id = uuid::Uuid::now_v7().to_string();
    tx.execute(
        "INSERT INTO centers (id, name, created_at, history) VALUES (?1, ?2, ?3, ?4)",
        params![id, name, stamp(Utc::now()), uuid::Uuid::now_v7().to_string()],
    )?;
    Ok(id)
}

pub struct SqliteStore {
    conn: Mutex<Connection>,
    path: std::path::PathBuf,
    /// When the whole file was last checked, and what the check found.
    integrity: Mutex<Option<(std::time::Instant, Result<(), String>)>>,
    /// Wakes the thread that folds the write-ahead log into the database file.
    wal_written: SyncSender<()>,
    /// Set while the log may hold what the hub was asked to erase or replace, until that thread
    /// has emptied it.
    empty_wanted: Arc<AtomicBool>,
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        match err.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => StoreError::Busy,
            Some(rusqlite::ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
                StoreError::Damaged(err.to_string())
            }
            _ => StoreError::Sqlite(err),
        }
    }
}

/// How often the hub runs SQLite's own check of the whole file, which reads every page: a
/// monitor asking every minute gets the last result until it is this old.
const INTEGRITY_CHECKED_EVERY: std::time::Duration = std::time::Duration::from_secs(600);

/// Beside the database, the hub notes that it keeps its records there: a database missing or
/// empty where this note stands was lost (a disk replaced, a file truncated, a wrong path), and
/// starting on it as a new, empty hub would turn every desk away as if revoked.
fn keeping_note(path: &Path) -> std::path::PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".kept");
    path.with_file_name(name)
}

/// A database file missing or empty: nothing SQLite would open as a hub's records.
fn holds_nothing(path: &Path) -> bool {
    std::fs::metadata(path).map_or(true, |file| file.len() == 0)
}

/// The first line of a keeping note: when the hub first kept its records in the database.
fn kept_since(note: &Path) -> Option<String> {
    let text = std::fs::read_to_string(note).ok()?;
    text.lines().next().map(|line| line.trim().to_owned())
}

impl SqliteStore {
    /// Opens the hub's database, made if this hub never kept one at `path`; refused if it kept
    /// one there that is now missing or empty ([`StoreError::DatabaseGone`]).
    pub fn open(path: &Path) -> StoreResult<SqliteStore> {
        let note = keeping_note(path);
        if holds_nothing(path) && note.exists() {
            let since = kept_since(&note).unwrap_or_default();
            return Err(StoreError::DatabaseGone { path: path.to_owned(), since });
        }
        SqliteStore::open_afresh(path)
    }

    /// Opens the hub's database even where this hub kept one that is now missing or empty: an
    /// empty hub, which every desk must enroll with again (`serve --start-fresh`).
    pub fn open_afresh(path: &Path) -> StoreResult<SqliteStore> {
        let new_database = holds_nothing(path);
        let store = SqliteStore::opened(path)?;
        let note = keeping_note(path);
        if new_database || kept_since(&note).is_none_or(|since| since.is_empty()) {
            let since = stamp(Utc::now());
            std::fs::write(
                &note,
                format!(
                    "{since}\nporchlight-hub keeps its records in {} (since the time above). If that file is ever \
                     missing or empty, the hub refuses to start: put back its last backup, or start an empty hub \
                     with `porchlight-hub serve --start-fresh`.\n",
                    path.file_name().unwrap_or_default().to_string_lossy()
                ),
            )?;
        }
        Ok(store)
    }

    fn opened(path: &Path) -> StoreResult<SqliteStore> {
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // Folding the log into the file happens on its own thread (below): done by the writer,
        // every few pushes made a desk wait several times longer for its answer.
        conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // What a desk asks to erase is zeroed in the file, not left in free pages.
        conn.pragma_update(None, "secure_delete", "ON")?;
        migrate(&mut conn)?;
        let empty_wanted = Arc::new(AtomicBool::new(false));
        let wal_written = fold_wal_in_background(Connection::open(path)?, empty_wanted.clone())?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
            path: path.to_owned(),
            integrity: Mutex::new(None),
            wal_written,
            empty_wanted,
        })
    }

    /// Asks for the log to be folded in; many asks while one fold runs make one more fold.
    fn wal_grew(&self) {
        let _ = self.wal_written.try_send(());
    }

    /// Asks for the log to be emptied, as soon as no reader holds it.
    fn empty_log_soon(&self) {
        self.empty_wanted.store(true, Ordering::Release);
        self.wal_grew();
    }

    pub(super) fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written (transactions roll back).
        self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl SqliteStore {
    /// Whether the disk under the database has room for the largest push (its body, and as much
    /// again for the write-ahead log): a hub that cannot take one is as good as full, even while
    /// a small write still fits.
    fn room_for_a_push(&self) -> StoreResult<()> {
        const ROOM_FOR_A_PUSH: u64 = 2 * porchlight_protocol::MAX_BODY_BYTES as u64;
        let folder = self.path.parent().filter(|folder| !folder.as_os_str().is_empty()).unwrap_or(Path::new("."));
        match fs4::available_space(folder) {
            Ok(free) if free < ROOM_FOR_A_PUSH => Err(StoreError::DiskFull),
            _ => Ok(()),
        }
    }

    /// SQLite's `quick_check` of every page, on a connection of its own so pushes go on; its
    /// result kept for [`INTEGRITY_CHECKED_EVERY`].
    fn file_intact(&self) -> StoreResult<()> {
        let mut checked = self.integrity.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let fresh = checked.as_ref().filter(|(at, _)| at.elapsed() < INTEGRITY_CHECKED_EVERY);
        let found = match fresh {
            Some((_, found)) => found.clone(),
            None => {
                let reader = Connection::open_with_flags(&self.path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
                let problems: Vec<String> = {
                    let mut statement = reader.prepare("PRAGMA quick_check(5)")?;
                    let rows = statement.query_map([], |row| row.get::<_, String>(0))?;
                    rows.collect::<rusqlite::Result<_>>()?
                };
                let found = match problems.as_slice() {
                    [ok] if ok == "ok" => Ok(()),
                    _ => Err(problems.join("; ")),
                };
                *checked = Some((std::time::Instant::now(), found.clone()));
                found
            }
        };
        found.map_err(StoreError::Damaged)
    }
}

impl Store for SqliteStore {
    fn health(&self) -> StoreResult<()> {
        {
            // A write as a push makes, committed: a full disk or a read-only file refuses it.
            let mut conn = self.conn();
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            tx.execute(
                "INSERT INTO hub_health (id, checked_at) VALUES (1, ?1)
                 ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at",
                [stamp(Utc::now())],
            )?;
            tx.query_row("SELECT COUNT(*) FROM centers", [], |row| row.get::<_, i64>(0))?;
            tx.commit()?;
        }
        self.wal_grew();
        self.room_for_a_push()?;
        self.file_intact()
    }

    fn centers(&self) -> StoreResult<Vec<Center>> {
        let conn = self.conn();
        let mut statement = conn.prepare(
            "SELECT c.id, c.name, c.created_at, c.key_id,
                    (SELECT COUNT(*) FROM devices d WHERE d.center_id = c.id AND d.revoked_at IS NULL)
             FROM centers c ORDER BY c.created_at, c.name",
        )?;
        let rows = statement.query_map([], |row| {
            Ok(Center {
                id: row.get(0)?,
                name: row.get(1)?,
                created_at: row.get(2)?,
                key_id: row.get(3)?,
                devices: row.get::<_, i64>(4)? as u64,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn add_center(&self, name: &str) -> StoreResult<Center> {
        let name = center_name(name)?;
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if center_named(&tx, name)?.is_some() {
            return Err(StoreError::CenterExists(name.to_owned()));
        }
        let id = insert_center(&tx, name)?;
        let created_at: String =
            tx.query_row("SELECT created_at FROM centers WHERE id = ?1", [&id], |row| row.get(0))?;
        tx.commit()?;
        Ok(Center { id, name: name.to_owned(), created_at, key_id: None, devices: 0 })
    }

    fn new_enrollment_code(&self, center: Option<&str>) -> StoreResult<String> {
        let code = new_code();
        let now = Utc::now();
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let center_id = match center {
            Some(name) => center_named(&tx, name.trim())?.ok_or_else(|| StoreError::NoSuchCenter(name.to_owned()))?,
            None => {
                let ids: Vec<String> = {
                    let mut statement = tx.prepare("SELECT id FROM centers")?;
                    let rows = statement.query_map([], |row| row.get(0))?;
                    rows.collect::<rusqlite::Result<_>>()?
                };
                match ids.as_slice() {
                    [] => insert_center(&tx, FIRST_CENTER)?,
                    [only] => only.clone(),
                    many => return Err(StoreError::WhichCenter(many.len())),
                }
            }
        };
        tx.execute(
            "INSERT INTO enrollment_codes (code_hash, created_at, expires_at, center_id) VALUES (?1, ?2, ?3, ?4)",
            params![
                hash(&normalize_code(&code)),
                stamp(now),
                stamp(now + Duration::hours(ENROLLMENT_CODE_LIFETIME_HOURS)),
                center_id
            ],
        )?;
        tx.commit()?;
        Ok(format!("{}-{}", &code[..4], &code[4..]))
    }

    fn enroll(&self, name: &str, code: &str) -> StoreResult<Enrollment> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let now = stamp(Utc::now());
        let code_hash = hash(&normalize_code(code));
        let center_id: Option<String> = tx
            .query_row(
                "SELECT center_id FROM enrollment_codes WHERE code_hash = ?1 AND used_by IS NULL AND expires_at > ?2",
                params![code_hash, now],
                |row| row.get(0),
            )
            .optional()?;
        let Some(center_id) = center_id else {
            return Ok(Enrollment::CodeRefused);
        };
        let device_id = uuid::Uuid::now_v7().to_string();
        let token = random_token();
        tx.execute(
            "INSERT INTO devices (id, name, token_hash, enrolled_at, center_id) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![device_id, name, hash(&token), now, center_id],
        )?;
        tx.execute("UPDATE enrollment_codes SET used_by = ?2 WHERE code_hash = ?1", params![code_hash, device_id])?;
        tx.commit()?;
        Ok(Enrollment::Enrolled { device_id, token })
    }

    fn authenticate(&self, token: &str) -> StoreResult<Option<Caller>> {
        let conn = self.conn();
        let caller = conn
            .prepare_cached(
                "SELECT d.id, d.center_id, c.key_id, c.key_verifier FROM devices d JOIN centers c ON c.id = d.center_id
                 WHERE d.token_hash = ?1 AND d.revoked_at IS NULL",
            )?
            .query_row([hash(token)], |row| {
                Ok(Caller {
                    device_id: row.get(0)?,
                    center_id: row.get(1)?,
                    key_id: row.get(2)?,
                    key_verifier: row.get(3)?,
                })
            })
            .optional()?;
        if let Some(caller) = &caller {
            // To the minute is enough for `devices list`, and most calls then write nothing.
            let now = Utc::now();
            conn.prepare_cached(
                "UPDATE devices SET last_seen_at = ?2 WHERE id = ?1 AND (last_seen_at IS NULL OR last_seen_at < ?3)",
            )?
            .execute(params![caller.device_id, stamp(now), stamp(now - Duration::minutes(1))])?;
        }
        Ok(caller)
    }

    fn push(&self, caller: &Caller, changes: &[Change]) -> StoreResult<PushResponse> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let received_at = stamp(Utc::now());
        let (mut accepted, mut duplicates) = (0, 0);
        let (history, mut last_seq) = numbering(&tx, &caller.center_id)?;
        {
            let mut held = tx.prepare_cached("SELECT 1 FROM changes WHERE center_id = ?1 AND change_id = ?2")?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO changes
                     (seq, change_id, device_id, entity, record_id, op, fields, hlc, received_at, changed_by,
                      center_id, sealed, auth)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?;
            for change in changes {
                if held.exists([&caller.center_id, &change.change_id])? {
                    duplicates += 1;
                    continue;
                }
                let fields =
                    serde_json::Value::Object(erased_as_it_arrives(&tx, &caller.center_id, change)?).to_string();
                last_seq += 1;
                insert.execute(params![
                    last_seq as i64,
                    change.change_id,
                    caller.device_id,
                    change.entity,
                    change.id,
                    change.op.as_str(),
                    fields,
                    change.hlc,
                    received_at,
                    change.by,
                    caller.center_id,
                    caller.key_id.is_some(),
                    change.auth
                ])?;
                if !change.erase.is_empty() {
                    erase_earlier(&tx, &caller.center_id, change)?;
                }
                accepted += 1;
            }
        }
        if accepted > 0 {
            let readable = if caller.key_id.is_none() { accepted as i64 } else { 0 };
            tx.prepare_cached(
                "UPDATE centers SET last_seq = ?2, readable_changes = readable_changes + ?3 WHERE id = ?1",
            )?
            .execute(params![caller.center_id, last_seq as i64, readable])?;
        }
        tx.commit()?;
        if changes.iter().any(|change| !change.erase.is_empty()) {
            self.empty_log_soon();
        } else {
            self.wal_grew();
        }
        Ok(PushResponse { accepted, duplicates, last_seq, history })
    }

    fn pull(&self, center_id: &str, since: u64, limit: u32) -> StoreResult<Pulled> {
        let conn = self.conn();
        let since = since.min(i64::MAX as u64) as i64;
        let mut statement = conn.prepare_cached(
            "SELECT seq, device_id, change_id, entity, record_id, op, fields, hlc, changed_by, auth FROM changes
             WHERE center_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
        )?;
        let rows = statement.query_map(params![center_id, since, limit as i64 + 1], |row| {
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
                auth: row.get(9)?,
            })
        })?;
        let mut changes = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        let has_more = changes.len() > limit as usize;
        changes.truncate(limit as usize);
        let (history, _) = numbering(&conn, center_id)?;
        let since_change_id = conn
            .prepare_cached("SELECT change_id FROM changes WHERE center_id = ?1 AND seq = ?2")?
            .query_row(params![center_id, since], |row| row.get(0))
            .optional()?;
        Ok(Pulled { changes, has_more, history, since_change_id })
    }

    fn center_info(&self, caller: &Caller) -> StoreResult<CenterInfo> {
        center_info(&self.conn(), &caller.center_id)
    }

    fn claim_key(&self, caller: &Caller, claim: &ClaimKey) -> StoreResult<KeyClaim> {
        let (key_id, verifier) = (claim.key_id.as_str(), claim.verifying_key.as_deref());
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        match claim.previous.as_deref() {
            None => {
                tx.execute(
                    "UPDATE centers SET key_id = ?2, key_verifier = ?3 WHERE id = ?1 AND key_id IS NULL",
                    params![caller.center_id, key_id, verifier],
                )?;
            }
            Some(previous) if previous != key_id => {
                let changed = tx.execute(
                    "UPDATE centers SET key_id = ?2, key_verifier = ?4 WHERE id = ?1 AND key_id = ?3",
                    params![caller.center_id, key_id, previous, verifier],
                )?;
                if changed == 1 {
                    tx.execute("UPDATE changes SET sealed = 0 WHERE center_id = ?1", [&caller.center_id])?;
                    tx.execute("DELETE FROM sealed_history WHERE center_id = ?1", [&caller.center_id])?;
                    tx.execute(
                        "UPDATE centers SET readable_changes = (SELECT COUNT(*) FROM changes WHERE center_id = ?1)
                         WHERE id = ?1",
                        [&caller.center_id],
                    )?;
                }
            }
            Some(_) => {}
        }
        let info = center_info(&tx, &caller.center_id)?;
        tx.commit()?;
        Ok(if info.key_id.as_deref() == Some(key_id) { KeyClaim::Taken(info) } else { KeyClaim::AlreadyMade(info) })
    }

    fn register_verifier(&self, caller: &Caller, verifier: &KeyVerifier) -> StoreResult<Option<CenterInfo>> {
        let conn = self.conn();
        conn.execute(
            "UPDATE centers SET key_verifier = ?3 WHERE id = ?1 AND key_id = ?2 AND key_verifier IS NULL",
            params![caller.center_id, verifier.key_id, verifier.verifying_key],
        )?;
        let info = center_info(&conn, &caller.center_id)?;
        Ok((info.key_verifier.as_deref() == Some(verifier.verifying_key.as_str())).then_some(info))
    }

    fn center_devices(&self, caller: &Caller) -> StoreResult<Vec<CenterDevice>> {
        let conn = self.conn();
        let mut statement = conn.prepare_cached(
            "SELECT id, name, enrolled_at, last_seen_at, revoked_at FROM devices WHERE center_id = ?1
             ORDER BY enrolled_at, id",
        )?;
        let rows = statement.query_map([&caller.center_id], |row| {
            Ok(CenterDevice {
                device_id: row.get(0)?,
                name: row.get(1)?,
                enrolled_at: row.get(2)?,
                last_seen_at: row.get(3)?,
                revoked_at: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn grant_keys(&self, caller: &Caller, grants: &KeyGrants) -> StoreResult<Result<(), String>> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let now = stamp(Utc::now());
        for grant in &grants.grants {
            let ours: bool = tx
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM devices WHERE id = ?1 AND center_id = ?2)")?
                .query_row([&grant.device_id, &caller.center_id], |row| row.get(0))?;
            if !ours {
                return Ok(Err(grant.device_id.clone()));
            }
            tx.prepare_cached(
                "INSERT OR REPLACE INTO key_grants (center_id, device_id, key_id, sealed_keys, granted_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![caller.center_id, grant.device_id, grants.key_id, grant.sealed_keys, now])?;
        }
        tx.commit()?;
        Ok(Ok(()))
    }

    fn my_key_grants(&self, caller: &Caller) -> StoreResult<Vec<MyKeyGrant>> {
        let conn = self.conn();
        let mut statement = conn.prepare_cached(
            "SELECT key_id, sealed_keys FROM key_grants WHERE device_id = ?1 AND center_id = ?2
             ORDER BY granted_at DESC, key_id",
        )?;
        let rows = statement.query_map([&caller.device_id, &caller.center_id], |row| {
            Ok(MyKeyGrant { key_id: row.get(0)?, sealed_keys: row.get(1)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn ask_to_join(&self, caller: &Caller, public_key: &str) -> StoreResult<JoinRequest> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM join_requests WHERE device_id = ?1", [&caller.device_id])?;
        let id = uuid::Uuid::now_v7().to_string();
        tx.execute(
            "INSERT INTO join_requests (id, center_id, device_id, public_key, requested_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, caller.center_id, caller.device_id, public_key, stamp(Utc::now())],
        )?;
        let request = join_request(&tx, &caller.center_id, &id)?.expect("just inserted");
        tx.commit()?;
        Ok(request)
    }

    fn join_requests(&self, caller: &Caller) -> StoreResult<Vec<JoinRequest>> {
        let conn = self.conn();
        let mut statement = conn.prepare_cached(&format!(
            "{JOIN_REQUEST_SELECT} WHERE r.center_id = ?1 AND r.sealed_keys IS NULL AND d.revoked_at IS NULL
             ORDER BY r.requested_at, r.id"
        ))?;
        let rows = statement.query_map([&caller.center_id], join_request_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn join_request(&self, caller: &Caller, request_id: &str) -> StoreResult<Option<JoinRequest>> {
        Ok(join_request(&self.conn(), &caller.center_id, request_id)?)
    }

    fn withdraw_join_request(&self, caller: &Caller, request_id: &str) -> StoreResult<bool> {
        let withdrawn = self.conn().execute(
            "DELETE FROM join_requests WHERE id = ?1 AND device_id = ?2",
            params![request_id, caller.device_id],
        )?;
        Ok(withdrawn == 1)
    }

    fn approve(&self, caller: &Caller, request_id: &str, sealed_keys: &str) -> StoreResult<Approved> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let Some(request) = join_request(&tx, &caller.center_id, request_id)? else {
            return Ok(Approved::NoSuchRequest);
        };
        if request.sealed_keys.is_some() {
            return Ok(Approved::AlreadyApproved);
        }
        tx.execute(
            "UPDATE join_requests SET sealed_keys = ?2, approved_by = ?3, approved_at = ?4 WHERE id = ?1",
            params![request_id, sealed_keys, caller.device_id, stamp(Utc::now())],
        )?;
        let approved = join_request(&tx, &caller.center_id, request_id)?.expect("still there");
        tx.commit()?;
        Ok(Approved::Done(approved))
    }

    fn stage_sealed_history(&self, caller: &Caller, changes: &[SealedChange]) -> StoreResult<Staging> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for (index, change) in changes.iter().enumerate() {
            let held: Option<String> = tx
                .prepare_cached("SELECT fields FROM changes WHERE center_id = ?1 AND seq = ?2 AND sealed = 0")?
                .query_row(params![caller.center_id, change.seq.min(i64::MAX as u64) as i64], |row| row.get(0))
                .optional()?;
            let Some(held) = held else {
                return Ok(Staging::NotReadable(index, change.seq));
            };
            let held: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&held).unwrap_or_default();
            if !held.keys().eq(change.fields.keys()) {
                return Ok(Staging::OtherFields(index, change.seq));
            }
            tx.prepare_cached(
                "INSERT OR REPLACE INTO sealed_history (center_id, seq, fields, auth) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![
                caller.center_id,
                change.seq as i64,
                serde_json::Value::Object(change.fields.clone()).to_string(),
                change.auth
            ])?;
        }
        let staged = history_staged(&tx, &caller.center_id)?;
        tx.commit()?;
        Ok(Staging::Staged(staged))
    }

    fn commit_sealed_history(&self, caller: &Caller) -> StoreResult<Result<CenterInfo, HistoryStaged>> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let staged = history_staged(&tx, &caller.center_id)?;
        if staged.staged < staged.readable {
            return Ok(Err(staged));
        }
        tx.execute(
            "UPDATE changes SET (fields, auth) = (SELECT h.fields, h.auth FROM sealed_history h
                                                  WHERE h.center_id = changes.center_id AND h.seq = changes.seq)
             WHERE center_id = ?1 AND sealed = 0
               AND seq IN (SELECT seq FROM sealed_history WHERE center_id = ?1 AND auth IS NOT NULL)",
            [&caller.center_id],
        )?;
        tx.execute("UPDATE changes SET sealed = 1 WHERE center_id = ?1 AND sealed = 0", [&caller.center_id])?;
        tx.execute("DELETE FROM sealed_history WHERE center_id = ?1", [&caller.center_id])?;
        tx.execute("UPDATE centers SET readable_changes = 0 WHERE id = ?1", [&caller.center_id])?;
        let info = center_info(&tx, &caller.center_id)?;
        tx.commit()?;
        // The readable values may still lie in the write-ahead log: fold it in and empty it now,
        // or as soon as the checkpoint thread can.
        if !matches!(empty_log(&conn), Ok(true)) {
            self.empty_log_soon();
        }
        Ok(Ok(info))
    }

    fn forget_verifier(&self, name: &str) -> StoreResult<()> {
        let forgotten = self.conn().execute("UPDATE centers SET key_verifier = NULL WHERE name = ?1", [name])?;
        if forgotten == 0 {
            return Err(StoreError::NoSuchCenter(name.to_owned()));
        }
        Ok(())
    }

    fn unused_enrollment_codes(&self) -> StoreResult<Vec<UnusedCode>> {
        let conn = self.conn();
        let mut statement = conn.prepare(
            "SELECT substr(e.code_hash, 1, ?1), c.name, e.created_at, e.expires_at
             FROM enrollment_codes e JOIN centers c ON c.id = e.center_id
             WHERE e.used_by IS NULL AND e.expires_at > ?2 ORDER BY e.created_at, e.code_hash",
        )?;
        let rows = statement.query_map(params![CODE_ID_LENGTH as i64, stamp(Utc::now())], |row| {
            Ok(UnusedCode { id: row.get(0)?, center: row.get(1)?, created_at: row.get(2)?, expires_at: row.get(3)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn revoke_enrollment_code(&self, id_or_code: &str) -> StoreResult<bool> {
        let removed = self.conn().execute(
            "DELETE FROM enrollment_codes WHERE used_by IS NULL AND substr(code_hash, 1, ?1) = ?2",
            params![CODE_ID_LENGTH as i64, code_id(id_or_code)],
        )?;
        Ok(removed > 0)
    }

    fn devices(&self) -> StoreResult<Vec<Device>> {
        let conn = self.conn();
        let mut statement = conn.prepare(
            "SELECT d.id, d.name, d.enrolled_at, d.last_seen_at, d.revoked_at, c.name
             FROM devices d JOIN centers c ON c.id = d.center_id ORDER BY d.enrolled_at",
        )?;
        let rows = statement.query_map([], |row| {
            Ok(Device {
                id: row.get(0)?,
                name: row.get(1)?,
                enrolled_at: row.get(2)?,
                last_seen_at: row.get(3)?,
                revoked_at: row.get(4)?,
                center: row.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn revoke_where(&self, device_id: &str, center_id: Option<&str>) -> StoreResult<bool> {
        let revoked = self.conn().execute(
            "UPDATE devices SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1 AND (?3 IS NULL OR center_id = ?3)",
            params![device_id, stamp(Utc::now()), center_id],
        )?;
        Ok(revoked == 1)
    }

    fn publish_figures(&self, caller: &Caller, figures: &MonthFigures) -> StoreResult<()> {
        self.conn().execute(
            "INSERT INTO published_figures (center_id, month, figures, published_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (center_id, month) DO UPDATE SET figures = excluded.figures, published_at = excluded.published_at",
            params![caller.center_id, figures.month, figures_text(figures), stamp(Utc::now())],
        )?;
        Ok(())
    }

    fn network_figures(&self, month: &str) -> StoreResult<Vec<CenterFigures>> {
        let conn = self.conn();
        let mut statement = conn.prepare(
            "SELECT c.name, f.figures, f.published_at FROM centers c
             LEFT JOIN published_figures f ON f.center_id = c.id AND f.month = ?1
             ORDER BY c.created_at, c.name",
        )?;
        let rows = statement.query_map([month], |row| {
            let figures: Option<String> = row.get(1)?;
            Ok(CenterFigures {
                center: row.get(0)?,
                figures: figures.and_then(|text| figures_from(&text)),
                published_at: row.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// [`CenterInfo`] in one read: the center, where its log stands and how many desks wait to join.
const CENTER_INFO: &str = "SELECT c.name, c.key_id, c.readable_changes, c.key_verifier, c.last_seq, c.history,
            (SELECT change_id FROM changes WHERE center_id = c.id AND seq = c.last_seq),
            (SELECT COUNT(*) FROM join_requests r JOIN devices d ON d.id = r.device_id
             WHERE r.center_id = c.id AND r.sealed_keys IS NULL AND d.revoked_at IS NULL)
     FROM centers c WHERE c.id = ?1";

const JOIN_REQUEST_SELECT: &str = "SELECT r.id, r.device_id, d.name, r.public_key, r.requested_at, r.sealed_keys
     FROM join_requests r JOIN devices d ON d.id = r.device_id";

fn join_request_from_row(row: &rusqlite::Row) -> rusqlite::Result<JoinRequest> {
    Ok(JoinRequest {
        request_id: row.get(0)?,
        device_id: row.get(1)?,
        desk_name: row.get(2)?,
        public_key: row.get(3)?,
        requested_at: row.get(4)?,
        sealed_keys: row.get(5)?,
    })
}

fn join_request(conn: &Connection, center_id: &str, request_id: &str) -> rusqlite::Result<Option<JoinRequest>> {
    conn.prepare_cached(&format!("{JOIN_REQUEST_SELECT} WHERE r.center_id = ?1 AND r.id = ?2"))?
        .query_row([center_id, request_id], join_request_from_row)
        .optional()
}

/// How much of the center's history to copy a sealed copy covers. A change is to copy while it
/// is not proven with the center's current key, or any of its values is not sealed with it (an
/// erasure may have sealed all).
fn history_staged(conn: &Connection, center_id: &str) -> rusqlite::Result<HistoryStaged> {
    conn.query_row(
        "SELECT COUNT(h.seq), COUNT(*) FROM changes c
         JOIN centers k ON k.id = c.center_id
         LEFT JOIN sealed_history h ON h.center_id = c.center_id AND h.seq = c.seq
         WHERE c.center_id = ?1 AND c.sealed = 0
           AND (c.auth IS NULL OR substr(c.auth, 1, 37) <> 'pa2.' || k.key_id || '.'
                OR EXISTS (SELECT 1 FROM json_each(c.fields)
                           WHERE NOT (type = 'text' AND substr(value, 1, 37) = 'pl2.' || k.key_id || '.')))",
        [center_id],
        |row| Ok(HistoryStaged { staged: row.get::<_, i64>(0)? as u64, readable: row.get::<_, i64>(1)? as u64 }),
    )
}

fn center_info(conn: &Connection, center_id: &str) -> StoreResult<CenterInfo> {
    Ok(conn.prepare_cached(CENTER_INFO)?.query_row([center_id], |row| {
        Ok(CenterInfo {
            center: row.get(0)?,
            key_id: row.get(1)?,
            readable_changes: row.get::<_, i64>(2)? as u64,
            key_verifier: row.get(3)?,
            log: Some(LogPosition {
                last_seq: row.get::<_, i64>(4)? as u64,
                history: row.get(5)?,
                last_change_id: row.get(6)?,
            }),
            waiting_to_join: Some(row.get::<_, i64>(7)? as u64),
        })
    })?)
}

fn center_named(conn: &Connection, name: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT id FROM centers WHERE name = ?1", [name], |row| row.get(0)).optional()
}

/// Runs passive checkpoints on `conn` whenever the store says the log grew, until the store is
/// dropped. Passive: it never holds up a push or a pull. While `empty_wanted`, it empties the
/// log instead, trying again every second until no reader keeps it from doing so.
fn fold_wal_in_background(conn: Connection, empty_wanted: Arc<AtomicBool>) -> StoreResult<SyncSender<()>> {
    let (wal_written, wake) = std::sync::mpsc::sync_channel::<()>(1);
    std::thread::Builder::new()
        .name("hub-checkpoint".to_owned())
        .spawn(move || loop {
            let woken = if empty_wanted.load(Ordering::Acquire) {
                wake.recv_timeout(std::time::Duration::from_secs(1)).or_else(|timeout| match timeout {
                    RecvTimeoutError::Timeout => Ok(()),
                    RecvTimeoutError::Disconnected => Err(()),
                })
            } else {
                wake.recv().map_err(|_| ())
            };
            if woken.is_err() {
                break;
            }
            if empty_wanted.load(Ordering::Acquire) {
                match empty_log(&conn) {
                    Ok(true) => empty_wanted.store(false, Ordering::Release),
                    Ok(false) => tracing::info!("a reader kept the log from being emptied; trying again"),
                    Err(err) => tracing::warn!(%err, "emptying the log failed; trying again"),
                }
            } else if let Err(err) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                tracing::warn!(%err, "checkpoint failed; the next push tries again");
            }
        })
        .map_err(StoreError::CheckpointThread)?;
    Ok(wal_written)
}

/// Folds the log into the file and empties it; false when a reader of an older state of the
/// file kept it from finishing.
fn empty_log(conn: &Connection) -> rusqlite::Result<bool> {
    let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get(0))?;
    Ok(busy == 0)
}

/// The center's history and the number its newest change took.
fn numbering(conn: &Connection, center_id: &str) -> rusqlite::Result<(String, u64)> {
    conn.prepare_cached("SELECT history, last_seq FROM centers WHERE id = ?1")?
        .query_row([center_id], |row| Ok((row.get(0)?, row.get::<_, i64>(1)? as u64)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hub_made_by_a_newer_version_is_refused_and_left_as_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hub.sqlite3");
        drop(SqliteStore::open(&path).unwrap());
        Connection::open(&path).unwrap().pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
        assert!(
            matches!(SqliteStore::open(&path), Err(StoreError::TooNew { found, .. }) if found == SCHEMA_VERSION + 1)
        );
        let version: i64 = Connection::open(&path).unwrap().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(version, SCHEMA_VERSION + 1);
    }

    #[test]
    fn a_full_disk_and_a_damaged_file_are_told_apart_from_other_failures() {
        let failure = |code| rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None);
        assert!(matches!(StoreError::from(failure(rusqlite::ffi::SQLITE_FULL)), StoreError::DiskFull));
        assert!(matches!(StoreError::from(failure(rusqlite::ffi::SQLITE_CORRUPT)), StoreError::Damaged(_)));
        assert!(matches!(StoreError::from(failure(rusqlite::ffi::SQLITE_NOTADB)), StoreError::Damaged(_)));
        assert!(matches!(StoreError::from(failure(rusqlite::ffi::SQLITE_IOERR)), StoreError::Sqlite(_)));
    }
}
