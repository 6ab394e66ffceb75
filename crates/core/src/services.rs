//! The catalog of services a visit can record, seeded with SAMHSA's recovery support list.
//! A service is retired rather than deleted, so past visits keep their meaning.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::access::{self, Action, Session};
use crate::sync::entity::Table;
use crate::{new_id, text, Desk, Error, Result};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub active: bool,
}

/// The seeded services are the same on every desk: only those added later were news before sync.
pub(crate) const SYNCED: Table = Table {
    entity: "service",
    table: "services",
    columns: &["name", "position", "active", "created_at"],
    kept_before_sync: Some("SELECT id FROM services WHERE created_at > '2026-01-01T00:00:00.000Z'"),
    ..Table::PLAIN
};

/// The catalog in its display order; retired services only when asked for.
pub fn list(desk: &Desk, session: &Session, include_retired: bool) -> Result<Vec<Service>> {
    access::authorize(desk, session, Action::ReadCatalog)?;
    list_in(desk.conn(), include_retired)
}

pub(crate) fn list_in(conn: &Connection, include_retired: bool) -> Result<Vec<Service>> {
    let mut statement =
        conn.prepare_cached("SELECT id, name, active FROM services WHERE active = 1 OR ?1 ORDER BY position, name")?;
    let rows = statement
        .query_map([include_retired], |row| Ok(Service { id: row.get(0)?, name: row.get(1)?, active: row.get(2)? }))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn add(desk: &mut Desk, session: &Session, name: &str) -> Result<Service> {
    let name = valid_name(name)?;
    desk.write(|tx, now| {
        access::authorize_in(tx, session, Action::ManageServices)?;
        ensure_name_free(tx, &name, None)?;
        let id = new_id();
        tx.execute(
            "INSERT INTO services (id, name, position, created_at)
             VALUES (?1, ?2, (SELECT COALESCE(MAX(position), 0) + 1 FROM services), ?3)",
            params![id, name, now],
        )?;
        Ok(Service { id, name, active: true })
    })
}

pub fn rename(desk: &mut Desk, session: &Session, id: &str, name: &str) -> Result<Service> {
    let name = valid_name(name)?;
    desk.write(|tx, _| {
        access::authorize_in(tx, session, Action::ManageServices)?;
        ensure_name_free(tx, &name, Some(id))?;
        tx.execute("UPDATE services SET name = ?2 WHERE id = ?1", params![id, name])?;
        get(tx, id)
    })
}

/// Retires a service (it leaves the check-in choices) or brings it back.
pub fn set_active(desk: &mut Desk, session: &Session, id: &str, active: bool) -> Result<Service> {
    desk.write(|tx, _| {
        access::authorize_in(tx, session, Action::ManageServices)?;
        tx.execute("UPDATE services SET active = ?2 WHERE id = ?1", params![id, active])?;
        get(tx, id)
    })
}

/// Puts the catalog in the order of `ids`; services not named keep their order after them.
pub fn reorder(desk: &mut Desk, session: &Session, ids: &[String]) -> Result<Vec<Service>> {
    desk.write(|tx, _| {
        access::authorize_in(tx, session, Action::ManageServices)?;
        let current = list_in(tx, true)?;
        if ids.iter().any(|id| !current.iter().any(|s| &s.id == id)) {
            return Err(Error::Services(ServicesError::UnknownService));
        }
        let rest = current.iter().map(|s| &s.id).filter(|id| !ids.contains(id));
        let mut update = tx.prepare_cached("UPDATE services SET position = ?2 WHERE id = ?1")?;
        for (position, id) in ids.iter().chain(rest).enumerate() {
            update.execute(params![id, position as i64 + 1])?;
        }
        Ok(())
    })?;
    list_in(desk.conn(), true)
}

/// Refuses service ids that are unknown or retired: a new visit only records current services.
pub(crate) fn ensure_active(tx: &Transaction, ids: &[String]) -> Result<()> {
    let mut statement = tx.prepare_cached("SELECT 1 FROM services WHERE id = ?1 AND active = 1")?;
    for id in ids {
        if !statement.exists([id])? {
            return Err(Error::Services(ServicesError::UnknownService));
        }
    }
    Ok(())
}

fn get(tx: &Transaction, id: &str) -> Result<Service> {
    tx.query_row("SELECT id, name, active FROM services WHERE id = ?1", [id], |row| {
        Ok(Service { id: row.get(0)?, name: row.get(1)?, active: row.get(2)? })
    })
    .optional()?
    .ok_or(Error::Services(ServicesError::UnknownService))
}

fn valid_name(name: &str) -> Result<String> {
    text::optional(Some(name), "service_name", "Service name", 60)?
        .ok_or(Error::Services(ServicesError::ServiceNameRequired))
}

fn ensure_name_free(tx: &Transaction, name: &str, except_id: Option<&str>) -> Result<()> {
    let taken = tx
        .prepare_cached("SELECT 1 FROM services WHERE name = ?1 COLLATE NOCASE AND id IS NOT ?2")?
        .exists(params![name, except_id])?;
    if taken {
        return Err(Error::Services(ServicesError::DuplicateServiceName(name.to_owned())));
    }
    Ok(())
}

crate::error::domain_errors! {
    /// What stops a service from being offered or chosen.
    pub enum ServicesError, codes ServicesErrorCode {
        #[error("One of the chosen services is not in the catalog any more.")]
        UnknownService,
        #[error("A service needs a name.")]
        ServiceNameRequired in "service_name",
        #[error("There is already a service called \"{0}\".")]
        DuplicateServiceName(String) in "service_name",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::desk_at;
    use crate::testkit::OPERATOR;

    #[test]
    fn a_new_desk_has_the_recovery_support_services() {
        let desk = desk_at("2026-11-23T15:00:00Z");
        let names: Vec<_> = list(&desk, &OPERATOR, false).unwrap().into_iter().map(|s| s.name).collect();
        assert_eq!(names.len(), 12);
        assert_eq!(names[0], "Peer coaching / mentoring");
        assert!(names.contains(&"Housing support".to_owned()));
    }

    #[test]
    fn services_can_be_added_renamed_retired_and_reordered() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let legal = add(&mut desk, &OPERATOR, "  Legal aid ").unwrap();
        assert_eq!(legal.name, "Legal aid");
        assert!(matches!(
            add(&mut desk, &OPERATOR, "legal AID"),
            Err(Error::Services(ServicesError::DuplicateServiceName(_)))
        ));
        assert!(matches!(add(&mut desk, &OPERATOR, " "), Err(Error::Services(ServicesError::ServiceNameRequired))));

        rename(&mut desk, &OPERATOR, &legal.id, "Legal clinic").unwrap();
        set_active(&mut desk, &OPERATOR, &legal.id, false).unwrap();
        assert!(!list(&desk, &OPERATOR, false).unwrap().iter().any(|s| s.id == legal.id));
        assert!(list(&desk, &OPERATOR, true).unwrap().iter().any(|s| s.name == "Legal clinic" && !s.active));

        let reordered = reorder(&mut desk, &OPERATOR, std::slice::from_ref(&legal.id)).unwrap();
        assert_eq!(reordered[0].id, legal.id);
        assert_eq!(reordered.len(), 13);
    }
}
