//! Opening a desk's database: pragmas, migrations, and the one way to write (a transaction).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::{Connection, ErrorCode, Transaction};

use crate::encryption::EncryptionError;
use crate::encryption::{self, DeskKey};
use crate::error::CommonError;
use crate::sync::entity::{self, Entities};
use crate::sync::{erasure, outbox, state};
use crate::{Clock, Error, Result, Timestamp};

pub const DATABASE_FILE_NAME: &str = "porchlight.sqlite3";
/// Set while the write-ahead log may still hold what an erasure removed from the file.
const LOG_HOLDS_ERASED: &str = "log_holds_erased";

/// SQLite's default: fold the write-ahead log into the file when it passes this many pages.
const CHECKPOINT_PAGES: i64 = 1000;
const BULK_CHECKPOINT_PAGES: i64 = 16_384;
/// How long the write-ahead log may grow on a connection that leaves folding it to another,
/// before it folds the log itself: a backstop, should the other connection stop doing it.
const FOLD_BACKSTOP_PAGES: i64 = 16_384;

/// What a desk's database holds, handed in by the crate's wiring (`lib.rs`): the store names no
/// domain.
pub(crate) struct Schema {
    /// Numbered migrations, applied in order; `PRAGMA user_version` records the last one applied.
    pub migrations: &'static [&'static str],
    /// Every record type that syncs.
    pub entities: Entities,
}

/// One desk's database and clock: the value every core operation works on.
pub struct Desk {
    conn: Connection,
    clock: Arc<dyn Clock>,
    path: PathBuf,
    key: Option<DeskKey>,
    schema: &'static Schema,
    /// Told after each write that may have changes to send ([`Desk::notify_after_writes`]).
    after_write: Option<Arc<dyn Fn() + Send + Sync>>,
}

impl Desk {
    /// Opens the database at `path` holding `schema`, encrypted with `key` when there is one.
    /// The public ways to open a desk (`Desk::open`, `Desk::open_dir`, ...) are in `lib.rs`,
    /// which hands in the schema.
    pub(crate) fn open_schema(
        path: &Path,
        clock: Arc<dyn Clock>,
        key: Option<DeskKey>,
        schema: &'static Schema,
    ) -> Result<Desk> {
        let keyed = key.is_some();
        let not_a_database = move |err: rusqlite::Error| match (err.sqlite_error_code(), keyed) {
            (Some(ErrorCode::NotADatabase), true) => {
                Error::Encryption(EncryptionError::WrongDatabaseKey { path: path.to_owned() })
            }
            (Some(ErrorCode::NotADatabase), false) => {
                Error::Encryption(EncryptionError::NotADatabase { path: path.to_owned() })
            }
            _ => Error::from(err),
        };
        encryption::quiet_sqlcipher();
        // A refused open must not write: a connection that could, closing, would fold a
        // write-ahead log left by a crash into the file.
        if key.is_some() {
            encryption::refuse_if_lost(path)?;
        }
        match &key {
            Some(key) if encryption::is_plain_database(path)? => encryption::encrypt_in_place(path, key)?,
            Some(key)
                if path.exists()
                    && !encryption::opens_with(path, key).map_err(|err| damaged_if_corrupt(err, path))? =>
            {
                return Err(encryption::not_opened(path, key))
            }
            None if encryption::is_encrypted_database(path)? => return Err(encryption::no_key_for(path)),
            _ => {}
        }
        Desk::open_checked(path, clock, key, schema, not_a_database).map_err(|err| damaged_if_corrupt(err, path))
    }

    /// Opens the database once it is known to open with `key` (or to need none).
    fn open_checked(
        path: &Path,
        clock: Arc<dyn Clock>,
        key: Option<DeskKey>,
        schema: &'static Schema,
        not_a_database: impl Fn(rusqlite::Error) -> Error,
    ) -> Result<Desk> {
        let mut conn = Connection::open(path).map_err(&not_a_database)?;
        if let Some(key) = &key {
            key.apply(&conn)?;
        }
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(())).map_err(&not_a_database)?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // A first sync writes a whole history in large transactions: room to keep it in memory.
        conn.pragma_update(None, "cache_size", -32_768)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        // Deleted and overwritten content is zeroed in the file, not left in free pages.
        conn.pragma_update(None, "secure_delete", "ON")?;
        let applied_before = migrate(&mut conn, schema.migrations)?;
        watch_synced_tables(&conn, schema.entities)?;
        if let Some(key) = &key {
            encryption::note_database_kept(path, key)?;
        }
        let mut desk = Desk { conn, clock, path: path.to_owned(), key, schema, after_write: None };
        desk.write_unrecorded(|tx, now| {
            schema.entities.iter().try_for_each(|entity| entity.upkeep().on_open(tx, now))
        })?;
        if applied_before == 1 {
            desk.write(|tx, _| outbox::note_everything_from_before_sync(tx, schema.entities))?;
        }
        Ok(desk)
    }

    /// Closes the desk's file, lets `replace` put another in its place, and opens the desk again
    /// on what is there: the new file, or, if `replace` failed, the old one untouched.
    pub(crate) fn reopen_after(&mut self, replace: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
        drop(std::mem::replace(&mut self.conn, Connection::open_in_memory()?));
        let replaced = replace(&self.path);
        *self = Desk::open_schema(&self.path, self.clock.clone(), self.key.clone(), self.schema)?;
        replaced
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The desk's trusted time: the computer's clock, or the hub's time where the desk follows
    /// it ([`crate::sync::trusted_time`]). What dates every record and says which day is today.
    pub fn now(&self) -> Timestamp {
        let computer = self.clock.now();
        crate::sync::trusted_time::trusted_now(&self.conn, computer).unwrap_or(computer)
    }

    /// What the computer's own clock reads.
    pub(crate) fn computer_time(&self) -> Timestamp {
        self.clock.now()
    }

    /// Every record type that syncs, for the sync engine.
    pub(crate) fn entities(&self) -> Entities {
        self.schema.entities
    }

    /// Runs `change` in one transaction, committed only if it succeeds. Every synced record it
    /// touched becomes an outbox change in the same transaction.
    pub fn write<T>(&mut self, change: impl FnOnce(&Transaction, Timestamp) -> Result<T>) -> Result<T> {
        let entities = self.schema.entities;
        let computer = self.computer_time();
        let result = self.write_unrecorded(|tx, now| {
            let result = change(tx, now)?;
            outbox::record_changes(tx, computer, entities)?;
            Ok(result)
        })?;
        if let Some(notify) = &self.after_write {
            notify();
        }
        Ok(result)
    }

    /// `notify` is called after each committed write that may have changes to send: how the
    /// app's sync hears of a change at the desk at once, where it looked every second.
    pub fn notify_after_writes(&mut self, notify: Arc<dyn Fn() + Send + Sync>) {
        self.after_write = Some(notify);
    }

    /// A transaction whose writes do not become changes: sync applying what other desks sent,
    /// defaults every desk fills in for itself.
    pub(crate) fn write_unrecorded<T>(
        &mut self,
        change: impl FnOnce(&Transaction, Timestamp) -> Result<T>,
    ) -> Result<T> {
        let now = self.now();
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let result = change(&tx, now)?;
        outbox::forget_touched(&tx)?;
        tx.commit()?;
        Ok(result)
    }

    /// For the window's connection: folding the write-ahead log into the database file is left
    /// to another connection ([`Desk::fold_log`], on the app's background one), so a check-in
    /// does not pay for it. Folding every thousand pages was a third of a check-in's time on a
    /// large desk; the other connection does it without holding up this one.
    pub fn leave_log_folding_to_another_connection(&self) -> Result<()> {
        self.conn.pragma_update(None, "wal_autocheckpoint", FOLD_BACKSTOP_PAGES)?;
        Ok(())
    }

    /// Folds what the write-ahead log holds into the database file, neither waiting for nor
    /// holding up anyone writing (a passive checkpoint); or, when an erasure could not empty the
    /// log, tries again to empty it.
    pub fn fold_log(&self) -> Result<()> {
        if state::get(&self.conn, LOG_HOLDS_ERASED)?.is_some() {
            if empty_log(&self.conn)? {
                state::remove(&self.conn, LOG_HOLDS_ERASED)?;
            }
            return Ok(());
        }
        self.conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Whether an erasure's old words may still lie in the write-ahead log, waiting for it to be
    /// emptied (another connection was reading when it was tried).
    pub fn log_holds_erased(&self) -> Result<bool> {
        Ok(state::get(&self.conn, LOG_HOLDS_ERASED)?.is_some())
    }

    /// For writing a long history: the write-ahead log is folded into the database file 64 MB
    /// at a time rather than every 4 MB, which rewrote the same pages again and again.
    pub(crate) fn checkpoint_seldom(&self) -> Result<()> {
        self.conn.pragma_update(None, "wal_autocheckpoint", BULK_CHECKPOINT_PAGES)?;
        Ok(())
    }

    /// Back to SQLite's usual checkpoints, folding in what the log holds if it was let grow.
    pub(crate) fn checkpoint_as_usual(&self) -> Result<()> {
        let pages: i64 = self.conn.pragma_query_value(None, "wal_autocheckpoint", |row| row.get(0))?;
        if pages != CHECKPOINT_PAGES {
            self.conn.pragma_update(None, "wal_autocheckpoint", CHECKPOINT_PAGES)?;
            self.conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        }
        Ok(())
    }

    /// After erasing someone: each record type compacts what could still hold their words (a
    /// search index's old segments), and the write-ahead log is folded into the file (where
    /// secure_delete zeroed the old pages) and emptied.
    ///
    /// The log cannot be emptied while another connection reads an older state of the file; then
    /// the desk notes it, and its next fold (every few seconds in the app) tries again.
    pub(crate) fn compact_after_erasing(&self) -> Result<()> {
        erasure::compact(&self.conn, self.schema.entities)?;
        if !empty_log(&self.conn)? {
            state::set(&self.conn, LOG_HOLDS_ERASED, "yes")?;
        }
        Ok(())
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Rows this desk's connection has inserted, updated or deleted since it opened: what a
    /// test checks to see that a step rewrote nothing it did not change.
    #[cfg(any(test, feature = "testkit"))]
    pub fn rows_written(&self) -> u64 {
        self.conn.total_changes()
    }

    /// The key the desk's file is encrypted with, which its backups are encrypted with too.
    /// Reads every page of the desk's database as SQLite's own check and, for an encrypted
    /// desk, SQLCipher's (each page's authentication) do: a file damaged anywhere, even where no
    /// screen reads, is [`Error::Encryption(EncryptionError::DeskDataDamaged)`]. For backups, and once a day.
    pub fn check_intact(&self) -> Result<()> {
        let problems = problems_in(&self.conn, self.key.is_some()).unwrap_or_else(|err| vec![err.to_string()]);
        if problems.is_empty() {
            return Ok(());
        }
        Err(Error::Encryption(EncryptionError::DeskDataDamaged { path: self.path.clone() }))
    }

    pub(crate) fn key(&self) -> Option<&DeskKey> {
        self.key.as_ref()
    }
}

/// A page that does not read whole, met while opening the desk at `path`: the file took damage.
fn damaged_if_corrupt(err: Error, path: &Path) -> Error {
    match err {
        Error::Common(CommonError::Sqlite(sqlite))
            if sqlite.sqlite_error_code() == Some(ErrorCode::DatabaseCorrupt) =>
        {
            Error::Encryption(EncryptionError::DeskDataDamaged { path: path.to_owned() })
        }
        other => other,
    }
}

/// Makes the data folder if it is missing, keeps it its user's alone (a folder an older version
/// made open to others is closed), and checks this account may write to it.
pub fn ensure_writable(dir: &Path) -> Result<()> {
    let not_writable = |source| Error::Store(StoreError::DataDirNotWritable { path: dir.to_owned(), source });
    std::fs::create_dir_all(dir).map_err(not_writable)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(not_writable)?;
    }
    let probe = dir.join(".porchlight-write-check");
    std::fs::write(&probe, b"").map_err(not_writable)?;
    std::fs::remove_file(&probe).map_err(not_writable)
}

/// Installs, for this connection only, the triggers that note which synced records a write touches.
fn watch_synced_tables(conn: &Connection, entities: Entities) -> Result<()> {
    conn.execute_batch(outbox::DIRTY_TABLE_SQL)?;
    conn.execute_batch(outbox::ACTING_TABLE_SQL)?;
    conn.execute_batch(outbox::ERASING_TABLE_SQL)?;
    entity::watch_all(conn, entities)
}

/// Applies the migrations this database has not had; returns the version it was at.
fn migrate(conn: &mut Connection, migrations: &[&str]) -> Result<i64> {
    let applied: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    let latest = migrations.len() as i64;
    if applied > latest {
        return Err(Error::Store(StoreError::DatabaseTooNew { found: applied }));
    }
    for (index, sql) in migrations.iter().enumerate().skip(applied as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(applied)
}

/// Folds the write-ahead log into the file and empties it; false when a reader of an older
/// state of the file kept it from finishing (SQLite then reports the checkpoint busy).
fn empty_log(conn: &Connection) -> Result<bool> {
    let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get(0))?;
    Ok(busy == 0)
}

/// What SQLite's `quick_check` and, for an encrypted file, SQLCipher's `cipher_integrity_check`
/// find wrong with the database `conn` opens; empty when nothing.
pub(crate) fn problems_in(conn: &Connection, encrypted: bool) -> rusqlite::Result<Vec<String>> {
    let rows = |sql: &str| -> rusqlite::Result<Vec<String>> {
        let mut statement = conn.prepare(sql)?;
        let found = statement.query_map([], |row| row.get::<_, String>(0))?;
        found.collect()
    };
    let mut problems: Vec<String> = rows("PRAGMA quick_check(20)")?.into_iter().filter(|row| row != "ok").collect();
    if encrypted {
        problems.extend(rows("PRAGMA cipher_integrity_check")?);
    }
    Ok(problems)
}

crate::error::domain_errors! {
    /// What stops the desk's database from opening where it is.
    pub enum StoreError, codes StoreErrorCode {
        #[error("Porchlight cannot write to its data folder {path}: {source}")]
        DataDirNotWritable { path: PathBuf, source: std::io::Error },
        #[error("This database was written by a newer Porchlight (schema {found}); update this desk.")]
        DatabaseTooNew { found: i64 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::OPERATOR;
    use crate::SystemClock;

    #[test]
    fn opening_twice_applies_migrations_once() {
        let dir = tempfile::tempdir().unwrap();
        drop(Desk::open_dir(dir.path()).unwrap());
        let desk = Desk::open_dir(dir.path()).unwrap();
        let version: i64 = desk.conn().pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(version, crate::SCHEMA.migrations.len() as i64);
        let journal: String = desk.conn().pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
        assert_eq!(journal, "wal");
    }

    #[test]
    fn a_file_that_is_not_a_database_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DATABASE_FILE_NAME);
        let garbage = vec![0x42u8; 8192];
        std::fs::write(&path, &garbage).unwrap();
        let err = Desk::open(&path, Arc::new(SystemClock)).err().unwrap();
        // Beside no key note, garbage cannot be told from an encrypted desk whose note was lost.
        assert!(matches!(err, Error::Encryption(EncryptionError::DeskKeyNoteMissing { .. })), "{err:?}");
        assert_eq!(std::fs::read(&path).unwrap(), garbage);
    }

    #[test]
    fn a_data_dir_that_cannot_be_created_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a-file");
        std::fs::write(&file, b"x").unwrap();
        let err = Desk::open_dir(&file.join("inside")).err().unwrap();
        assert!(matches!(err, Error::Store(StoreError::DataDirNotWritable { .. })), "{err:?}");
    }

    #[test]
    fn a_database_locked_by_another_program_is_reported_and_nothing_is_lost() {
        let mut desk = crate::testkit::desk_at("2026-11-23T15:00:00Z");
        desk.conn().busy_timeout(std::time::Duration::from_millis(50)).unwrap();
        let other = Connection::open(desk.path()).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();

        let dan = crate::people::PersonInput { display_name: "Dan R".into(), ..Default::default() };
        let err = crate::people::register(&mut desk, &OPERATOR, &dan).unwrap_err();
        assert!(matches!(err, Error::Common(CommonError::DatabaseLocked)), "{err:?}");

        other.execute_batch("ROLLBACK").unwrap();
        crate::people::register(&mut desk, &OPERATOR, &dan).expect("works once the other program lets go");
    }

    #[test]
    fn an_erasure_that_a_reader_kept_from_emptying_the_log_empties_it_at_the_next_fold() {
        let mut desk = crate::testkit::desk_at("2026-11-23T15:00:00Z");
        desk.conn().busy_timeout(std::time::Duration::from_millis(50)).unwrap();
        let dan = crate::people::PersonInput { display_name: "Danforth Quill".into(), ..Default::default() };
        let id = crate::people::register(&mut desk, &OPERATOR, &dan).unwrap().id;
        let wal = desk.path().with_extension("sqlite3-wal");
        let reader = Connection::open(desk.path()).unwrap();
        reader.execute_batch("BEGIN; SELECT COUNT(*) FROM people;").unwrap();

        crate::people::forget(&mut desk, &OPERATOR, &id).unwrap();
        assert!(desk.log_holds_erased().unwrap(), "the reader kept the log from being emptied");
        assert!(std::fs::metadata(&wal).unwrap().len() > 0);

        reader.execute_batch("COMMIT").unwrap();
        desk.fold_log().unwrap();
        assert!(!desk.log_holds_erased().unwrap());
        let log = std::fs::read(&wal).unwrap_or_default();
        assert!(!log.windows(8).any(|bytes| bytes == b"Danforth"), "the name is gone from the log");
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DATABASE_FILE_NAME);
        Connection::open(&path).unwrap().pragma_update(None, "user_version", 99).unwrap();
        let err = Desk::open(&path, Arc::new(SystemClock)).err().unwrap();
        assert!(matches!(err, Error::Store(StoreError::DatabaseTooNew { found: 99 })), "{err:?}");
    }
}
