//! Where the hub keeps what it relays: enrolled devices, one-time enrollment codes, each
//! center's numbered log of changes and the keys its desks hand each other. Tokens and codes are
//! kept only as SHA-256 hashes. [`Store`] is what the API needs; SQLite (one file, the default)
//! and PostgreSQL (a network of many centers) keep it by the same rules and pass the same tests.

mod postgres;
mod sqlite;
mod to_postgres;

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{SecondsFormat, Utc};
use porchlight_protocol::{
    CenterDevice, CenterInfo, Change, ClaimKey, HistoryStaged, JoinRequest, KeyGrants, KeyVerifier, MonthFigures,
    MyKeyGrant, PushResponse, SealedChange,
};
use serde::Serialize;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

pub use self::postgres::PostgresStore;
pub use self::sqlite::{SqliteStore, SCHEMA_VERSION};
pub use self::to_postgres::{move_to_postgres, MoveProgress, Moved};

/// What a hub's first center is called, and the center an older hub's history is placed in.
pub const FIRST_CENTER: &str = "main";

/// Which database a hub keeps: a SQLite file, or a PostgreSQL server.
#[derive(Debug, Clone, PartialEq)]
pub enum Database {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Database {
    /// A `--database-url`: `postgres://…` (or `postgresql://…`), or `sqlite://PATH`.
    pub fn from_url(url: &str) -> StoreResult<Database> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Database::Postgres(url.to_owned()))
        } else if let Some(path) = url.strip_prefix("sqlite://") {
            Ok(Database::Sqlite(PathBuf::from(path)))
        } else {
            Err(StoreError::BadDatabaseUrl(format!(
                "{:?} (expected postgres://user@host/database or sqlite://PATH)",
                redacted(url)
            )))
        }
    }

    /// What to call it in logs and messages, without a password.
    pub fn describe(&self) -> String {
        match self {
            Database::Sqlite(path) => path.display().to_string(),
            Database::Postgres(url) => redacted(url),
        }
    }

    pub fn open(&self) -> StoreResult<Arc<dyn Store>> {
        Ok(match self {
            Database::Sqlite(path) => Arc::new(SqliteStore::open(path)?),
            Database::Postgres(url) => Arc::new(PostgresStore::open(url)?),
        })
    }

    /// [`Database::open`], even where the hub kept a SQLite database that is now missing or
    /// empty: the operator chose to start an empty hub.
    pub fn open_afresh(&self) -> StoreResult<Arc<dyn Store>> {
        Ok(match self {
            Database::Sqlite(path) => Arc::new(SqliteStore::open_afresh(path)?),
            Database::Postgres(url) => Arc::new(PostgresStore::open(url)?),
        })
    }
}

/// A URL with its password replaced, for messages and logs.
fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _password)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// What the hub keeps, whichever database keeps it. Each method is one transaction: it happens
/// whole or not at all.
pub trait Store: Send + Sync {
    /// Whether the store can be read and written as a push would: a full disk, a damaged
    /// database or one that cannot be reached is an error saying which.
    fn health(&self) -> StoreResult<()>;
    /// The centers this hub serves, oldest first, each with how many desks it has enrolled.
    fn centers(&self) -> StoreResult<Vec<Center>>;
    /// Adds a center to the hub; its desks see nothing of the others'.
    fn add_center(&self, name: &str) -> StoreResult<Center>;
    /// Forgets the verifier kept for the center named `name`, so the next desk of the center to
    /// sync registers its own: for a center whose desks found another one kept (registered by
    /// someone else first, before any desk of the center did).
    fn forget_verifier(&self, name: &str) -> StoreResult<()>;
    /// A new one-time code for enrolling a desk of the center named `center`; only its hash is
    /// kept. Without a name: the hub's only center (made, as [`FIRST_CENTER`], on a new hub).
    fn new_enrollment_code(&self, center: Option<&str>) -> StoreResult<String>;
    /// Enrols a desk in the center its code belongs to.
    fn enroll(&self, name: &str, code: &str) -> StoreResult<Enrollment>;
    /// The device a bearer token belongs to, if it is enrolled and not revoked, with its center.
    fn authenticate(&self, token: &str) -> StoreResult<Option<Caller>>;
    /// Stores a batch all together or not at all; a change_id already held is a duplicate.
    fn push(&self, caller: &Caller, changes: &[Change]) -> StoreResult<PushResponse>;
    /// The center's changes after `since`, oldest first, at most `limit`; whether more follow;
    /// and what a desk checks its cursor against. Once a pull has returned a change, no change of
    /// the center numbered before it becomes visible later.
    fn pull(&self, center_id: &str, since: u64, limit: u32) -> StoreResult<Pulled>;
    /// The caller's center: its name and the id of its key.
    fn center_info(&self, caller: &Caller) -> StoreResult<CenterInfo>;
    /// The first desk of a center names the key it made; the first claim wins. With `previous`,
    /// a desk changes the center's key from that one (which must be the current one): every
    /// change then counts as not sealed with the center's key until the history is sealed again.
    fn claim_key(&self, caller: &Caller, claim: &ClaimKey) -> StoreResult<KeyClaim>;
    /// Keeps the verifying half of the center's signing key for a center whose key was named
    /// without one. The center as it stands if its verifier is now `verifier`; `None` if it
    /// keeps another (the first one kept holds).
    fn register_verifier(&self, caller: &Caller, verifier: &KeyVerifier) -> StoreResult<Option<CenterInfo>>;
    /// The desks of the caller's center, oldest first.
    fn center_devices(&self, caller: &Caller) -> StoreResult<Vec<CenterDevice>>;
    /// Keeps the keys sealed to each named desk of the caller's center; a desk of another center
    /// is refused by id.
    fn grant_keys(&self, caller: &Caller, grants: &KeyGrants) -> StoreResult<Result<(), String>>;
    /// The keys granted to the caller, newest first.
    fn my_key_grants(&self, caller: &Caller) -> StoreResult<Vec<MyKeyGrant>>;
    /// The caller asks its center's desks for the key. Asking again replaces what it asked
    /// before (a desk set up afresh has a new key pair).
    fn ask_to_join(&self, caller: &Caller, public_key: &str) -> StoreResult<JoinRequest>;
    /// Desks of the caller's center waiting to be let in (not revoked ones), oldest first.
    fn join_requests(&self, caller: &Caller) -> StoreResult<Vec<JoinRequest>>;
    /// One request of the caller's center.
    fn join_request(&self, caller: &Caller, request_id: &str) -> StoreResult<Option<JoinRequest>>;
    /// The caller no longer asks to join (it took the key from the recovery words).
    fn withdraw_join_request(&self, caller: &Caller, request_id: &str) -> StoreResult<bool>;
    /// A desk of the center lets a waiting desk in with the keys it sealed to that desk.
    fn approve(&self, caller: &Caller, request_id: &str, sealed_keys: &str) -> StoreResult<Approved>;
    /// Stages part of a sealed copy of the caller's readable history. Each change must be one the
    /// hub holds readable, with the same field names.
    fn stage_sealed_history(&self, caller: &Caller, changes: &[SealedChange]) -> StoreResult<Staging>;
    /// Replaces every readable value of the caller's center with the staged sealed copy, all
    /// at once; refused while the copy does not cover every readable change.
    fn commit_sealed_history(&self, caller: &Caller) -> StoreResult<Result<CenterInfo, HistoryStaged>>;
    /// Enrollment codes neither used nor expired, oldest first, for the operator.
    fn unused_enrollment_codes(&self) -> StoreResult<Vec<UnusedCode>>;
    /// Withdraws an unused code, named by its [`UnusedCode::id`] or by the code itself; whether
    /// there was one.
    fn revoke_enrollment_code(&self, id_or_code: &str) -> StoreResult<bool>;
    /// Every enrolled desk of every center, for the operator.
    fn devices(&self) -> StoreResult<Vec<Device>>;
    /// Revokes the device (in `center_id` only, when given); whether there was one.
    fn revoke_where(&self, device_id: &str, center_id: Option<&str>) -> StoreResult<bool>;
    /// The caller's center publishes its figures for a month, in place of any it published
    /// for that month before.
    fn publish_figures(&self, caller: &Caller, figures: &MonthFigures) -> StoreResult<()>;
    /// Every center, oldest first, with its figures for `month` if it published them.
    fn network_figures(&self, month: &str) -> StoreResult<Vec<CenterFigures>>;

    /// A desk of the center revokes another (a lost laptop); `false` if the center has no such desk.
    fn revoke_in_center(&self, caller: &Caller, device_id: &str) -> StoreResult<bool> {
        self.revoke_where(device_id, Some(&caller.center_id))
    }

    /// From now on the device's token is refused. Its changes stay in the log.
    fn revoke(&self, device_id: &str) -> StoreResult<()> {
        if !self.revoke_where(device_id, None)? {
            return Err(StoreError::NoSuchDevice(device_id.to_owned()));
        }
        Ok(())
    }
}

/// A one-time enrollment code is good for a day.
pub(crate) const ENROLLMENT_CODE_LIFETIME_HOURS: i64 = 24;
/// Unambiguous when read aloud or copied from paper: no 0/O, 1/I/L.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the hub database is busy; try again")]
    Busy,
    /// The disk the hub's database lies on is full, or has less room than a push needs (or the
    /// database reached its size limit).
    #[error("the hub's disk is full")]
    DiskFull,
    /// The database's own check found damage, or a read came upon it.
    #[error("the hub's database is damaged: {0}")]
    Damaged(String),
    #[error("hub database error: {0}")]
    Sqlite(rusqlite::Error),
    #[error("PostgreSQL error: {0}")]
    Postgres(String),
    /// The database server cannot be reached now (down, restarting, or the network): try again.
    #[error("cannot reach the hub's database: {0}")]
    Unavailable(String),
    #[error("not a database URL porchlight-hub understands: {0}")]
    BadDatabaseUrl(String),
    #[error("there is no hub database at {}", .0.display())]
    NoSuchFile(PathBuf),
    /// This hub kept its records in a database that is now missing or empty.
    #[error(
        "the hub's database at {} is missing or empty, but this hub kept its records there (since {since}). \
         Put back its last backup (desks then send again what it lost), or start an empty hub, which every desk \
         must enroll with again, with `porchlight-hub serve --start-fresh`",
        .path.display()
    )]
    DatabaseGone { path: PathBuf, since: String },
    /// A newer porchlight-hub made this database: this one would not know what its changes mean.
    #[error("the hub's database is of schema {found}, newer than this porchlight-hub knows ({known}): install the newer porchlight-hub")]
    TooNew { found: i64, known: i64 },
    #[error("cannot write beside the hub's database: {0}")]
    Io(#[from] std::io::Error),
    #[error("the PostgreSQL database already holds a hub: move into an empty database")]
    TargetNotEmpty,
    #[error("the hub's SQLite file holds a value it should not: {0}")]
    UnexpectedValue(String),
    #[error("no device with id {0}")]
    NoSuchDevice(String),
    #[error("no center named {0:?}; `porchlight-hub centers list` shows them")]
    NoSuchCenter(String),
    #[error("this hub serves {0} centers: say which with --center NAME")]
    WhichCenter(usize),
    #[error("a center named {0:?} already exists")]
    CenterExists(String),
    #[error("a center name is 1 to 60 characters")]
    InvalidCenterName,
    #[error("could not start the hub's checkpoint thread: {0}")]
    CheckpointThread(std::io::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, Clone, Serialize)]
pub struct Device {
    pub id: String,
    pub name: String,
    pub enrolled_at: String,
    pub last_seen_at: Option<String>,
    pub revoked_at: Option<String>,
    pub center: String,
}

/// An enrollment code not used yet, as the operator sees it. The hub keeps no code, only its
/// hash, so a code is known by the start of its hash.
#[derive(Debug, Clone, Serialize)]
pub struct UnusedCode {
    pub id: String,
    pub center: String,
    pub created_at: String,
    pub expires_at: String,
}

/// Hex digits of a code's hash that name it: longer than a code, so neither is taken for the other.
pub(crate) const CODE_ID_LENGTH: usize = 12;

/// The id of a code named by its id or by the code itself.
pub(crate) fn code_id(id_or_code: &str) -> String {
    let named = id_or_code.trim();
    let is_id = named.len() == CODE_ID_LENGTH && named.bytes().all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'));
    if is_id {
        named.to_owned()
    } else {
        hash(&normalize_code(named))[..CODE_ID_LENGTH].to_owned()
    }
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth: Option<String>,
}

/// A page of a center's changes, and what shows a desk that its cursor counts in the numbering
/// this hub holds: the center's history, and which change holds the number the desk asked after.
pub struct Pulled {
    pub changes: Vec<StoredChange>,
    pub has_more: bool,
    pub history: String,
    /// The change numbered `since`; `None` for 0, or a number the center has not reached.
    pub since_change_id: Option<String>,
}

pub enum Enrollment {
    Enrolled { device_id: String, token: String },
    CodeRefused,
}

/// The desk a bearer token belongs to, its center, the key that center seals with, and the
/// verifying half of that key's signing key.
#[derive(Debug, Clone)]
pub struct Caller {
    pub device_id: String,
    pub center_id: String,
    pub key_id: Option<String>,
    pub key_verifier: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Center {
    pub id: String,
    pub name: String,
    pub created_at: String,
    pub key_id: Option<String>,
    pub devices: u64,
}

/// A center of the network and what it published for a month.
#[derive(Debug, Clone, PartialEq)]
pub struct CenterFigures {
    pub center: String,
    /// `None` when the center has not published that month.
    pub figures: Option<MonthFigures>,
    pub published_at: Option<String>,
}

/// What became of a desk's claim to have made its center's key.
pub enum KeyClaim {
    /// The center seals with this key from now on (or already did).
    Taken(CenterInfo),
    /// Another desk made the center's key first: this one asks to join instead.
    AlreadyMade(CenterInfo),
}

/// What became of a page of a sealed copy of the history.
pub enum Staging {
    Staged(HistoryStaged),
    /// The change at this index (with this seq) is not one the hub holds readable.
    NotReadable(usize, u64),
    /// The change at this index does not set the same fields as the one it copies.
    OtherFields(usize, u64),
}

/// What became of an approval.
pub enum Approved {
    Done(JoinRequest),
    NoSuchRequest,
    AlreadyApproved,
}

/// Figures as the hub keeps them: their JSON.
pub(crate) fn figures_text(figures: &MonthFigures) -> String {
    serde_json::to_string(figures).expect("figures serialise")
}

/// Figures the hub kept; `None` if they no longer read as figures (never written so).
pub(crate) fn figures_from(text: &str) -> Option<MonthFigures> {
    serde_json::from_str(text).ok()
}

/// A center's name as typed, trimmed; refused when empty or too long.
pub(crate) fn center_name(name: &str) -> StoreResult<&str> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(StoreError::InvalidCenterName);
    }
    Ok(name)
}

/// A new enrollment code, 8 characters from [`CODE_ALPHABET`].
pub(crate) fn new_code() -> String {
    random_bytes::<8>().iter().map(|byte| CODE_ALPHABET[*byte as usize % CODE_ALPHABET.len()] as char).collect()
}

/// A new bearer token: 256 random bits in hex.
pub(crate) fn random_token() -> String {
    to_hex(&random_bytes::<32>())
}

pub(crate) fn empty_object() -> Box<RawValue> {
    RawValue::from_string("{}".to_owned()).expect("valid JSON")
}

pub(crate) fn stamp(time: chrono::DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Codes are typed by people: ignore case, spaces and dashes.
pub(crate) fn normalize_code(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

pub(crate) fn hash(secret: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_named_by_its_id_or_by_itself_typed_any_way() {
        let id = &hash("K7QMN4XP")[..CODE_ID_LENGTH];
        assert_eq!(code_id(id), id);
        assert_eq!(code_id("k7qm-n4xp"), id);
        assert_eq!(code_id(" K7QM N4XP "), id);
    }
}
