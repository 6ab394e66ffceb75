//! What a synced record type declares about itself. The sync code is the same for every type
//! and names none of them: the crate's wiring (`lib.rs`) hands the engine the list of
//! [`Entities`], and a record type's own behaviour reaches the engine through the hooks of
//! [`Entity`], each with a default, so a plain record type declares only its [`Table`].

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

use rusqlite::types::{ToSqlOutput, Value as SqlValue, ValueRef};
use rusqlite::{Connection, OptionalExtension, ToSql, Transaction};
use serde_json::{Map, Value};

use super::erasure::{OnForget, Personal};
use super::record::RecordState;
use crate::sync::error::SyncError;
use crate::{Error, Result, Timestamp};

/// A record's fields by name, as they travel between desks.
pub type Fields = Map<String, Value>;

/// Every record type that syncs, in the order a desk that kept records before it could sync
/// sends them (people before the visits that refer to them).
#[derive(Clone, Copy)]
pub(crate) struct Entities(pub &'static [&'static dyn Entity]);

impl Entities {
    pub fn find(self, name: &str) -> Option<&'static dyn Entity> {
        self.0.iter().copied().find(|entity| entity.name() == name)
    }

    /// The record type whose rows `table` holds.
    pub fn by_table(self, table: &str) -> Option<&'static dyn Entity> {
        self.0.iter().copied().find(|entity| entity.table() == Some(table))
    }

    pub fn iter(self) -> impl Iterator<Item = &'static dyn Entity> {
        self.0.iter().copied()
    }
}

pub(crate) trait Entity: Sync {
    /// The name on the wire: `person`, `visit`, ...
    fn name(&self) -> &'static str;
    /// Temporary triggers that note, in `sync_dirty`, each record a local write touches.
    fn watch_sql(&self) -> String;
    /// The record's synced fields as the desk holds them now, or `None` if it has no such record.
    fn read(&self, conn: &Connection, id: &str) -> Result<Option<Fields>>;
    /// Makes the desk's row hold the record's merged values (every field known for it).
    /// `held_before` is false when the desk never had this record, so no row of it can exist yet.
    fn write(&self, conn: &Connection, id: &str, record: &RecordState, held_before: bool) -> Result<()>;
    fn remove(&self, conn: &Connection, id: &str) -> Result<()>;
    /// The table holding this record type's rows, when it has one of its own.
    fn table(&self) -> Option<&'static str> {
        None
    }
    /// Why [`Entity::write`] could not store the record, said so that an operator can act on
    /// it; `None` when nothing more specific than the write's own error is known.
    fn why_unwritable(
        &self,
        _conn: &Connection,
        _id: &str,
        _record: &RecordState,
        _entities: Entities,
    ) -> Result<Option<Unwritable>> {
        Ok(None)
    }

    /// The fields that say who someone is, each with what replaces it when a record is erased.
    fn personal(&self) -> &'static [Personal] {
        &[]
    }
    /// What forgetting a person does to this type's rows.
    fn when_person_forgotten(&self) -> OnForget {
        OnForget::Keep
    }
    /// The field set when a record is erased: once it holds a value, changes from other desks
    /// made before they heard cannot bring the personal fields back.
    fn erased_marker(&self) -> Option<&'static str> {
        None
    }

    /// What the record type does beside its rows, when the desk opens, syncs and erases.
    fn upkeep(&self) -> &'static dyn Upkeep {
        &NoUpkeep
    }
    /// A few words naming the record `id` for a person reading the audit log ("Dana R.", "SMART
    /// Recovery, 2026-11-24 18:00"), or `None` if it holds no such record or names none.
    fn describe(&self, _conn: &Connection, _id: &str) -> Result<Option<String>> {
        Ok(None)
    }
    /// The records a desk kept before it could sync (schema version 1), in the order to send them.
    fn kept_before_sync(&self, _conn: &Connection) -> Result<Vec<String>> {
        Ok(Vec::new())
    }
}

/// What a record type does beside its rows (a search index, defaults), at the moments the desk
/// tells it of ([`Entity::upkeep`]). Every method has the default that does nothing.
pub(crate) trait Upkeep: Sync {
    /// Each time the desk opens: defaults every desk fills in for itself, upkeep a desk closed
    /// half-way left to do. Not recorded as changes.
    fn on_open(&self, _tx: &Transaction, _now: Timestamp) -> Result<()> {
        Ok(())
    }
    /// A long history (`incoming` changes) is about to arrive: upkeep that is cheaper done once
    /// at the end is put off until [`Upkeep::after_sync`]. True if it put anything off.
    fn before_catch_up(&self, _tx: &Transaction, _incoming: u64) -> Result<bool> {
        Ok(false)
    }
    /// After every sync, with the watch triggers lifted: upkeep put off is done now.
    fn after_sync(&self, _tx: &Transaction) -> Result<()> {
        Ok(())
    }
    /// After a record was erased and the transaction committed: anything that could still hold
    /// what was erased outside the rows (a search index's old segments) is compacted.
    fn after_erasing(&self, _conn: &Connection) -> Result<()> {
        Ok(())
    }
}

/// The upkeep of a record type that needs none.
pub(crate) struct NoUpkeep;
impl Upkeep for NoUpkeep {}

/// Why a record from another desk cannot be stored yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unwritable {
    /// A field every such record needs never arrived: a desk of an older version, or another
    /// client of the hub, sent the record without it. Only a change that sets it will help.
    MissingField { field: String },
    /// It refers to a record this desk does not hold yet; it is stored when that one arrives.
    WaitingFor { entity: String, id: String },
}

impl std::fmt::Display for Unwritable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unwritable::MissingField { field } => write!(
                f,
                "missing required field {field} (sent without it by an older Porchlight or another program); \
                 it is stored once a change gives it one"
            ),
            Unwritable::WaitingFor { entity, id } => {
                write!(f, "waiting for {entity} {id}, which it refers to and which has not arrived yet")
            }
        }
    }
}

/// A record type kept in one table, one column per field, plus lists kept in child tables
/// (a visit's services). Declare one as `Table { entity, table, columns, ..Table::PLAIN }`.
pub(crate) struct Table {
    pub entity: &'static str,
    pub table: &'static str,
    pub columns: &'static [&'static str],
    pub lists: &'static [List],
    /// Its part in erasure: which columns say who someone is ([`Entity::personal`]) ...
    pub personal: &'static [Personal],
    /// ... what forgetting a person does to its rows ...
    pub when_person_forgotten: OnForget,
    /// ... and the column that marks a row erased for good.
    pub erased_marker: Option<&'static str>,
    /// SQL selecting the ids of the rows a desk kept before it could sync, in sending order.
    pub kept_before_sync: Option<&'static str>,
    /// SQL selecting the words that name the row `?1` in the audit log ([`Entity::describe`]).
    pub describe: Option<&'static str>,
    pub upkeep: &'static dyn Upkeep,
}

impl Table {
    /// A table with no lists, no personal fields and no upkeep: what the `..` of a declaration fills in.
    pub const PLAIN: Table = Table {
        entity: "",
        table: "",
        columns: &[],
        lists: &[],
        personal: &[],
        when_person_forgotten: OnForget::Keep,
        erased_marker: None,
        kept_before_sync: None,
        describe: None,
        upkeep: &NoUpkeep,
    };
}

/// A field whose value is a list of ids, one child row each.
pub(crate) struct List {
    pub field: &'static str,
    pub table: &'static str,
    pub parent_column: &'static str,
    pub value_column: &'static str,
}

impl Entity for Table {
    fn name(&self) -> &'static str {
        self.entity
    }

    fn describe(&self, conn: &Connection, id: &str) -> Result<Option<String>> {
        let Some(sql) = self.describe else { return Ok(None) };
        Ok(conn.prepare_cached(sql)?.query_row([id], |row| row.get(0)).optional()?)
    }

    fn watch_sql(&self) -> String {
        let mut sql = watch(self.entity, self.table, self.columns, |row| format!("{row}.id"));
        for list in self.lists {
            sql += &watch(self.entity, list.table, &[], |row| format!("{row}.{}", list.parent_column));
        }
        sql
    }

    fn read(&self, conn: &Connection, id: &str) -> Result<Option<Fields>> {
        let sql = format!("SELECT {} FROM {} WHERE id = ?1", self.columns.join(", "), self.table);
        let row = conn
            .prepare_cached(&sql)?
            .query_row([id], |row| {
                let mut fields = Fields::new();
                for (index, column) in self.columns.iter().enumerate() {
                    fields.insert((*column).to_owned(), to_json(row.get_ref(index)?));
                }
                Ok(fields)
            })
            .optional()?;
        let Some(mut fields) = row else {
            return Ok(None);
        };
        for list in self.lists {
            let sql = format!(
                "SELECT {value} FROM {table} WHERE {parent} = ?1 ORDER BY {value}",
                value = list.value_column,
                table = list.table,
                parent = list.parent_column
            );
            let mut statement = conn.prepare_cached(&sql)?;
            let items = statement.query_map([id], |row| row.get::<_, String>(0))?;
            let items = items.map(|item| item.map(Value::String)).collect::<rusqlite::Result<_>>()?;
            fields.insert(list.field.to_owned(), Value::Array(items));
        }
        Ok(Some(fields))
    }

    fn write(&self, conn: &Connection, id: &str, record: &RecordState, held_before: bool) -> Result<()> {
        let statements = self.statements();
        let present: Vec<&str> = self.columns.iter().copied().filter(|c| record.value(c).is_some()).collect();
        let mut upsert = if present.len() == self.columns.len() {
            conn.prepare_cached(&statements.upsert_all)?
        } else {
            conn.prepare_cached(&self.upsert_sql(&present))?
        };
        upsert.raw_bind_parameter(1, id)?;
        for (index, column) in present.iter().enumerate() {
            upsert.raw_bind_parameter(index + 2, SqlOf(record.value(column).unwrap_or(&Value::Null)))?;
        }
        upsert.raw_execute()?;

        for (list, sql) in self.lists.iter().zip(&statements.lists) {
            let Some(value) = record.value(list.field) else {
                continue;
            };
            let items = value.as_array().filter(|items| items.iter().all(Value::is_string)).ok_or_else(|| {
                Error::Sync(SyncError::UnusableSyncedValue { entity: self.entity, field: list.field })
            })?;
            if held_before {
                conn.prepare_cached(&sql.clear)?.execute([id])?;
            }
            let mut insert = conn.prepare_cached(&sql.insert)?;
            for item in items {
                insert.execute([id, item.as_str().unwrap_or_default()])?;
            }
        }
        Ok(())
    }

    fn remove(&self, conn: &Connection, id: &str) -> Result<()> {
        conn.prepare_cached(&format!("DELETE FROM {} WHERE id = ?1", self.table))?.execute([id])?;
        Ok(())
    }

    fn table(&self) -> Option<&'static str> {
        Some(self.table)
    }

    fn personal(&self) -> &'static [Personal] {
        self.personal
    }

    fn when_person_forgotten(&self) -> OnForget {
        self.when_person_forgotten
    }

    fn erased_marker(&self) -> Option<&'static str> {
        self.erased_marker
    }

    fn upkeep(&self) -> &'static dyn Upkeep {
        self.upkeep
    }

    fn kept_before_sync(&self, conn: &Connection) -> Result<Vec<String>> {
        let Some(sql) = self.kept_before_sync else { return Ok(Vec::new()) };
        let mut statement = conn.prepare(sql)?;
        let ids = statement.query_map([], |row| row.get(0))?;
        Ok(ids.collect::<rusqlite::Result<_>>()?)
    }

    /// Asks the schema itself: a NOT NULL column with no default the record has no value for
    /// (when no row of it exists yet to keep the old one), or a reference to a row not there.
    fn why_unwritable(
        &self,
        conn: &Connection,
        id: &str,
        record: &RecordState,
        entities: Entities,
    ) -> Result<Option<Unwritable>> {
        if !holds(conn, self.table, id)? {
            let required: Vec<String> = {
                let mut statement = conn.prepare_cached(
                    "SELECT name FROM pragma_table_info(?1) WHERE \"notnull\" AND dflt_value IS NULL AND pk = 0",
                )?;
                let names = statement.query_map([self.table], |row| row.get(0))?;
                names.collect::<rusqlite::Result<_>>()?
            };
            let missing = required.into_iter().find(|column| {
                self.columns.contains(&column.as_str()) && record.value(column).is_none_or(Value::is_null)
            });
            if let Some(field) = missing {
                return Ok(Some(Unwritable::MissingField { field }));
            }
        }
        let mut references: Vec<(String, &Value)> = Vec::new();
        for (parent, column) in foreign_keys(conn, self.table)? {
            if let Some(value) = record.value(&column) {
                references.push((parent, value));
            }
        }
        for list in self.lists {
            let items = record.value(list.field).and_then(Value::as_array);
            for (parent, column) in foreign_keys(conn, list.table)? {
                if column == list.value_column {
                    references.extend(items.into_iter().flatten().map(|item| (parent.clone(), item)));
                }
            }
        }
        for (parent, value) in references {
            let Some(referred) = value.as_str() else { continue };
            if !holds(conn, &parent, referred)? {
                let entity = entities.by_table(&parent).map_or(parent.clone(), |entity| entity.name().to_owned());
                return Ok(Some(Unwritable::WaitingFor { entity, id: referred.to_owned() }));
            }
        }
        Ok(None)
    }
}

/// Whether `table` has a row with this `id`.
fn holds(conn: &Connection, table: &str, id: &str) -> Result<bool> {
    let sql = format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?1)");
    Ok(conn.prepare_cached(&sql)?.query_row([id], |row| row.get(0))?)
}

/// The (parent table, column) of each reference `table` makes to another table's `id`.
fn foreign_keys(conn: &Connection, table: &str) -> Result<Vec<(String, String)>> {
    let mut statement = conn.prepare_cached(
        "SELECT \"table\", \"from\" FROM pragma_foreign_key_list(?1) WHERE coalesce(\"to\", 'id') = 'id'",
    )?;
    let keys = statement.query_map([table], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(keys.collect::<rusqlite::Result<_>>()?)
}

/// The SQL a table's writes use, built once: each write would otherwise format it anew.
struct Statements {
    upsert_all: String,
    lists: Vec<ListStatements>,
}

struct ListStatements {
    clear: String,
    insert: String,
}

impl Table {
    fn statements(&self) -> &'static Statements {
        static BUILT: Mutex<BTreeMap<&str, &Statements>> = Mutex::new(BTreeMap::new());
        let mut built = BUILT.lock().unwrap_or_else(PoisonError::into_inner);
        built.entry(self.table).or_insert_with(|| {
            Box::leak(Box::new(Statements {
                upsert_all: self.upsert_sql(self.columns),
                lists: self
                    .lists
                    .iter()
                    .map(|list| ListStatements {
                        clear: format!("DELETE FROM {} WHERE {} = ?1", list.table, list.parent_column),
                        insert: format!(
                            "INSERT OR IGNORE INTO {} ({}, {}) VALUES (?1, ?2)",
                            list.table, list.parent_column, list.value_column
                        ),
                    })
                    .collect(),
            }))
        })
    }

    /// Inserts the row, or updates the `present` columns of the row already there.
    fn upsert_sql(&self, present: &[&str]) -> String {
        let on_conflict = if present.is_empty() {
            "DO NOTHING".to_owned()
        } else {
            let sets: Vec<String> = present.iter().map(|c| format!("{c} = excluded.{c}")).collect();
            format!("DO UPDATE SET {}", sets.join(", "))
        };
        format!(
            "INSERT INTO {table} (id{columns}) VALUES (?1{values}) ON CONFLICT (id) {on_conflict}",
            table = self.table,
            columns = present.iter().map(|c| format!(", {c}")).collect::<String>(),
            values = (2..present.len() + 2).map(|n| format!(", ?{n}")).collect::<String>(),
        )
    }
}

/// Installs the watch triggers of every record type on this connection.
pub(crate) fn watch_all(conn: &Connection, entities: Entities) -> Result<()> {
    for entity in entities.iter() {
        conn.execute_batch(&entity.watch_sql())?;
    }
    Ok(())
}

/// Runs `work` with the watch triggers lifted: writing what other desks sent must not note
/// records as touched here, and skipping the triggers makes a first sync much faster. The
/// triggers are temporary schema, so a failed `work` rolls their removal back with the rest.
pub(crate) fn unwatched<T>(conn: &Connection, entities: Entities, work: impl FnOnce() -> Result<T>) -> Result<T> {
    let names: Vec<String> = {
        let mut statement =
            conn.prepare("SELECT name FROM sqlite_temp_master WHERE type = 'trigger' AND name LIKE 'sync_watch_%'")?;
        let rows = statement.query_map([], |row| row.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for name in names {
        conn.execute_batch(&format!("DROP TRIGGER temp.\"{name}\""))?;
    }
    let result = work()?;
    watch_all(conn, entities)?;
    Ok(result)
}

/// Triggers that mark `entity` records dirty when `table` rows change; `record_id` gives the
/// SQL for the id of the record a row (`new` or `old`) belongs to. With `columns`, only an
/// update of one of them counts: a check-in moves its person's search rank, which is no change
/// to send, and noting the person would cost every check-in a read and a merge of them.
pub(crate) fn watch(entity: &str, table: &str, columns: &[&str], record_id: impl Fn(&str) -> String) -> String {
    // Not INSERT OR IGNORE: inside a trigger the outer statement's conflict policy would apply.
    let mark = |row: &str| {
        let id = record_id(row);
        format!(
            "INSERT INTO sync_dirty (entity, record_id) SELECT '{entity}', {id}
             WHERE NOT EXISTS (SELECT 1 FROM sync_dirty WHERE entity = '{entity}' AND record_id = {id});"
        )
    };
    format!(
        "CREATE TEMP TRIGGER IF NOT EXISTS sync_watch_{table}_insert AFTER INSERT ON main.{table} BEGIN {new} END;
         CREATE TEMP TRIGGER IF NOT EXISTS sync_watch_{table}_update AFTER UPDATE {of} ON main.{table} BEGIN {new} END;
         CREATE TEMP TRIGGER IF NOT EXISTS sync_watch_{table}_delete AFTER DELETE ON main.{table} BEGIN {old} END;",
        of = if columns.is_empty() { String::new() } else { format!("OF {}", columns.join(", ")) },
        new = mark("new"),
        old = mark("old"),
    )
}

fn to_json(value: ValueRef) -> Value {
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(n) => Value::from(n),
        ValueRef::Real(x) => Value::from(x),
        ValueRef::Text(text) | ValueRef::Blob(text) => Value::String(String::from_utf8_lossy(text).into_owned()),
    }
}

/// A synced value bound as an SQL parameter, without copying it.
pub(crate) struct SqlOf<'a>(pub &'a Value);

impl ToSql for SqlOf<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self.0 {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Bool(flag) => ToSqlOutput::Owned(SqlValue::Integer(*flag as i64)),
            Value::Number(n) => ToSqlOutput::Owned(
                n.as_i64().map(SqlValue::Integer).unwrap_or_else(|| SqlValue::Real(n.as_f64().unwrap_or_default())),
            ),
            Value::String(text) => ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes())),
            other => ToSqlOutput::Owned(SqlValue::Text(other.to_string())),
        })
    }
}
