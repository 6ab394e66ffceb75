//! Moving a hub from its SQLite file to PostgreSQL, when a network outgrows one file: every
//! table copied as it is (the same change numbers, desks, tokens' hashes, keys' ids, waiting
//! join requests), so each desk carries on from its cursor without syncing again.
//!
//! All or nothing: the target's tables are made and filled in one transaction, so a move that
//! fails or is interrupted leaves the target as it was.

use std::path::Path;

use postgres::types::ToSql;
use rusqlite::types::Value;

use super::postgres::{connect, migrate};
use super::sqlite::SqliteStore;
use super::{StoreError, StoreResult};

/// How a column is read from SQLite and written to PostgreSQL.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    BigInt,
    /// 0 or 1 in SQLite.
    Bool,
}

/// Each table in an order its references allow, with its columns (named alike on both sides).
const TABLES: &[(&str, &[(&str, Kind)])] = {
    use Kind::*;
    &[
        (
            "centers",
            &[
                ("id", Text),
                ("name", Text),
                ("created_at", Text),
                ("key_id", Text),
                ("readable_changes", BigInt),
                ("key_verifier", Text),
                ("history", Text),
                ("last_seq", BigInt),
            ],
        ),
        (
            "devices",
            &[
                ("id", Text),
                ("name", Text),
                ("token_hash", Text),
                ("enrolled_at", Text),
                ("last_seen_at", Text),
                ("revoked_at", Text),
                ("center_id", Text),
            ],
        ),
        (
            "enrollment_codes",
            &[("code_hash", Text), ("created_at", Text), ("expires_at", Text), ("used_by", Text), ("center_id", Text)],
        ),
        (
            "changes",
            &[
                ("seq", BigInt),
                ("change_id", Text),
                ("device_id", Text),
                ("entity", Text),
                ("record_id", Text),
                ("op", Text),
                ("fields", Text),
                ("hlc", Text),
                ("received_at", Text),
                ("changed_by", Text),
                ("center_id", Text),
                ("sealed", Bool),
                ("auth", Text),
            ],
        ),
        ("erasures", &[("center_id", Text), ("entity", Text), ("record_id", Text), ("fields", Text)]),
        (
            "join_requests",
            &[
                ("id", Text),
                ("center_id", Text),
                ("device_id", Text),
                ("public_key", Text),
                ("requested_at", Text),
                ("sealed_keys", Text),
                ("approved_by", Text),
                ("approved_at", Text),
            ],
        ),
        (
            "key_grants",
            &[("center_id", Text), ("device_id", Text), ("key_id", Text), ("sealed_keys", Text), ("granted_at", Text)],
        ),
        ("sealed_history", &[("center_id", Text), ("seq", BigInt), ("fields", Text), ("auth", Text)]),
        ("published_figures", &[("center_id", Text), ("month", Text), ("figures", Text), ("published_at", Text)]),
    ]
};

/// Rows copied per statement.
const BATCH: usize = 1_000;

/// How far a move has got: rows copied of all the hub's rows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MoveProgress {
    pub copied: u64,
    pub total: u64,
}

/// What a finished move copied.
#[derive(Debug, Clone, PartialEq)]
pub struct Moved {
    pub centers: u64,
    pub devices: u64,
    pub changes: u64,
    pub rows: u64,
}

/// Copies the hub in the SQLite file `from` (brought up to date first, as opening it for
/// serving would) into the empty PostgreSQL database at `url`, reporting progress as it goes.
/// A target that already holds a hub is refused, untouched.
pub fn move_to_postgres(from: &Path, url: &str, mut progress: impl FnMut(MoveProgress)) -> StoreResult<Moved> {
    if !from.exists() {
        return Err(StoreError::NoSuchFile(from.to_owned()));
    }
    let source = SqliteStore::open(from)?;
    let source = source.conn();
    // One read transaction: every table as it was at one moment.
    let source = source.unchecked_transaction()?;
    let mut target = connect(url)?;
    let mut tx = target.transaction()?;
    migrate(&mut tx)?;
    let held: i64 = tx.query_one("SELECT (SELECT COUNT(*) FROM centers) + (SELECT COUNT(*) FROM changes)", &[])?.get(0);
    if held > 0 {
        return Err(StoreError::TargetNotEmpty);
    }

    let mut counts = Vec::new();
    for (table, _) in TABLES {
        counts.push(source.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |row| row.get::<_, i64>(0))? as u64);
    }
    let total = counts.iter().sum();
    let mut copied = 0;
    progress(MoveProgress { copied, total });
    for (table, columns) in TABLES {
        let names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
        let mut select = source.prepare(&format!("SELECT {} FROM {table} ORDER BY rowid", names.join(", ")))?;
        let mut rows = select.query([])?;
        let mut batch: Vec<Vec<Value>> = Vec::with_capacity(BATCH);
        loop {
            let row = rows.next()?;
            if let Some(row) = row {
                batch.push((0..columns.len()).map(|index| row.get::<_, Value>(index)).collect::<Result<_, _>>()?);
            }
            if batch.len() == BATCH || (row.is_none() && !batch.is_empty()) {
                insert(&mut tx, table, columns, &batch)?;
                copied += batch.len() as u64;
                batch.clear();
                progress(MoveProgress { copied, total });
            }
            if row.is_none() {
                break;
            }
        }
    }
    tx.commit()?;
    Ok(Moved { centers: counts[0], devices: counts[1], changes: counts[3], rows: total })
}

/// One multi-row INSERT: each column goes as an array, unnested back into rows.
fn insert(
    tx: &mut postgres::Transaction,
    table: &str,
    columns: &[(&str, Kind)],
    rows: &[Vec<Value>],
) -> StoreResult<()> {
    let mut arrays: Vec<Box<dyn ToSql + Sync>> = Vec::new();
    let mut casts = Vec::new();
    for (index, (name, kind)) in columns.iter().enumerate() {
        let values = rows.iter().map(|row| &row[index]);
        let column = |problem: &str| StoreError::UnexpectedValue(format!("{table}.{name}: {problem}"));
        match kind {
            Kind::Text => {
                let texts: Vec<Option<String>> = values
                    .map(|value| match value {
                        Value::Null => Ok(None),
                        Value::Text(text) => Ok(Some(text.clone())),
                        other => Err(column(&format!("{other:?} where text was expected"))),
                    })
                    .collect::<StoreResult<_>>()?;
                arrays.push(Box::new(texts));
                casts.push(format!("${}::TEXT[]", index + 1));
            }
            Kind::BigInt => {
                let numbers: Vec<i64> = values
                    .map(|value| match value {
                        Value::Integer(number) => Ok(*number),
                        other => Err(column(&format!("{other:?} where a number was expected"))),
                    })
                    .collect::<StoreResult<_>>()?;
                arrays.push(Box::new(numbers));
                casts.push(format!("${}::BIGINT[]", index + 1));
            }
            Kind::Bool => {
                let flags: Vec<bool> = values
                    .map(|value| match value {
                        Value::Integer(flag) => Ok(*flag != 0),
                        other => Err(column(&format!("{other:?} where 0 or 1 was expected"))),
                    })
                    .collect::<StoreResult<_>>()?;
                arrays.push(Box::new(flags));
                casts.push(format!("${}::BOOLEAN[]", index + 1));
            }
        }
    }
    let names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
    let sql = format!("INSERT INTO {table} ({}) SELECT * FROM UNNEST({})", names.join(", "), casts.join(", "));
    let params: Vec<&(dyn ToSql + Sync)> = arrays.iter().map(|array| array.as_ref()).collect();
    tx.execute(&sql, &params)?;
    Ok(())
}
