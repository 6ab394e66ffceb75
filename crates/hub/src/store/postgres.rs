//! The hub's store on PostgreSQL, for a network of many centers: the same tables as on SQLite,
//! its own numbered migrations, and a pool of connections so centers push side by side.
//!
//! **No desk skips a change.** A pull returns a center's changes with `seq` above the desk's
//! cursor, so a change may only become visible after every change of its center numbered
//! before it. Each center numbers its own changes from its row's `last_seq`, and every push
//! first locks that row (`SELECT … FOR UPDATE`) and holds the lock until it commits: a center's
//! pushes take their numbers and commit one after another, while different centers push in
//! parallel.

use std::collections::HashMap;
use std::ops::{Deref, DerefMut};
use std::time::Duration;

use chrono::Utc;
use porchlight_protocol::{
    overwrite_erased, CenterDevice, CenterInfo, Change, ClaimKey, HistoryStaged, JoinRequest, KeyGrants, KeyVerifier,
    LogPosition, MonthFigures, MyKeyGrant, PushResponse, SealedChange,
};
use postgres::{GenericClient, NoTls, Statement, Transaction};
use serde_json::value::RawValue;

use super::{
    center_name, code_id, empty_object, figures_from, figures_text, hash, new_code, normalize_code, random_token,
    stamp, Approved, Caller, Center, CenterFigures, Device, Enrollment, KeyClaim, Pulled, Staging, Store, StoreError,
    StoreResult, StoredChange, UnusedCode, CODE_ID_LENGTH, ENROLLMENT_CODE_LIFETIME_HOURS, FIRST_CENTER,
};

/// Numbered migrations, each applied once in its own transaction, in order; `hub_migrations`
/// records those a hub has had.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/postgres/001_centers_devices_changes.sql"),
    include_str!("../../migrations/postgres/002_published_figures.sql"),
    include_str!("../../migrations/postgres/003_proven_changes.sql"),
    include_str!("../../migrations/postgres/004_center_verifier.sql"),
    include_str!("../../migrations/postgres/005_change_ids_within_centers.sql"),
    include_str!("../../migrations/postgres/006_numbered_by_center.sql"),
    include_str!("../../migrations/postgres/007_hub_health.sql"),
];

/// Connections kept open for the hub's requests; PostgreSQL's default allows 100 in all.
const POOL_SIZE: u32 = 16;
/// How long a command waits for PostgreSQL before saying it cannot reach it.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

type Pool = r2d2::Pool<Connections>;

/// Opens the pool's connections, each with the statements it has prepared.
struct Connections {
    config: postgres::Config,
}

/// A connection and the statements prepared on it: a statement prepared once answers in one
/// round trip, where SQL sent as text takes two (prepare, then run).
struct Connection {
    client: postgres::Client,
    statements: HashMap<&'static str, Statement>,
}

impl Connection {
    fn statement(&mut self, sql: &'static str) -> Result<Statement, postgres::Error> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(sql)?;
        self.statements.insert(sql, statement.clone());
        Ok(statement)
    }
}

impl Deref for Connection {
    type Target = postgres::Client;
    fn deref(&self) -> &postgres::Client {
        &self.client
    }
}

impl DerefMut for Connection {
    fn deref_mut(&mut self) -> &mut postgres::Client {
        &mut self.client
    }
}

impl r2d2::ManageConnection for Connections {
    type Connection = Connection;
    type Error = postgres::Error;

    fn connect(&self) -> Result<Connection, postgres::Error> {
        Ok(Connection { client: self.config.connect(NoTls)?, statements: HashMap::new() })
    }

    fn is_valid(&self, connection: &mut Connection) -> Result<(), postgres::Error> {
        connection.client.simple_query("").map(|_| ())
    }

    fn has_broken(&self, connection: &mut Connection) -> bool {
        connection.client.is_closed()
    }
}

pub struct PostgresStore {
    /// Always there but while the store is dropped.
    pool: Option<Pool>,
}

impl Drop for PostgresStore {
    /// Closing a connection blocks on its own small runtime, which may not start inside the
    /// hub's async runtime (where `serve` ends): the pool is closed on a thread of its own.
    fn drop(&mut self) {
        if let Some(pool) = self.pool.take() {
            let _ = std::thread::spawn(move || drop(pool)).join();
        }
    }
}

impl PostgresStore {
    /// Connects to `url` (`postgres://user:password@host:port/database`) and brings its schema
    /// up to date. A server that does not answer is an error within a few seconds, never a wait.
    pub fn open(url: &str) -> StoreResult<PostgresStore> {
        let config = config(url)?;
        // Checked before the pool is built: the pool would retry a refused connection until its
        // timeout and then report only that it timed out.
        let mut first = config.connect(NoTls).map_err(unavailable)?;
        migrate(&mut first)?;
        drop(first);
        let pool = r2d2::Pool::builder()
            .max_size(POOL_SIZE)
            .min_idle(Some(2))
            .connection_timeout(CONNECT_TIMEOUT)
            .error_handler(Box::new(r2d2::LoggingErrorHandler))
            .build(Connections { config })
            .map_err(|err| StoreError::Unavailable(err.to_string()))?;
        Ok(PostgresStore { pool: Some(pool) })
    }

    fn client(&self) -> StoreResult<r2d2::PooledConnection<Connections>> {
        let pool = self.pool.as_ref().expect("the pool lives as long as the store");
        pool.get().map_err(|err| StoreError::Unavailable(err.to_string()))
    }

    /// Runs `work` in one transaction; nothing it wrote stays if it fails or the server goes away.
    fn in_transaction<T>(&self, work: impl FnOnce(&mut Transaction) -> StoreResult<T>) -> StoreResult<T> {
        let mut client = self.client()?;
        let mut tx = client.transaction()?;
        let result = work(&mut tx)?;
        tx.commit()?;
        Ok(result)
    }
}

impl From<postgres::Error> for StoreError {
    fn from(err: postgres::Error) -> Self {
        use postgres::error::SqlState;
        if err.code() == Some(&SqlState::DISK_FULL) {
            return StoreError::DiskFull;
        }
        if matches!(err.code(), Some(code) if *code == SqlState::DATA_CORRUPTED || *code == SqlState::INDEX_CORRUPTED) {
            return StoreError::Damaged(with_causes(&err));
        }
        if err.is_closed() || err.code().is_none() {
            // The connection broke or never answered: the server went away or is restarting.
            StoreError::Unavailable(with_causes(&err))
        } else {
            StoreError::Postgres(with_causes(&err))
        }
    }
}

fn unavailable(err: postgres::Error) -> StoreError {
    StoreError::Unavailable(with_causes(&err))
}

/// "error connecting to server: Connection refused (os error 111)", not only its first half.
fn with_causes(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut cause = err.source();
    while let Some(inner) = cause {
        let text = inner.to_string();
        if !message.contains(&text) {
            message = format!("{message}: {text}");
        }
        cause = inner.source();
    }
    message
}

/// Applies the migrations this hub has not, each in its own transaction (a savepoint when
/// `client` is itself a transaction); an advisory lock keeps two hubs starting at once from
/// applying one twice.
pub(super) fn migrate(client: &mut impl GenericClient) -> StoreResult<()> {
    for (index, migration) in MIGRATIONS.iter().enumerate() {
        let version = index as i32 + 1;
        let mut tx = client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock(7406551)", &[])?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS hub_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
        )?;
        let applied = tx.query_opt("SELECT 1 FROM hub_migrations WHERE version = $1", &[&version])?.is_some();
        if !applied {
            tx.batch_execute(migration)?;
            tx.execute(
                "INSERT INTO hub_migrations (version, applied_at) VALUES ($1, $2)",
                &[&version, &stamp(Utc::now())],
            )?;
        }
        tx.commit()?;
    }
    let mut tx = client.transaction()?;
    name_histories(&mut tx)?;
    tx.commit()?;
    Ok(())
}

/// A connection to `url`, given up on after [`CONNECT_TIMEOUT`].
pub(super) fn connect(url: &str) -> StoreResult<postgres::Client> {
    config(url)?.connect(NoTls).map_err(unavailable)
}

fn config(url: &str) -> StoreResult<postgres::Config> {
    let mut config: postgres::Config =
        url.parse().map_err(|err: postgres::Error| StoreError::BadDatabaseUrl(err.to_string()))?;
    config.connect_timeout(CONNECT_TIMEOUT).application_name("porchlight-hub");
    Ok(config)
}

fn insert_center(tx: &mut impl GenericClient, name: &str) -> StoreResult<String> {
    let id = uuid::Uuid::now_v7().to_string();
    tx.execute(
        "INSERT INTO centers (id, name, created_at, history) VALUES ($1, $2, $3, $4)",
        &[&id, &name, &stamp(Utc::now()), &uuid::Uuid::now_v7().to_string()],
    )?;
    Ok(id)
}

/// Gives each center numbered before histories were named (migration 6) one.
fn name_histories(client: &mut impl GenericClient) -> StoreResult<()> {
    for row in client.query("SELECT id FROM centers WHERE history IS NULL", &[])? {
        let id: String = row.get(0);
        client.execute(
            "UPDATE centers SET history = $2 WHERE id = $1 AND history IS NULL",
            &[&id, &uuid::Uuid::now_v7().to_string()],
        )?;
    }
    Ok(())
}

/// The center's history and the number its newest change took.
fn numbering(client: &mut impl GenericClient, center_id: &str) -> StoreResult<(String, i64)> {
    let row = client.query_one("SELECT history, last_seq FROM centers WHERE id = $1", &[&center_id])?;
    Ok((row.get(0), row.get(1)))
}

fn center_named(client: &mut impl GenericClient, name: &str) -> StoreResult<Option<String>> {
    Ok(client.query_opt("SELECT id FROM centers WHERE name = $1", &[&name])?.map(|row| row.get(0)))
}

/// The center, where its log stands and how many desks wait to join, in one read.
fn center_info(client: &mut impl GenericClient, center_id: &str) -> StoreResult<CenterInfo> {
    let row = client.query_one(
        "SELECT c.name, c.key_id, c.readable_changes, c.key_verifier, c.last_seq, c.history,
                (SELECT change_id FROM changes WHERE center_id = c.id AND seq = c.last_seq),
                (SELECT COUNT(*) FROM join_requests r JOIN devices d ON d.id = r.device_id
                 WHERE r.center_id = c.id AND r.sealed_keys IS NULL AND d.revoked_at IS NULL)
         FROM centers c WHERE c.id = $1",
        &[&center_id],
    )?;
    Ok(CenterInfo {
        center: row.get(0),
        key_id: row.get(1),
        readable_changes: row.get::<_, i64>(2) as u64,
        key_verifier: row.get(3),
        log: Some(LogPosition {
            last_seq: row.get::<_, i64>(4) as u64,
            history: row.get(5),
            last_change_id: row.get(6),
        }),
        waiting_to_join: Some(row.get::<_, i64>(7) as u64),
    })
}

const JOIN_REQUEST_SELECT: &str = "SELECT r.id, r.device_id, d.name, r.public_key, r.requested_at, r.sealed_keys
     FROM join_requests r JOIN devices d ON d.id = r.device_id";

fn join_request_from_row(row: &postgres::Row) -> JoinRequest {
    JoinRequest {
        request_id: row.get(0),
        device_id: row.get(1),
        desk_name: row.get(2),
        public_key: row.get(3),
        requested_at: row.get(4),
        sealed_keys: row.get(5),
    }
}

fn join_request(
    client: &mut impl GenericClient,
    center_id: &str,
    request_id: &str,
) -> StoreResult<Option<JoinRequest>> {
    let sql = format!("{JOIN_REQUEST_SELECT} WHERE r.center_id = $1 AND r.id = $2");
    Ok(client.query_opt(&sql, &[&center_id, &request_id])?.as_ref().map(join_request_from_row))
}

/// As on SQLite: a change is to copy while it is not proven with the center's current key, or
/// any of its values is not sealed with it.
fn history_staged(client: &mut impl GenericClient, center_id: &str) -> StoreResult<HistoryStaged> {
    let row = client.query_one(
        "SELECT COUNT(h.seq), COUNT(*) FROM changes c
         JOIN centers k ON k.id = c.center_id
         LEFT JOIN sealed_history h ON h.center_id = c.center_id AND h.seq = c.seq
         WHERE c.center_id = $1 AND NOT c.sealed
           AND (c.auth IS NULL OR left(c.auth, 37) <> 'pa2.' || k.key_id || '.'
                OR EXISTS (SELECT 1 FROM jsonb_each(c.fields::jsonb) AS f (name, value)
                           WHERE NOT (jsonb_typeof(f.value) = 'string'
                                      AND left(f.value #>> '{}', 37) = 'pl2.' || k.key_id || '.')))",
        &[&center_id],
    )?;
    Ok(HistoryStaged { staged: row.get::<_, i64>(0) as u64, readable: row.get::<_, i64>(1) as u64 })
}

/// A change's fields as the hub stores them: with the values its record's erasure replaced,
/// when the center has erased anything (else no lookup).
fn fields_as_they_arrive(
    tx: &mut Transaction,
    center_id: &str,
    change: &Change,
    erasures_here: bool,
) -> StoreResult<String> {
    let mut fields = change.fields.clone();
    if erasures_here {
        let row = tx.query_opt(
            "SELECT fields FROM erasures WHERE center_id = $1 AND entity = $2 AND record_id = $3",
            &[&center_id, &change.entity, &change.id],
        )?;
        let erased = row.and_then(|row| serde_json::from_str(row.get::<_, &str>(0)).ok()).unwrap_or_default();
        overwrite_erased(&mut fields, &erased);
    }
    Ok(serde_json::Value::Object(fields).to_string())
}

/// As on SQLite: earlier changes to an erased record hold the erasing change's values from now on.
fn erase_earlier(tx: &mut Transaction, center_id: &str, erasing: &Change) -> StoreResult<()> {
    let earlier = tx.query(
        "SELECT seq, fields FROM changes WHERE center_id = $1 AND entity = $2 AND record_id = $3 AND change_id != $4",
        &[&center_id, &erasing.entity, &erasing.id, &erasing.change_id],
    )?;
    let erased = erasing.erased_values();
    for row in earlier {
        let seq: i64 = row.get(0);
        let Ok(mut fields) = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(row.get(1)) else {
            continue;
        };
        if overwrite_erased(&mut fields, &erased) {
            tx.execute(
                "UPDATE changes SET fields = $3 WHERE center_id = $1 AND seq = $2",
                &[&center_id, &seq, &serde_json::Value::Object(fields).to_string()],
            )?;
        }
    }
    tx.execute(
        "INSERT INTO erasures (center_id, entity, record_id, fields) VALUES ($1, $2, $3, $4)
         ON CONFLICT (center_id, entity, record_id) DO UPDATE SET fields = excluded.fields",
        &[&center_id, &erasing.entity, &erasing.id, &serde_json::Value::Object(erased).to_string()],
    )?;
    Ok(())
}

/// A batch holding an erasing change, stored change by change: each change to an erased record
/// arrives erased, and an erasing change rewrites the record's earlier changes once it is in.
/// How many were new, and the highest number given.
fn push_one_by_one(
    tx: &mut Transaction,
    caller: &Caller,
    changes: &[Change],
    mut erasures_here: bool,
    received_at: &str,
    mut last_seq: i64,
) -> StoreResult<(usize, i64)> {
    let mut accepted = 0;
    for change in changes {
        let fields = fields_as_they_arrive(tx, &caller.center_id, change, erasures_here)?;
        let stored = tx.query_opt(
            "INSERT INTO changes
                 (change_id, device_id, entity, record_id, op, fields, hlc, received_at, changed_by, center_id, sealed,
                  auth, seq)
             SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::BOOLEAN, $12, $13
             WHERE NOT EXISTS (SELECT 1 FROM changes WHERE center_id = $10 AND change_id = $1)
             ON CONFLICT (center_id, change_id) DO NOTHING
             RETURNING seq",
            &[
                &change.change_id,
                &caller.device_id,
                &change.entity,
                &change.id,
                &change.op.as_str(),
                &fields,
                &change.hlc,
                &received_at,
                &change.by,
                &caller.center_id,
                &caller.key_id.is_some(),
                &change.auth,
                &(last_seq + 1),
            ],
        )?;
        let Some(stored) = stored else { continue };
        last_seq = stored.get(0);
        if !change.erase.is_empty() {
            erase_earlier(tx, &caller.center_id, change)?;
            erasures_here = true;
        }
        accepted += 1;
    }
    Ok((accepted, last_seq))
}

impl Store for PostgresStore {
    fn health(&self) -> StoreResult<()> {
        self.in_transaction(|tx| {
            tx.execute(
                "INSERT INTO hub_health (id, checked_at) VALUES (1, $1)
                 ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at",
                &[&stamp(Utc::now())],
            )?;
            tx.query_one("SELECT COUNT(*) FROM centers", &[])?;
            Ok(())
        })
    }

    fn centers(&self) -> StoreResult<Vec<Center>> {
        let rows = self.client()?.query(
            "SELECT c.id, c.name, c.created_at, c.key_id,
                    (SELECT COUNT(*) FROM devices d WHERE d.center_id = c.id AND d.revoked_at IS NULL)
             FROM centers c ORDER BY c.created_at, c.name",
            &[],
        )?;
        Ok(rows
            .iter()
            .map(|row| Center {
                id: row.get(0),
                name: row.get(1),
                created_at: row.get(2),
                key_id: row.get(3),
                devices: row.get::<_, i64>(4) as u64,
            })
            .collect())
    }

    fn add_center(&self, name: &str) -> StoreResult<Center> {
        let name = center_name(name)?;
        self.in_transaction(|tx| {
            // Two operators adding one name at once: the second waits here, then finds it.
            tx.execute("LOCK TABLE centers IN SHARE ROW EXCLUSIVE MODE", &[])?;
            if center_named(tx, name)?.is_some() {
                return Err(StoreError::CenterExists(name.to_owned()));
            }
            let id = insert_center(tx, name)?;
            let created_at: String = tx.query_one("SELECT created_at FROM centers WHERE id = $1", &[&id])?.get(0);
            Ok(Center { id, name: name.to_owned(), created_at, key_id: None, devices: 0 })
        })
    }

    fn new_enrollment_code(&self, center: Option<&str>) -> StoreResult<String> {
        let code = new_code();
        let now = Utc::now();
        self.in_transaction(|tx| {
            tx.execute("LOCK TABLE centers IN SHARE ROW EXCLUSIVE MODE", &[])?;
            let center_id = match center {
                Some(name) => {
                    center_named(tx, name.trim())?.ok_or_else(|| StoreError::NoSuchCenter(name.to_owned()))?
                }
                None => {
                    let ids: Vec<String> =
                        tx.query("SELECT id FROM centers", &[])?.iter().map(|row| row.get(0)).collect();
                    match ids.as_slice() {
                        [] => insert_center(tx, FIRST_CENTER)?,
                        [only] => only.clone(),
                        many => return Err(StoreError::WhichCenter(many.len())),
                    }
                }
            };
            tx.execute(
                "INSERT INTO enrollment_codes (code_hash, created_at, expires_at, center_id) VALUES ($1, $2, $3, $4)",
                &[
                    &hash(&normalize_code(&code)),
                    &stamp(now),
                    &stamp(now + chrono::Duration::hours(ENROLLMENT_CODE_LIFETIME_HOURS)),
                    &center_id,
                ],
            )?;
            Ok(())
        })?;
        Ok(format!("{}-{}", &code[..4], &code[4..]))
    }

    fn enroll(&self, name: &str, code: &str) -> StoreResult<Enrollment> {
        let now = stamp(Utc::now());
        let code_hash = hash(&normalize_code(code));
        self.in_transaction(|tx| {
            // FOR UPDATE: two desks typing one code at once, only one is enrolled.
            let Some(row) = tx.query_opt(
                "SELECT center_id FROM enrollment_codes WHERE code_hash = $1 AND used_by IS NULL AND expires_at > $2
                 FOR UPDATE",
                &[&code_hash, &now],
            )?
            else {
                return Ok(Enrollment::CodeRefused);
            };
            let center_id: String = row.get(0);
            let device_id = uuid::Uuid::now_v7().to_string();
            let token = random_token();
            tx.execute(
                "INSERT INTO devices (id, name, token_hash, enrolled_at, center_id) VALUES ($1, $2, $3, $4, $5)",
                &[&device_id, &name, &hash(&token), &now, &center_id],
            )?;
            tx.execute("UPDATE enrollment_codes SET used_by = $2 WHERE code_hash = $1", &[&code_hash, &device_id])?;
            Ok(Enrollment::Enrolled { device_id, token })
        })
    }

    fn authenticate(&self, token: &str) -> StoreResult<Option<Caller>> {
        let mut connection = self.client()?;
        let caller = connection.statement(
            "SELECT d.id, d.center_id, c.key_id, c.key_verifier FROM devices d JOIN centers c ON c.id = d.center_id
             WHERE d.token_hash = $1 AND d.revoked_at IS NULL",
        )?;
        let Some(row) = connection.query_opt(&caller, &[&hash(token)])? else { return Ok(None) };
        let caller =
            Caller { device_id: row.get(0), center_id: row.get(1), key_id: row.get(2), key_verifier: row.get(3) };
        let seen = connection.statement(
            "UPDATE devices SET last_seen_at = $2 WHERE id = $1 AND (last_seen_at IS NULL OR last_seen_at < $3)",
        )?;
        let now = Utc::now();
        connection.execute(&seen, &[&caller.device_id, &stamp(now), &stamp(now - chrono::Duration::minutes(1))])?;
        Ok(Some(caller))
    }

    fn push(&self, caller: &Caller, changes: &[Change]) -> StoreResult<PushResponse> {
        let received_at = stamp(Utc::now());
        let mut connection = self.client()?;
        // The center's pushes number and commit one after another (see the module's notes).
        let lock = connection.statement(
            "SELECT EXISTS (SELECT 1 FROM erasures WHERE center_id = $1), history, last_seq
             FROM centers WHERE id = $1 FOR UPDATE",
        )?;
        // The batch in one statement, numbered in its order after $13; a change already held
        // takes no number, and ON CONFLICT only absorbs a repeat within the batch (its number is
        // left unused, which skips nothing).
        let insert = connection.statement(
            "INSERT INTO changes
                 (seq, change_id, device_id, entity, record_id, op, fields, hlc, received_at, changed_by, center_id,
                  sealed, auth)
             SELECT $13 + ROW_NUMBER() OVER (ORDER BY u.position), u.change_id, $2, u.entity, u.record_id, u.op,
                    u.fields, u.hlc, $3, u.changed_by, $4, $5, u.auth
             FROM UNNEST($1::TEXT[], $6::TEXT[], $7::TEXT[], $8::TEXT[], $9::TEXT[], $10::TEXT[], $11::TEXT[],
                         $12::TEXT[])
                  WITH ORDINALITY AS u (change_id, entity, record_id, op, fields, hlc, changed_by, auth, position)
             WHERE NOT EXISTS (SELECT 1 FROM changes c WHERE c.center_id = $4 AND c.change_id = u.change_id)
             ORDER BY u.position
             ON CONFLICT (center_id, change_id) DO NOTHING
             RETURNING seq",
        )?;
        let mut tx = connection.transaction()?;
        let row = tx.query_one(&lock, &[&caller.center_id])?;
        let (erasures_here, history, mut last_seq): (bool, String, i64) = (row.get(0), row.get(1), row.get(2));
        let accepted = if changes.iter().any(|change| !change.erase.is_empty()) {
            // An erasing change rewrites what came before it: one change at a time.
            let (accepted, last) = push_one_by_one(&mut tx, caller, changes, erasures_here, &received_at, last_seq)?;
            last_seq = last_seq.max(last);
            accepted
        } else {
            let mut fields = Vec::with_capacity(changes.len());
            for change in changes {
                fields.push(fields_as_they_arrive(&mut tx, &caller.center_id, change, erasures_here)?);
            }
            let column = |field: fn(&Change) -> Option<&str>| changes.iter().map(field).collect::<Vec<_>>();
            let stored = tx.query(
                &insert,
                &[
                    &column(|change| Some(&change.change_id)),
                    &caller.device_id,
                    &received_at,
                    &caller.center_id,
                    &caller.key_id.is_some(),
                    &column(|change| Some(&change.entity)),
                    &column(|change| Some(&change.id)),
                    &column(|change| Some(change.op.as_str())),
                    &fields,
                    &column(|change| Some(&change.hlc)),
                    &column(|change| change.by.as_deref()),
                    &column(|change| change.auth.as_deref()),
                    &last_seq,
                ],
            )?;
            last_seq = stored.iter().map(|row| row.get::<_, i64>(0)).fold(last_seq, i64::max);
            stored.len()
        };
        if accepted > 0 {
            let readable = if caller.key_id.is_none() { accepted as i64 } else { 0 };
            tx.execute(
                "UPDATE centers SET last_seq = $2, readable_changes = readable_changes + $3 WHERE id = $1",
                &[&caller.center_id, &last_seq, &readable],
            )?;
        }
        tx.commit()?;
        let accepted = accepted as u64;
        let duplicates = changes.len() as u64 - accepted;
        Ok(PushResponse { accepted, duplicates, last_seq: last_seq as u64, history })
    }

    fn pull(&self, center_id: &str, since: u64, limit: u32) -> StoreResult<Pulled> {
        let mut connection = self.client()?;
        let since = since.min(i64::MAX as u64) as i64;
        let page = connection.statement(
            "SELECT seq, device_id, change_id, entity, record_id, op, fields, hlc, changed_by, auth FROM changes
             WHERE center_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        )?;
        let rows = connection.query(&page, &[&center_id, &since, &(limit as i64 + 1)])?;
        let mut changes: Vec<StoredChange> = rows
            .into_iter()
            .map(|row| StoredChange {
                seq: row.get::<_, i64>(0) as u64,
                device_id: row.get(1),
                change_id: row.get(2),
                entity: row.get(3),
                id: row.get(4),
                op: row.get(5),
                fields: RawValue::from_string(row.get(6)).unwrap_or_else(|_| empty_object()),
                hlc: row.get(7),
                by: row.get(8),
                auth: row.get(9),
            })
            .collect();
        let has_more = changes.len() > limit as usize;
        changes.truncate(limit as usize);
        let (history, _) = numbering(&mut **connection, center_id)?;
        let at_since = connection.statement("SELECT change_id FROM changes WHERE center_id = $1 AND seq = $2")?;
        let since_change_id = connection.query_opt(&at_since, &[&center_id, &since])?.map(|row| row.get(0));
        Ok(Pulled { changes, has_more, history, since_change_id })
    }

    fn center_info(&self, caller: &Caller) -> StoreResult<CenterInfo> {
        center_info(&mut **self.client()?, &caller.center_id)
    }

    fn claim_key(&self, caller: &Caller, claim: &ClaimKey) -> StoreResult<KeyClaim> {
        let (key_id, verifier) = (claim.key_id.as_str(), claim.verifying_key.as_deref());
        self.in_transaction(|tx| {
            match claim.previous.as_deref() {
                None => {
                    tx.execute(
                        "UPDATE centers SET key_id = $2, key_verifier = $3 WHERE id = $1 AND key_id IS NULL",
                        &[&caller.center_id, &key_id, &verifier],
                    )?;
                }
                Some(previous) if previous != key_id => {
                    let changed = tx.execute(
                        "UPDATE centers SET key_id = $2, key_verifier = $4 WHERE id = $1 AND key_id = $3",
                        &[&caller.center_id, &key_id, &previous, &verifier],
                    )?;
                    if changed == 1 {
                        tx.execute("UPDATE changes SET sealed = FALSE WHERE center_id = $1", &[&caller.center_id])?;
                        tx.execute("DELETE FROM sealed_history WHERE center_id = $1", &[&caller.center_id])?;
                        tx.execute(
                            "UPDATE centers SET readable_changes = (SELECT COUNT(*) FROM changes WHERE center_id = $1)
                             WHERE id = $1",
                            &[&caller.center_id],
                        )?;
                    }
                }
                Some(_) => {}
            }
            let info = center_info(tx, &caller.center_id)?;
            Ok(if info.key_id.as_deref() == Some(key_id) { KeyClaim::Taken(info) } else { KeyClaim::AlreadyMade(info) })
        })
    }

    fn register_verifier(&self, caller: &Caller, verifier: &KeyVerifier) -> StoreResult<Option<CenterInfo>> {
        let mut client = self.client()?;
        client.execute(
            "UPDATE centers SET key_verifier = $3 WHERE id = $1 AND key_id = $2 AND key_verifier IS NULL",
            &[&caller.center_id, &verifier.key_id, &verifier.verifying_key],
        )?;
        let info = center_info(&mut **client, &caller.center_id)?;
        Ok((info.key_verifier.as_deref() == Some(verifier.verifying_key.as_str())).then_some(info))
    }

    fn center_devices(&self, caller: &Caller) -> StoreResult<Vec<CenterDevice>> {
        let rows = self.client()?.query(
            "SELECT id, name, enrolled_at, last_seen_at, revoked_at FROM devices WHERE center_id = $1
             ORDER BY enrolled_at, id",
            &[&caller.center_id],
        )?;
        Ok(rows
            .iter()
            .map(|row| CenterDevice {
                device_id: row.get(0),
                name: row.get(1),
                enrolled_at: row.get(2),
                last_seen_at: row.get(3),
                revoked_at: row.get(4),
            })
            .collect())
    }

    fn grant_keys(&self, caller: &Caller, grants: &KeyGrants) -> StoreResult<Result<(), String>> {
        let now = stamp(Utc::now());
        self.in_transaction(|tx| {
            for grant in &grants.grants {
                let ours = tx
                    .query_opt(
                        "SELECT 1 FROM devices WHERE id = $1 AND center_id = $2",
                        &[&grant.device_id, &caller.center_id],
                    )?
                    .is_some();
                if !ours {
                    return Ok(Err(grant.device_id.clone()));
                }
                tx.execute(
                    "INSERT INTO key_grants (center_id, device_id, key_id, sealed_keys, granted_at)
                     VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (device_id, key_id) DO UPDATE
                         SET center_id = excluded.center_id, sealed_keys = excluded.sealed_keys,
                             granted_at = excluded.granted_at",
                    &[&caller.center_id, &grant.device_id, &grants.key_id, &grant.sealed_keys, &now],
                )?;
            }
            Ok(Ok(()))
        })
    }

    fn my_key_grants(&self, caller: &Caller) -> StoreResult<Vec<MyKeyGrant>> {
        let rows = self.client()?.query(
            "SELECT key_id, sealed_keys FROM key_grants WHERE device_id = $1 AND center_id = $2
             ORDER BY granted_at DESC, key_id",
            &[&caller.device_id, &caller.center_id],
        )?;
        Ok(rows.iter().map(|row| MyKeyGrant { key_id: row.get(0), sealed_keys: row.get(1) }).collect())
    }

    fn ask_to_join(&self, caller: &Caller, public_key: &str) -> StoreResult<JoinRequest> {
        self.in_transaction(|tx| {
            tx.execute("DELETE FROM join_requests WHERE device_id = $1", &[&caller.device_id])?;
            let id = uuid::Uuid::now_v7().to_string();
            tx.execute(
                "INSERT INTO join_requests (id, center_id, device_id, public_key, requested_at)
                 VALUES ($1, $2, $3, $4, $5)",
                &[&id, &caller.center_id, &caller.device_id, &public_key, &stamp(Utc::now())],
            )?;
            Ok(join_request(tx, &caller.center_id, &id)?.expect("just inserted"))
        })
    }

    fn join_requests(&self, caller: &Caller) -> StoreResult<Vec<JoinRequest>> {
        let sql = format!(
            "{JOIN_REQUEST_SELECT} WHERE r.center_id = $1 AND r.sealed_keys IS NULL AND d.revoked_at IS NULL
             ORDER BY r.requested_at, r.id"
        );
        Ok(self.client()?.query(&sql, &[&caller.center_id])?.iter().map(join_request_from_row).collect())
    }

    fn join_request(&self, caller: &Caller, request_id: &str) -> StoreResult<Option<JoinRequest>> {
        join_request(&mut **self.client()?, &caller.center_id, request_id)
    }

    fn withdraw_join_request(&self, caller: &Caller, request_id: &str) -> StoreResult<bool> {
        let withdrawn = self
            .client()?
            .execute("DELETE FROM join_requests WHERE id = $1 AND device_id = $2", &[&request_id, &caller.device_id])?;
        Ok(withdrawn == 1)
    }

    fn approve(&self, caller: &Caller, request_id: &str, sealed_keys: &str) -> StoreResult<Approved> {
        self.in_transaction(|tx| {
            tx.execute("SELECT 1 FROM join_requests WHERE id = $1 FOR UPDATE", &[&request_id])?;
            let Some(request) = join_request(tx, &caller.center_id, request_id)? else {
                return Ok(Approved::NoSuchRequest);
            };
            if request.sealed_keys.is_some() {
                return Ok(Approved::AlreadyApproved);
            }
            tx.execute(
                "UPDATE join_requests SET sealed_keys = $2, approved_by = $3, approved_at = $4 WHERE id = $1",
                &[&request_id, &sealed_keys, &caller.device_id, &stamp(Utc::now())],
            )?;
            Ok(Approved::Done(join_request(tx, &caller.center_id, request_id)?.expect("still there")))
        })
    }

    fn stage_sealed_history(&self, caller: &Caller, changes: &[SealedChange]) -> StoreResult<Staging> {
        self.in_transaction(|tx| {
            for (index, change) in changes.iter().enumerate() {
                let seq = change.seq.min(i64::MAX as u64) as i64;
                let held = tx.query_opt(
                    "SELECT fields FROM changes WHERE center_id = $1 AND seq = $2 AND NOT sealed",
                    &[&caller.center_id, &seq],
                )?;
                let Some(held) = held else {
                    return Ok(Staging::NotReadable(index, change.seq));
                };
                let held: serde_json::Map<String, serde_json::Value> =
                    serde_json::from_str(held.get(0)).unwrap_or_default();
                if !held.keys().eq(change.fields.keys()) {
                    return Ok(Staging::OtherFields(index, change.seq));
                }
                tx.execute(
                    "INSERT INTO sealed_history (center_id, seq, fields, auth) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (center_id, seq) DO UPDATE SET fields = excluded.fields, auth = excluded.auth",
                    &[
                        &caller.center_id,
                        &seq,
                        &serde_json::Value::Object(change.fields.clone()).to_string(),
                        &change.auth,
                    ],
                )?;
            }
            Ok(Staging::Staged(history_staged(tx, &caller.center_id)?))
        })
    }

    fn commit_sealed_history(&self, caller: &Caller) -> StoreResult<Result<CenterInfo, HistoryStaged>> {
        self.in_transaction(|tx| {
            tx.execute("SELECT 1 FROM centers WHERE id = $1 FOR UPDATE", &[&caller.center_id])?;
            let staged = history_staged(tx, &caller.center_id)?;
            if staged.staged < staged.readable {
                return Ok(Err(staged));
            }
            tx.execute(
                "UPDATE changes c SET fields = h.fields, auth = h.auth FROM sealed_history h
                 WHERE c.center_id = $1 AND NOT c.sealed AND h.center_id = c.center_id AND h.seq = c.seq
                   AND h.auth IS NOT NULL",
                &[&caller.center_id],
            )?;
            tx.execute("UPDATE changes SET sealed = TRUE WHERE center_id = $1 AND NOT sealed", &[&caller.center_id])?;
            tx.execute("DELETE FROM sealed_history WHERE center_id = $1", &[&caller.center_id])?;
            tx.execute("UPDATE centers SET readable_changes = 0 WHERE id = $1", &[&caller.center_id])?;
            tracing::info!(
                center = %caller.center_id,
                "the center's history is sealed; PostgreSQL keeps the replaced row versions in its files \
                 until the table is rewritten (VACUUM FULL changes, at a quiet hour)"
            );
            Ok(Ok(center_info(tx, &caller.center_id)?))
        })
    }

    fn forget_verifier(&self, name: &str) -> StoreResult<()> {
        let forgotten = self.client()?.execute("UPDATE centers SET key_verifier = NULL WHERE name = $1", &[&name])?;
        if forgotten == 0 {
            return Err(StoreError::NoSuchCenter(name.to_owned()));
        }
        Ok(())
    }

    fn unused_enrollment_codes(&self) -> StoreResult<Vec<UnusedCode>> {
        let rows = self.client()?.query(
            "SELECT substr(e.code_hash, 1, $1), c.name, e.created_at, e.expires_at
             FROM enrollment_codes e JOIN centers c ON c.id = e.center_id
             WHERE e.used_by IS NULL AND e.expires_at > $2 ORDER BY e.created_at, e.code_hash",
            &[&(CODE_ID_LENGTH as i32), &stamp(Utc::now())],
        )?;
        Ok(rows
            .iter()
            .map(|row| UnusedCode {
                id: row.get(0),
                center: row.get(1),
                created_at: row.get(2),
                expires_at: row.get(3),
            })
            .collect())
    }

    fn revoke_enrollment_code(&self, id_or_code: &str) -> StoreResult<bool> {
        let removed = self.client()?.execute(
            "DELETE FROM enrollment_codes WHERE used_by IS NULL AND substr(code_hash, 1, $1) = $2",
            &[&(CODE_ID_LENGTH as i32), &code_id(id_or_code)],
        )?;
        Ok(removed > 0)
    }

    fn devices(&self) -> StoreResult<Vec<Device>> {
        let rows = self.client()?.query(
            "SELECT d.id, d.name, d.enrolled_at, d.last_seen_at, d.revoked_at, c.name
             FROM devices d JOIN centers c ON c.id = d.center_id ORDER BY d.enrolled_at",
            &[],
        )?;
        Ok(rows
            .iter()
            .map(|row| Device {
                id: row.get(0),
                name: row.get(1),
                enrolled_at: row.get(2),
                last_seen_at: row.get(3),
                revoked_at: row.get(4),
                center: row.get(5),
            })
            .collect())
    }

    fn revoke_where(&self, device_id: &str, center_id: Option<&str>) -> StoreResult<bool> {
        let revoked = self.client()?.execute(
            "UPDATE devices SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 AND ($3::TEXT IS NULL OR center_id = $3)",
            &[&device_id, &stamp(Utc::now()), &center_id],
        )?;
        Ok(revoked == 1)
    }

    fn publish_figures(&self, caller: &Caller, figures: &MonthFigures) -> StoreResult<()> {
        self.client()?.execute(
            "INSERT INTO published_figures (center_id, month, figures, published_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (center_id, month) DO UPDATE SET figures = excluded.figures, published_at = excluded.published_at",
            &[&caller.center_id, &figures.month, &figures_text(figures), &stamp(Utc::now())],
        )?;
        Ok(())
    }

    fn network_figures(&self, month: &str) -> StoreResult<Vec<CenterFigures>> {
        let rows = self.client()?.query(
            "SELECT c.name, f.figures, f.published_at FROM centers c
             LEFT JOIN published_figures f ON f.center_id = c.id AND f.month = $1
             ORDER BY c.created_at, c.name",
            &[&month],
        )?;
        Ok(rows
            .iter()
            .map(|row| CenterFigures {
                center: row.get(0),
                figures: row.get::<_, Option<&str>>(1).and_then(figures_from),
                published_at: row.get(2),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use porchlight_testkit::postgres::PostgresServer;

    use super::*;

    /// A network hub from before migration 6 numbered the changes of all its centers together.
    /// Migrating numbers each center's apart, in the order the hub received them, names each
    /// center's history, and goes on from each center's own last number.
    #[test]
    fn an_older_hubs_changes_are_numbered_again_within_each_center_under_a_new_history() {
        let mut client = connect(&PostgresServer::fresh_database()).unwrap();
        client
            .batch_execute("CREATE TABLE hub_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
            .unwrap();
        for (index, migration) in MIGRATIONS[..5].iter().enumerate() {
            client.batch_execute(migration).unwrap();
            client.execute("INSERT INTO hub_migrations VALUES ($1, 'then')", &[&(index as i32 + 1)]).unwrap();
        }
        client
            .batch_execute(
                "INSERT INTO centers (id, name, created_at) VALUES ('harbor', 'Harbor House', 'then'),
                                                                    ('second', 'Second Street', 'then');
                 INSERT INTO devices (id, name, token_hash, enrolled_at, center_id)
                      VALUES ('h', 'Harbor desk', 'x', 'then', 'harbor'), ('s', 'Second desk', 'y', 'then', 'second');
                 INSERT INTO changes (change_id, device_id, entity, record_id, op, fields, hlc, received_at, center_id)
                 SELECT 'c' || n, CASE WHEN n IN (3, 5) THEN 's' ELSE 'h' END, 'person', 'r', 'upsert', '{}', 'h',
                        'then', CASE WHEN n IN (3, 5) THEN 'second' ELSE 'harbor' END
                   FROM generate_series(1, 6) AS n ORDER BY n;
                 INSERT INTO sealed_history (center_id, seq, fields) VALUES ('harbor', 4, '{}');",
            )
            .unwrap();

        migrate(&mut client).unwrap();
        let numbered = |client: &mut postgres::Client, center: &str| -> Vec<(i64, String)> {
            let rows = client.query("SELECT seq, change_id FROM changes WHERE center_id = $1 ORDER BY seq", &[&center]);
            rows.unwrap().iter().map(|row| (row.get(0), row.get(1))).collect()
        };
        let named = |numbers: &[(i64, &str)]| -> Vec<(i64, String)> {
            numbers.iter().map(|(seq, id)| (*seq, id.to_string())).collect()
        };
        assert_eq!(numbered(&mut client, "harbor"), named(&[(1, "c1"), (2, "c2"), (3, "c4"), (4, "c6")]));
        assert_eq!(numbered(&mut client, "second"), named(&[(1, "c3"), (2, "c5")]));
        let (harbor, last) = numbering(&mut client, "harbor").unwrap();
        assert_eq!(last, 4);
        assert!(porchlight_protocol::is_uuid_v7(&harbor));
        assert_ne!(numbering(&mut client, "second").unwrap(), (harbor, 2), "each center its own history");
        let staged: i64 = client.query_one("SELECT COUNT(*) FROM sealed_history", &[]).unwrap().get(0);
        assert_eq!(staged, 0, "a copy staged by the old numbers is staged again");
    }
}
