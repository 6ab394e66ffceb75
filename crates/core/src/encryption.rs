//! Encryption at rest: a desk's database and its backups are SQLCipher files that read as noise
//! without the desk's key. The key lives in the OS keychain, or is derived from a passphrase an
//! admin types when the app starts; a small note beside the database says which, so the desk
//! knows where to look. Talking to the keychain is the shell's part; core takes the key and
//! keeps the file sealed with it.

use std::fmt;
use std::fs::File;
use std::path::{Path, PathBuf};

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::Argon2;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::error::CommonError;
use crate::{ensure_writable, Desk, Error, Result};

/// Beside the database: how its key is kept (never the key itself).
pub const KEY_NOTE_FILE_NAME: &str = "desk-key.json";

/// A desk passphrase guards every record on the computer against whoever copies the file, and
/// they can try guesses offline as fast as they like: it must be long.
pub const PASSPHRASE_MIN: usize = 12;

/// The 256-bit key a desk's database is encrypted with. Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct DeskKey([u8; 32]);

impl DeskKey {
    /// A new random key, for a desk whose key the OS keychain keeps.
    pub fn generate() -> DeskKey {
        let mut key = [0u8; 32];
        OsRng.fill_bytes(&mut key);
        DeskKey(key)
    }

    /// The key derived from an admin's passphrase, for a computer without a keychain. `salt`
    /// is not secret, but each desk needs its own (see [`new_salt`]).
    pub fn from_passphrase(passphrase: &str, salt: &[u8]) -> Result<DeskKey> {
        let mut key = [0u8; 32];
        Argon2::default()
            .hash_password_into(passphrase.as_bytes(), salt, &mut key)
            .map_err(|_| Error::Encryption(EncryptionError::KeyNotUsable))?;
        Ok(DeskKey(key))
    }

    /// The key as 64 hex digits, the form a keychain stores.
    pub fn to_hex(&self) -> String {
        hex(&self.0)
    }

    pub fn from_hex(text: &str) -> Result<DeskKey> {
        let key: [u8; 32] =
            hex_bytes(text.trim())?.try_into().map_err(|_| Error::Encryption(EncryptionError::KeyNotUsable))?;
        Ok(DeskKey(key))
    }

    /// SQLCipher's form for a raw key: used as it is, without deriving another from it.
    fn sql_literal(&self) -> String {
        format!("\"x'{}'\"", self.to_hex())
    }

    /// Unlocks `conn`; must come before anything reads the file.
    pub(crate) fn apply(&self, conn: &Connection) -> Result<()> {
        conn.execute_batch(&format!("PRAGMA key = {};", self.sql_literal()))?;
        Ok(())
    }
}

impl fmt::Debug for DeskKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DeskKey(…)")
    }
}

/// Where a desk's key is kept, as noted in [`KEY_NOTE_FILE_NAME`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kept_in", rename_all = "snake_case")]
pub enum KeyKeeping {
    /// A random key in the OS keychain of the computer's user who set the desk up.
    Keychain,
    /// Derived from an admin's passphrase with this salt (hex), typed when the app starts.
    Passphrase { salt: String },
}

/// The note beside the database: how its key is kept, and what tells a damaged or missing file
/// from a wrong key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct KeyNote {
    #[serde(flatten)]
    keeping: KeyKeeping,
    /// A short check of the key (not the key): a key that matches it but does not open the
    /// file means the file is damaged, not that the passphrase was wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key_check: Option<String>,
    /// Set once the database held this desk's records: a database missing or empty then was
    /// lost, not yet to be made.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    database_kept: bool,
}

fn key_note(dir: &Path) -> Result<Option<KeyNote>> {
    let text = match std::fs::read_to_string(dir.join(KEY_NOTE_FILE_NAME)) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(Error::Common(CommonError::Io(err))),
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|_| Error::Encryption(EncryptionError::KeyNoteDamaged { path: dir.join(KEY_NOTE_FILE_NAME) }))
}

/// How the desk in `dir` keeps its key; `None` for a new desk or one not yet encrypted.
pub fn key_keeping(dir: &Path) -> Result<Option<KeyKeeping>> {
    Ok(key_note(dir)?.map(|note| note.keeping))
}

/// 64 bits of SHA-256 over the key and a label: enough to tell a wrong key from a right one,
/// and no help to someone guessing a passphrase, who can already try each guess on the file.
fn key_check(key: &DeskKey) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new().chain_update(b"porchlight desk key check").chain_update(key.0).finalize();
    hex(&digest[..8])
}

/// Why `key` does not open the database at `path`: a damaged file, when the key is the one the
/// note checks; else the wrong key.
pub(crate) fn not_opened(path: &Path, key: &DeskKey) -> Error {
    let checked = path.parent().and_then(|dir| key_note(dir).ok().flatten()).and_then(|note| note.key_check);
    match checked {
        Some(check) if check == key_check(key) => {
            Error::Encryption(EncryptionError::DeskDataDamaged { path: path.to_owned() })
        }
        _ => Error::Encryption(EncryptionError::WrongDatabaseKey { path: path.to_owned() }),
    }
}

/// Why a database found encrypted cannot be opened without a key: for a desk's own database
/// whose key note is gone, that the note is missing (without it no passphrase opens it).
pub(crate) fn no_key_for(path: &Path) -> Error {
    let dir = path.parent().unwrap_or(Path::new("."));
    let own = path.file_name().is_some_and(|name| name == crate::DATABASE_FILE_NAME);
    if own && !dir.join(KEY_NOTE_FILE_NAME).exists() {
        return Error::Encryption(EncryptionError::DeskKeyNoteMissing {
            path: path.to_owned(),
            note: dir.join(KEY_NOTE_FILE_NAME),
        });
    }
    Error::Encryption(EncryptionError::NotADatabase { path: path.to_owned() })
}

/// Refuses to start afresh on a database that went missing or empty where this desk kept its
/// records: an empty desk there would take an import, and the records would seem gone.
pub(crate) fn refuse_if_lost(path: &Path) -> Result<()> {
    let Some(dir) = path.parent() else { return Ok(()) };
    let kept = key_note(dir)?.is_some_and(|note| note.database_kept);
    let empty = std::fs::metadata(path).map_or(true, |file| file.len() == 0);
    if kept && empty {
        return Err(Error::Encryption(EncryptionError::DeskDataGone { path: path.to_owned() }));
    }
    Ok(())
}

/// Once `key` has opened the database at `path`: the note records the key's check and that the
/// database holds the desk's records, if it did not yet (a note from an older version).
pub(crate) fn note_database_kept(path: &Path, key: &DeskKey) -> Result<()> {
    let Some(dir) = path.parent() else { return Ok(()) };
    let Some(note) = key_note(dir)? else { return Ok(()) };
    let kept = KeyNote { key_check: Some(key_check(key)), database_kept: true, ..note.clone() };
    if kept != note {
        write_key_note(dir, &kept)?;
    }
    Ok(())
}

/// Notes how the key is kept, before anything is encrypted with it: a crash between the two
/// then leaves a desk that still knows where its key is. Written whole or not at all.
fn note_key_keeping(dir: &Path, keeping: &KeyKeeping, key: &DeskKey) -> Result<()> {
    write_key_note(dir, &KeyNote { keeping: keeping.clone(), key_check: Some(key_check(key)), database_kept: false })
}

fn write_key_note(dir: &Path, note_text: &KeyNote) -> Result<()> {
    ensure_writable(dir)?;
    let note = dir.join(KEY_NOTE_FILE_NAME);
    let draft = note.with_extension("json.new");
    let text = serde_json::to_string_pretty(note_text).map_err(|err| Error::Common(CommonError::Io(err.into())))?;
    std::fs::write(&draft, text)?;
    File::open(&draft)?.sync_all()?;
    std::fs::rename(&draft, &note)?;
    File::open(dir)?.sync_all()?;
    Ok(())
}

/// Makes `key` (already safe in the keychain) the key of the desk in `dir`, encrypting a plain
/// database there in place.
pub fn keep_in_keychain(dir: &Path, key: &DeskKey) -> Result<()> {
    if key_keeping(dir)?.is_some() {
        return Err(Error::Encryption(EncryptionError::DeskKeyAlreadyChosen));
    }
    note_key_keeping(dir, &KeyKeeping::Keychain, key)?;
    Desk::open_dir_keyed(dir, Some(key.clone())).map(drop)
}

/// Sets the desk in `dir` up to be opened with `passphrase` from now on, encrypting a plain
/// database there in place. Refused if the desk already has a key.
pub fn choose_passphrase(dir: &Path, passphrase: &str, repeated: &str) -> Result<DeskKey> {
    if passphrase.chars().count() < PASSPHRASE_MIN {
        return Err(Error::Encryption(EncryptionError::PassphraseTooShort { min: PASSPHRASE_MIN }));
    }
    if passphrase != repeated {
        return Err(Error::Encryption(EncryptionError::PassphrasesDiffer));
    }
    if key_keeping(dir)?.is_some() {
        return Err(Error::Encryption(EncryptionError::DeskKeyAlreadyChosen));
    }
    let salt = new_salt();
    let key = DeskKey::from_passphrase(passphrase, &salt)?;
    let salt = hex(&salt);
    note_key_keeping(dir, &KeyKeeping::Passphrase { salt }, &key)?;
    Desk::open_dir_keyed(dir, Some(key.clone()))?;
    Ok(key)
}

/// The key of the desk in `dir`, from its passphrase; refused, with nothing changed, when the
/// passphrase does not open the desk.
pub fn unlock_with_passphrase(dir: &Path, passphrase: &str) -> Result<DeskKey> {
    let Some(KeyKeeping::Passphrase { salt }) = key_keeping(dir)? else {
        return Err(Error::Encryption(EncryptionError::NoDeskPassphrase));
    };
    let key = DeskKey::from_passphrase(passphrase, &hex_bytes(&salt)?)?;
    match Desk::open_dir_keyed(dir, Some(key.clone())) {
        Ok(_) => Ok(key),
        Err(Error::Encryption(EncryptionError::WrongDatabaseKey { .. })) => {
            Err(Error::Encryption(EncryptionError::WrongDeskPassphrase))
        }
        Err(err) => Err(err),
    }
}

/// Bytes written as lowercase hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn hex_bytes(text: &str) -> Result<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::Encryption(EncryptionError::KeyNotUsable));
    }
    (0..text.len())
        .step_by(2)
        .map(|at| {
            u8::from_str_radix(&text[at..at + 2], 16).map_err(|_| Error::Encryption(EncryptionError::KeyNotUsable))
        })
        .collect()
}

/// A salt for [`DeskKey::from_passphrase`].
pub fn new_salt() -> [u8; 16] {
    let mut salt = [0u8; 16];
    OsRng.fill_bytes(&mut salt);
    salt
}

/// SQLCipher writes its own error lines ("ERROR CORE sqlcipher_page_cipher: hmac check failed")
/// to the terminal, beside the message a person reads: the desk says what went wrong itself.
pub(crate) fn quiet_sqlcipher() {
    static QUIETED: std::sync::Once = std::sync::Once::new();
    QUIETED.call_once(|| {
        if let Ok(conn) = Connection::open_in_memory() {
            let _ = conn.execute_batch("PRAGMA cipher_log_level = NONE;");
        }
    });
}

/// Whether `key` opens the database at `path`, found by reading alone: a connection with a
/// wrong key that could write would still fold a write-ahead log left by a crash into the file
/// as it closed.
pub(crate) fn opens_with(path: &Path, key: &DeskKey) -> Result<bool> {
    use rusqlite::OpenFlags;
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    key.apply(&conn)?;
    match conn.query_row("SELECT COUNT(*) FROM sqlite_master", [], |_| Ok(())) {
        Ok(()) => Ok(true),
        Err(err) if err.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => Ok(false),
        Err(err) => Err(err.into()),
    }
}

/// True when `path` holds a database that is not encrypted (plain SQLite's header).
pub fn is_plain_database(path: &Path) -> Result<bool> {
    Ok(header(path)?.is_some_and(|header| &header == PLAIN_HEADER))
}

/// True when `path` holds something other than a plain database: encrypted, or not a database.
pub(crate) fn is_encrypted_database(path: &Path) -> Result<bool> {
    Ok(header(path)?.is_some_and(|header| &header != PLAIN_HEADER))
}

const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// The first 16 bytes of the file, if it has that many.
fn header(path: &Path) -> Result<Option<[u8; 16]>> {
    use std::io::Read;
    let mut header = [0u8; 16];
    match File::open(path).and_then(|mut file| file.read_exact(&mut header)) {
        Ok(()) => Ok(Some(header)),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) if err.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
        Err(err) => Err(Error::Common(CommonError::Io(err))),
    }
}

/// Encrypts the plain database at `path` with `key`, in place. The encrypted copy is written
/// beside it and renamed over it only once complete and on disk, so a crash at any point leaves
/// either the original or the encrypted database, whole.
pub fn encrypt_in_place(path: &Path, key: &DeskKey) -> Result<()> {
    let copy = write_encrypted_copy(path, key)?;
    std::fs::rename(&copy, path)?;
    if let Some(dir) = path.parent() {
        // The rename itself must reach the disk before anyone relies on it.
        File::open(dir).and_then(|dir| dir.sync_all())?;
    }
    Ok(())
}

/// The first half of [`encrypt_in_place`]: the encrypted copy, complete and synced to disk,
/// next to the untouched original.
pub(crate) fn write_encrypted_copy(path: &Path, key: &DeskKey) -> Result<PathBuf> {
    let copy = path.with_extension("encrypting");
    // A copy left by an interrupted run is incomplete; the original is still whole.
    remove_if_present(&copy)?;
    let result = (|| {
        let conn = Connection::open(path)?;
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
        let name = copy.to_str().ok_or_else(|| {
            Error::Common(CommonError::Io(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the data folder's path is not UTF-8",
            )))
        })?;
        conn.execute(&format!("ATTACH DATABASE ?1 AS encrypted KEY {}", key.sql_literal()), [name])?;
        conn.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
        conn.execute_batch(&format!("PRAGMA encrypted.user_version = {version}; DETACH DATABASE encrypted;"))?;
        drop(conn);
        // Closing the last connection folds and removes the write-ahead log; one still there
        // means another program has the database open, and might write to the original.
        let wal = PathBuf::from(format!("{}-wal", path.display()));
        if wal.exists() && std::fs::metadata(&wal)?.len() > 0 {
            return Err(Error::Common(CommonError::DatabaseLocked));
        }
        File::open(&copy)?.sync_all()?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&copy);
    }
    result.map(|()| copy)
}

fn remove_if_present(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(Error::Common(CommonError::Io(err))),
        _ => Ok(()),
    }
}

crate::error::domain_errors! {
    /// What stops the desk's encrypted data, its key or its passphrase from being used.
    pub enum EncryptionError, codes EncryptionErrorCode {
        #[error("{path} is not a Porchlight database (it may be damaged or encrypted).")]
        NotADatabase { path: PathBuf },
        #[error("The key for {path} is not the right one (or the file is damaged); nothing was changed.")]
        WrongDatabaseKey { path: PathBuf },
        #[error("This desk's data at {path} is damaged: the file no longer reads whole (its key is right). Put back the last good backup, or set this desk up afresh and take the center's records from the hub again.")]
        DeskDataDamaged { path: PathBuf },
        #[error("This desk's data at {path} does not open without a key, and the note of how its key is kept ({note}) is missing: without it no passphrase or keychain opens it. Put {note} back from a backup of the data folder (it holds no secret), then open the desk again; if the desk was never encrypted, the file is damaged: put back the last good backup. Nothing was changed.")]
        DeskKeyNoteMissing { path: PathBuf, note: PathBuf },
        #[error("This desk's data at {path} is missing or empty, though this desk kept its records there. Put back the last good backup (copy it to {path}), or set this desk up afresh in a new folder and take the center's records from the hub again.")]
        DeskDataGone { path: PathBuf },
        #[error("That is not a usable database key.")]
        KeyNotUsable,
        #[error("{path} is damaged: it says where this desk's key is kept. Restore it from where the desk was set up.")]
        KeyNoteDamaged { path: PathBuf },
        #[error("This desk's data is already encrypted with its own key.")]
        DeskKeyAlreadyChosen,
        #[error("This desk's data is not kept with a passphrase.")]
        NoDeskPassphrase,
        #[error("A desk passphrase needs at least {min} characters; a few words together are easy to remember and hard to guess.")]
        PassphraseTooShort { min: usize } in "passphrase",
        #[error("The two passphrases are not the same.")]
        PassphrasesDiffer in "passphrase_again",
        #[error("That passphrase does not open this desk's data. Nothing was changed; try again.")]
        WrongDeskPassphrase in "passphrase",
        #[error("This desk's key is kept in the computer's keychain, which cannot be reached now ({reason}). Sign in to the computer as the person who set Porchlight up on it, with the keychain unlocked.")]
        KeychainUnreachable { reason: String },
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::export::{self, Days, Format};
    use crate::front_desk;
    use crate::people::{self, PersonInput};
    use crate::testkit::OPERATOR;
    use crate::{backup, visits, Desk, FixedClock, DATABASE_FILE_NAME};

    fn clock() -> Arc<FixedClock> {
        Arc::new(FixedClock::at("2026-11-23T15:00:00Z"))
    }

    /// A desk with a person who came in today, so there is something to protect.
    fn desk_with_dana(path: &Path, key: Option<DeskKey>) -> Desk {
        let mut desk = Desk::open_keyed(path, clock(), key).unwrap();
        let dana = people::register(
            &mut desk,
            &OPERATOR,
            &PersonInput { display_name: "Dana Rivera".into(), ..Default::default() },
        )
        .unwrap();
        visits::check_in(&mut desk, &OPERATOR, &dana.id, &[]).unwrap();
        desk
    }

    fn plain_open_fails(path: &Path) -> String {
        let conn = Connection::open(path).unwrap();
        conn.query_row("SELECT COUNT(*) FROM sqlite_master", [], |row| row.get::<_, i64>(0)).unwrap_err().to_string()
    }

    fn exports(desk: &mut Desk) -> (Vec<u8>, Vec<u8>) {
        let (mut people, mut visits) = (Vec::new(), Vec::new());
        export::people(desk, &OPERATOR, Days::default(), Format::Csv, &mut people).unwrap();
        export::visits(desk, &OPERATOR, Days::default(), Format::Csv, &mut visits).unwrap();
        (people, visits)
    }

    #[test]
    fn a_damaged_file_is_told_from_a_wrong_passphrase_and_a_lost_one_is_not_taken_for_a_new_desk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DATABASE_FILE_NAME);
        let key = choose_passphrase(dir.path(), "correct horse battery", "correct horse battery").unwrap();
        drop(desk_with_dana(&path, Some(key.clone())));
        let whole = std::fs::read(&path).unwrap();
        let damaged_at = |at: usize| {
            let mut bytes = whole.clone();
            bytes[at] ^= 0x5a;
            std::fs::write(&path, bytes).unwrap();
        };
        let unlocked = |passphrase: &str| unlock_with_passphrase(dir.path(), passphrase);
        assert!(matches!(
            unlocked("wrong horse battery"),
            Err(Error::Encryption(EncryptionError::WrongDeskPassphrase))
        ));

        // A damaged header: the right passphrase, and the desk says the file is damaged.
        damaged_at(200);
        assert!(matches!(
            unlocked("correct horse battery"),
            Err(Error::Encryption(EncryptionError::DeskDataDamaged { .. }))
        ));
        assert!(matches!(
            unlocked("wrong horse battery"),
            Err(Error::Encryption(EncryptionError::WrongDeskPassphrase))
        ));

        // One byte flipped where no screen reads: found by the check, and no backup is made of it.
        damaged_at(whole.len() - 4096 + 300);
        let mut desk = Desk::open_keyed(&path, clock(), Some(key.clone())).unwrap();
        assert!(matches!(desk.check_intact(), Err(Error::Encryption(EncryptionError::DeskDataDamaged { .. }))));
        let target = dir.path().join("backup.sqlite3");
        let refused = backup::to_file(&mut desk, &OPERATOR, &target).unwrap_err();
        assert!(matches!(refused, Error::Encryption(EncryptionError::DeskDataDamaged { .. })), "{refused}");
        assert!(!target.exists() && !target.with_extension("partial").exists());
        drop(desk);
        std::fs::write(&path, &whole).unwrap();
        let mut desk = Desk::open_keyed(&path, clock(), Some(key.clone())).unwrap();
        desk.check_intact().unwrap();
        backup::to_file(&mut desk, &OPERATOR, &target).unwrap();
        drop(desk);

        // Cut short (a copy that stopped half-way), or a page of garbage (a failing disk): the
        // desk opens, or says the file is damaged, and its check finds it either way.
        let pages = whole.len() / 4096;
        for damage in [
            Box::new(|bytes: &mut Vec<u8>| bytes.truncate(bytes.len() / 2)) as Box<dyn Fn(&mut Vec<u8>)>,
            Box::new(move |bytes: &mut Vec<u8>| bytes[(pages - 2) * 4096..(pages - 1) * 4096].fill(0x42)),
        ] {
            let mut bytes = whole.clone();
            damage(&mut bytes);
            std::fs::write(&path, bytes).unwrap();
            let found = Desk::open_keyed(&path, clock(), Some(key.clone())).and_then(|desk| desk.check_intact());
            let Err(err @ Error::Encryption(EncryptionError::DeskDataDamaged { .. })) = found else {
                panic!("not found damaged: {found:?}")
            };
            assert!(
                err.to_string().contains("is damaged") && err.to_string().contains("Put back the last good backup")
            );
        }
        std::fs::write(&path, &whole).unwrap();

        // The note of how the key is kept is lost: the desk says so, not "not a database".
        let note = dir.path().join(KEY_NOTE_FILE_NAME);
        let kept_note = std::fs::read(&note).unwrap();
        std::fs::remove_file(&note).unwrap();
        let refused = Desk::open_dir(dir.path()).err().unwrap();
        assert!(matches!(refused, Error::Encryption(EncryptionError::DeskKeyNoteMissing { .. })), "{refused}");
        assert!(refused.to_string().contains("desk-key.json"), "{refused}");
        std::fs::write(&note, kept_note).unwrap();
        assert!(unlocked("correct horse battery").is_ok(), "and the note put back opens it");

        // Emptied or gone: refused, not opened as a new desk an import would then write into.
        for lose in
            [|path: &Path| std::fs::write(path, b"").unwrap(), |path: &Path| std::fs::remove_file(path).unwrap()]
        {
            lose(&path);
            let refused = Desk::open_keyed(&path, clock(), Some(key.clone())).err().unwrap();
            assert!(matches!(refused, Error::Encryption(EncryptionError::DeskDataGone { .. })), "{refused}");
            assert!(std::fs::metadata(&path).map_or(true, |file| file.len() == 0), "nothing was made");
        }
        std::fs::copy(&target, &path).unwrap();
        let desk = Desk::open_keyed(&path, clock(), Some(key)).unwrap();
        assert_eq!(front_desk::search(&desk, &OPERATOR, "dana", 5).unwrap().len(), 1, "the backup put back");
    }

    #[test]
    fn an_encrypted_desk_reads_as_noise_without_its_key_and_a_wrong_key_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DATABASE_FILE_NAME);
        let key = DeskKey::generate();
        // The files as a crash leaves them: the write-ahead log still holds the latest writes.
        let running = dir.path().join("running.sqlite3");
        let desk = desk_with_dana(&running, Some(key.clone()));
        let wal = PathBuf::from(format!("{}-wal", path.display()));
        std::fs::copy(&running, &path).unwrap();
        std::fs::copy(format!("{}-wal", running.display()), &wal).unwrap();
        drop(desk);
        let log = std::fs::read(&wal).unwrap();
        assert!(!log.is_empty());

        let bytes = std::fs::read(&path).unwrap();
        assert!(!bytes.windows(6).any(|window| window == b"Rivera"), "no name in the file");
        let wrong = Desk::open_keyed(&path, clock(), Some(DeskKey::generate())).err().unwrap();
        assert!(matches!(wrong, Error::Encryption(EncryptionError::WrongDatabaseKey { .. })), "{wrong:?}");
        // Without its key note beside it, a desk's database says the note is what is missing.
        assert!(matches!(
            Desk::open(&path, clock()).err().unwrap(),
            Error::Encryption(EncryptionError::DeskKeyNoteMissing { .. })
        ));
        assert!(std::fs::read(&path).unwrap() == bytes, "refused opens leave the file as it was");
        assert!(std::fs::read(&wal).unwrap() == log, "and the log");
        assert!(plain_open_fails(&path).contains("file is not a database"));

        let desk = Desk::open_keyed(&path, clock(), Some(key)).unwrap();
        assert_eq!(front_desk::search(&desk, &OPERATOR, "dana", 5).unwrap()[0].display_name, "Dana Rivera");
    }

    #[test]
    fn a_backup_of_an_encrypted_desk_is_encrypted_with_the_same_key() {
        let dir = tempfile::tempdir().unwrap();
        let key = DeskKey::generate();
        let mut desk = desk_with_dana(&dir.path().join(DATABASE_FILE_NAME), Some(key.clone()));
        let copy = dir.path().join("backup.sqlite3");
        backup::to_file(&mut desk, &OPERATOR, &copy).unwrap();

        assert!(plain_open_fails(&copy).contains("file is not a database"));
        let mut restored = Desk::open_keyed(&copy, clock(), Some(key)).unwrap();
        assert_eq!(exports(&mut restored), exports(&mut desk));
    }

    #[test]
    fn a_plain_desk_is_encrypted_in_place_and_keeps_every_record() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DATABASE_FILE_NAME);
        let before = exports(&mut desk_with_dana(&path, None));
        assert!(is_plain_database(&path).unwrap());

        let key = DeskKey::generate();
        let mut desk = Desk::open_keyed(&path, clock(), Some(key)).unwrap();
        assert!(!is_plain_database(&path).unwrap());
        assert!(plain_open_fails(&path).contains("file is not a database"));
        assert_eq!(exports(&mut desk), before);
        assert_eq!(front_desk::search(&desk, &OPERATOR, "riv", 5).unwrap().len(), 1, "the search index came along");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .filter(|name| name.ends_with(".encrypting"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn a_migration_cut_off_before_the_swap_leaves_the_original_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DATABASE_FILE_NAME);
        let before = exports(&mut desk_with_dana(&path, None));
        let key = DeskKey::generate();

        // The encrypted copy is complete on disk, and then the power goes.
        let copy = write_encrypted_copy(&path, &key).unwrap();
        assert!(copy.exists());
        assert_eq!(exports(&mut Desk::open(&path, clock()).unwrap()), before, "the original still opens, whole");

        // A half-written copy from an earlier cut is simply made again.
        std::fs::write(&copy, b"half a database").unwrap();
        let mut desk = Desk::open_keyed(&path, clock(), Some(key)).unwrap();
        assert_eq!(exports(&mut desk), before);
        assert!(!copy.exists());
    }

    #[test]
    fn a_passphrase_gives_the_same_key_only_with_the_same_salt() {
        let salt = new_salt();
        let key = DeskKey::from_passphrase("our center's long passphrase", &salt).unwrap();
        assert_eq!(key, DeskKey::from_passphrase("our center's long passphrase", &salt).unwrap());
        assert_ne!(key, DeskKey::from_passphrase("our center's long passphrase", &new_salt()).unwrap());
        assert_ne!(key, DeskKey::from_passphrase("another passphrase", &salt).unwrap());
        assert_eq!(DeskKey::from_hex(&key.to_hex()).unwrap(), key);
        assert!(matches!(DeskKey::from_hex("not hex"), Err(Error::Encryption(EncryptionError::KeyNotUsable))));
        assert_eq!(format!("{key:?}"), "DeskKey(…)");
    }

    #[test]
    fn a_desk_set_up_with_a_passphrase_opens_with_it_and_only_with_it() {
        let dir = tempfile::tempdir().unwrap();
        let before = exports(&mut desk_with_dana(&dir.path().join(DATABASE_FILE_NAME), None));
        let passphrase = "porch light on the corner";

        let refused = choose_passphrase(dir.path(), "too short", "too short").unwrap_err();
        assert_eq!((refused.code(), refused.field()), ("passphrase_too_short", Some("passphrase")));
        let refused = choose_passphrase(dir.path(), passphrase, "porch light on the corned").unwrap_err();
        assert_eq!(refused.field(), Some("passphrase_again"));
        assert_eq!(key_keeping(dir.path()).unwrap(), None, "nothing chosen yet");
        assert!(is_plain_database(&dir.path().join(DATABASE_FILE_NAME)).unwrap());

        let key = choose_passphrase(dir.path(), passphrase, passphrase).unwrap();
        let path = dir.path().join(DATABASE_FILE_NAME);
        assert!(plain_open_fails(&path).contains("file is not a database"));
        assert!(matches!(key_keeping(dir.path()).unwrap(), Some(KeyKeeping::Passphrase { .. })));
        assert!(matches!(
            choose_passphrase(dir.path(), "another long passphrase", "another long passphrase"),
            Err(Error::Encryption(EncryptionError::DeskKeyAlreadyChosen))
        ));

        let bytes = std::fs::read(&path).unwrap();
        let wrong = unlock_with_passphrase(dir.path(), "porch light on the corned").unwrap_err();
        assert_eq!((wrong.code(), wrong.field()), ("wrong_desk_passphrase", Some("passphrase")));
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "a wrong passphrase changes nothing");

        assert_eq!(unlock_with_passphrase(dir.path(), passphrase).unwrap(), key);
        let mut desk = Desk::open_dir_keyed(dir.path(), Some(key)).unwrap();
        assert_eq!(exports(&mut desk), before, "every record came through");
    }

    #[test]
    fn a_desk_whose_key_is_in_the_keychain_notes_only_that() {
        let dir = tempfile::tempdir().unwrap();
        let key = DeskKey::generate();
        keep_in_keychain(dir.path(), &key).unwrap();
        assert_eq!(key_keeping(dir.path()).unwrap(), Some(KeyKeeping::Keychain));
        let note = std::fs::read_to_string(dir.path().join(KEY_NOTE_FILE_NAME)).unwrap();
        assert!(!note.contains(&key.to_hex()), "the key itself is not beside the database");
        assert!(matches!(
            unlock_with_passphrase(dir.path(), "anything at all here"),
            Err(Error::Encryption(EncryptionError::NoDeskPassphrase))
        ));
        assert!(Desk::open_dir_keyed(dir.path(), Some(key)).is_ok());

        std::fs::write(dir.path().join(KEY_NOTE_FILE_NAME), "{ half").unwrap();
        assert!(matches!(key_keeping(dir.path()), Err(Error::Encryption(EncryptionError::KeyNoteDamaged { .. }))));
    }
}
