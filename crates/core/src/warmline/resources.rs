//! The directory of places a volunteer refers callers to: the center's own list and the
//! standing ones every desk comes with (2-1-1, 988, the treatment locator, recovery meetings).
//! A resource is retired, never deleted: the calls that gave it keep it.

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::access::{self, Action, Session};
use crate::audit::{self, AuditEvent};
use crate::retirable::RetirableError;
use crate::sync::entity::Table;
use crate::warmline::WarmlineError;
use crate::{new_id, text, Desk, Error, Result};

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Resource {
    pub id: String,
    pub name: String,
    pub category: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub hours: Option<String>,
    pub notes: Option<String>,
    /// One every desk comes with.
    pub standing: bool,
    pub retired: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ResourceInput {
    pub name: String,
    pub category: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub hours: Option<String>,
    pub notes: Option<String>,
}

pub(crate) const SYNCED: Table = Table {
    entity: "warmline_resource",
    table: "warmline_resources",
    columns: &["name", "category", "phone", "address", "hours", "notes", "standing", "retired_at", "created_at"],
    ..Table::PLAIN
};

const COLUMNS: &str = "id, name, category, phone, address, hours, notes, standing, retired_at IS NOT NULL";

fn from_row(row: &Row) -> rusqlite::Result<Resource> {
    Ok(Resource {
        id: row.get(0)?,
        name: row.get(1)?,
        category: row.get(2)?,
        phone: row.get(3)?,
        address: row.get(4)?,
        hours: row.get(5)?,
        notes: row.get(6)?,
        standing: row.get(7)?,
        retired: row.get(8)?,
    })
}

/// Resources offered now whose name or category holds `query`, those starting with it first:
/// the referral field's type-ahead. An empty query lists the standing ones.
pub fn find(desk: &Desk, session: &Session, query: &str, limit: usize) -> Result<Vec<Resource>> {
    access::authorize(desk, session, Action::TakeCalls)?;
    let query = query.trim();
    let mut statement = desk.conn().prepare_cached(&format!(
        "SELECT {COLUMNS} FROM warmline_resources
         WHERE retired_at IS NULL
           AND (CASE WHEN ?1 = '' THEN standing = 1
                     ELSE name LIKE '%' || ?1 || '%' ESCAPE '\\' OR category LIKE '%' || ?1 || '%' ESCAPE '\\' END)
         ORDER BY name NOT LIKE ?1 || '%' ESCAPE '\\', standing DESC, name COLLATE NOCASE
         LIMIT ?2"
    ))?;
    let rows = statement.query_map(params![text::like_escaped(query), limit as i64], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The whole directory, for the coordinator's list; retired ones when asked for.
pub fn list(desk: &Desk, session: &Session, with_retired: bool) -> Result<Vec<Resource>> {
    access::authorize(desk, session, Action::TakeCalls)?;
    let mut statement = desk.conn().prepare_cached(&format!(
        "SELECT {COLUMNS} FROM warmline_resources WHERE ?1 OR retired_at IS NULL
         ORDER BY retired_at IS NOT NULL, standing DESC, category COLLATE NOCASE, name COLLATE NOCASE"
    ))?;
    let rows = statement.query_map([with_retired], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every resource, retired ones too, by name: the directory as exported.
pub(crate) fn by_name(conn: &Connection) -> Result<Vec<Resource>> {
    let mut statement =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM warmline_resources ORDER BY name COLLATE NOCASE, id"))?;
    let rows = statement.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn add(desk: &mut Desk, session: &Session, input: &ResourceInput) -> Result<Resource> {
    let checked = input.checked()?;
    let id = desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageWarmline)?;
        ensure_name_free(tx, &checked.name, None)?;
        let id = new_id();
        tx.prepare_cached(
            "INSERT INTO warmline_resources (id, name, category, phone, address, hours, notes, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            id,
            checked.name,
            checked.category,
            checked.phone,
            checked.address,
            checked.hours,
            checked.notes,
            now
        ])?;
        audit::record(
            tx,
            now,
            &actor,
            AuditEvent::WarmlineChanged,
            Some(&id),
            &format!("resource {} added", checked.name),
        )?;
        Ok(id)
    })?;
    get_in(desk.conn(), &id)
}

pub fn update(desk: &mut Desk, session: &Session, id: &str, input: &ResourceInput) -> Result<Resource> {
    let checked = input.checked()?;
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageWarmline)?;
        get_in(tx, id)?;
        ensure_name_free(tx, &checked.name, Some(id))?;
        tx.prepare_cached(
            "UPDATE warmline_resources SET name = ?2, category = ?3, phone = ?4, address = ?5, hours = ?6, notes = ?7
             WHERE id = ?1",
        )?
        .execute(params![
            id,
            checked.name,
            checked.category,
            checked.phone,
            checked.address,
            checked.hours,
            checked.notes
        ])?;
        audit::record(tx, now, &actor, AuditEvent::WarmlineChanged, Some(id), "resource edited")
    })?;
    get_in(desk.conn(), id)
}

/// Retires a resource (the calls that gave it keep it), or offers it again.
pub fn set_retired(desk: &mut Desk, session: &Session, id: &str, retired: bool) -> Result<Resource> {
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageWarmline)?;
        get_in(tx, id)?;
        tx.execute(
            "UPDATE warmline_resources SET retired_at = CASE WHEN ?2 THEN COALESCE(retired_at, ?3) END WHERE id = ?1",
            params![id, retired, now],
        )?;
        let detail = if retired { "resource retired" } else { "resource offered again" };
        audit::record(tx, now, &actor, AuditEvent::WarmlineChanged, Some(id), detail)
    })?;
    get_in(desk.conn(), id)
}

pub(crate) fn get_in(conn: &Connection, id: &str) -> Result<Resource> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM warmline_resources WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or(Error::Warmline(WarmlineError::ResourceNotFound))
}

/// Each resource a new referral names is in the directory and offered now.
pub(crate) fn ensure_offered(conn: &Connection, ids: &[String]) -> Result<()> {
    for id in ids {
        let resource = get_in(conn, id)?;
        if resource.retired {
            return Err(Error::Warmline(WarmlineError::ResourceRetired(resource.name)));
        }
    }
    Ok(())
}

fn ensure_name_free(tx: &Transaction, name: &str, except_id: Option<&str>) -> Result<()> {
    let taken = tx
        .prepare_cached(
            "SELECT 1 FROM warmline_resources WHERE name = ?1 COLLATE NOCASE AND id IS NOT ?2 AND retired_at IS NULL",
        )?
        .exists(params![name, except_id])?;
    if taken {
        return Err(Error::Retirable(RetirableError::DuplicateName(name.to_owned())));
    }
    Ok(())
}

impl ResourceInput {
    fn checked(&self) -> Result<ResourceInput> {
        Ok(ResourceInput {
            name: text::optional(Some(&self.name), "name", "Name", 100)?
                .ok_or(Error::Retirable(RetirableError::NameRequired))?,
            category: text::optional(self.category.as_deref(), "category", "Category", 60)?,
            phone: text::optional(self.phone.as_deref(), "phone", "Phone", 40)?,
            address: text::optional(self.address.as_deref(), "address", "Address", 200)?,
            hours: text::optional(self.hours.as_deref(), "hours", "Hours", 100)?,
            notes: text::note(self.notes.as_deref(), "notes", "Notes", 1_000)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{desk_at, OPERATOR};

    fn food_bank() -> ResourceInput {
        ResourceInput {
            name: "Eastside Food Bank".into(),
            category: Some("Food".into()),
            phone: Some("555-0100".into()),
            ..Default::default()
        }
    }

    #[test]
    fn the_directory_is_searched_as_typed_and_a_retired_resource_is_offered_no_more() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let standing = find(&desk, &OPERATOR, "", 8).unwrap();
        assert_eq!(standing.len(), 4, "2-1-1, 988, the treatment locator and recovery meetings");
        let bank = add(&mut desk, &OPERATOR, &food_bank()).unwrap();
        add(&mut desk, &OPERATOR, &ResourceInput { name: "Food for Friends".into(), ..Default::default() }).unwrap();
        let found: Vec<String> = find(&desk, &OPERATOR, "foo", 8).unwrap().into_iter().map(|r| r.name).collect();
        assert_eq!(found, ["Food for Friends", "Eastside Food Bank"], "names starting with it come first");
        assert_eq!(find(&desk, &OPERATOR, "100%", 8).unwrap(), [], "a % is a character, not a wildcard");
        assert!(matches!(
            add(&mut desk, &OPERATOR, &food_bank()),
            Err(Error::Retirable(RetirableError::DuplicateName(_)))
        ));

        set_retired(&mut desk, &OPERATOR, &bank.id, true).unwrap();
        assert!(find(&desk, &OPERATOR, "eastside", 8).unwrap().is_empty());
        let err = ensure_offered(desk.conn(), &[bank.id.clone()]).unwrap_err();
        assert_eq!((err.code(), err.field()), ("resource_retired", Some("resource_ids")));
        assert!(list(&desk, &OPERATOR, true).unwrap().iter().any(|r| r.id == bank.id && r.retired));
    }
}
