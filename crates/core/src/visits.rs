//! Visits: one drop-in stay, check-in to check-out, with the services used.
//! A check-in is its own record: two desks checking in one person make two visits, never a conflict.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use ts_rs::TS;

use crate::access::{self, Action, Session};
use crate::audit::{self, AuditEvent};
use crate::sync::entity::{List, Table, Upkeep};
use crate::{new_id, people, services, Desk, Error, Result, Timestamp};

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Visit {
    pub id: String,
    /// `None` for an anonymous visit (a headcount).
    pub person_id: Option<String>,
    pub checked_in_at: Timestamp,
    pub checked_out_at: Option<Timestamp>,
    pub service_ids: Vec<String>,
}

/// A visit still open: someone in the building now.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct OpenVisit {
    pub visit_id: String,
    pub person_id: Option<String>,
    /// `None` for an anonymous visitor.
    pub display_name: Option<String>,
    pub member_code: Option<String>,
    pub checked_in_at: Timestamp,
    pub service_ids: Vec<String>,
}

/// How visits travel between desks: the services used travel as one list.
/// A forgotten person's visits stay, tied to a record nobody can name.
pub(crate) const SYNCED: Table = Table {
    entity: "visit",
    table: "visits",
    columns: &["person_id", "checked_in_at", "checked_out_at"],
    lists: &[List {
        field: "service_ids",
        table: "visit_services",
        parent_column: "visit_id",
        value_column: "service_id",
    }],
    kept_before_sync: Some("SELECT id FROM visits ORDER BY checked_in_at"),
    upkeep: &RankingUpkeep,
    ..Table::PLAIN
};

/// Each person's last visit, for ranking people by when they were last seen.
pub(crate) const LAST_VISITS: &str =
    "SELECT person_id, MAX(checked_in_at) AS last_visit FROM visits WHERE person_id IS NOT NULL GROUP BY person_id";

/// Who was seen most recently comes first in a search. A long history arrives with the people's
/// search upkeep put off ([`people::defer_search_upkeep`]); once it is in, or when the desk
/// opens after a sync cut off half-way, people are ranked by their visits and the index rebuilt.
struct RankingUpkeep;

impl Upkeep for RankingUpkeep {
    fn on_open(&self, tx: &Transaction, _now: Timestamp) -> Result<()> {
        people::catch_up_search(tx, LAST_VISITS).map(drop)
    }

    fn after_sync(&self, tx: &Transaction) -> Result<()> {
        people::catch_up_search(tx, LAST_VISITS).map(drop)
    }
}

/// The open visit of `person_id` (they are in the building now), and since when.
pub(crate) fn open_visit(conn: &Connection, person_id: &str) -> Result<Option<(String, Timestamp)>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, checked_in_at FROM visits
             WHERE person_id = ?1 AND checked_out_at IS NULL ORDER BY checked_in_at DESC LIMIT 1",
        )?
        .query_row([person_id], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?)
}

/// Checks a known person in. Someone already in the building is not counted twice.
pub fn check_in(desk: &mut Desk, session: &Session, person_id: &str, service_ids: &[String]) -> Result<Visit> {
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::CheckIn)?;
        people::get_in(tx, person_id)?;
        if let Some((visit_id, since)) = open_visit(tx, person_id)? {
            return Err(Error::Visits(VisitsError::AlreadyCheckedIn { visit_id, since }));
        }
        let visit = insert(tx, now, Some(person_id), service_ids)?;
        audit::record(tx, now, &actor, AuditEvent::CheckedIn, Some(person_id), &services_named(tx, service_ids)?)?;
        Ok(visit)
    })
}

/// Records an anonymous visit: counted in every figure, tied to nobody.
pub fn check_in_anonymous(desk: &mut Desk, session: &Session, service_ids: &[String]) -> Result<Visit> {
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::CheckIn)?;
        let visit = insert(tx, now, None, service_ids)?;
        let detail = format!("anonymous visitor{}", with(&services_named(tx, service_ids)?));
        audit::record(tx, now, &actor, AuditEvent::CheckedIn, None, &detail)?;
        Ok(visit)
    })
}

/// "Support group, Housing support": the services `ids` name, for the audit log.
fn services_named(conn: &Connection, ids: &[String]) -> Result<String> {
    let mut names: Vec<String> = Vec::new();
    for id in ids {
        names.extend(
            conn.prepare_cached("SELECT name FROM services WHERE id = ?1")?
                .query_row([id], |row| row.get(0))
                .optional()?,
        );
    }
    Ok(names.join(", "))
}

/// ", for Support group": what follows a detail when there is anything to add.
fn with(services: &str) -> String {
    if services.is_empty() {
        String::new()
    } else {
        format!(", for {services}")
    }
}

pub(crate) fn insert(
    tx: &Transaction,
    at: Timestamp,
    person_id: Option<&str>,
    service_ids: &[String],
) -> Result<Visit> {
    insert_as(tx, &new_id(), at, person_id, service_ids)
}

/// Inserts a visit with a chosen id: one derived from what caused it, the same on every desk.
pub(crate) fn insert_as(
    tx: &Transaction,
    id: &str,
    at: Timestamp,
    person_id: Option<&str>,
    service_ids: &[String],
) -> Result<Visit> {
    services::ensure_active(tx, service_ids)?;
    tx.prepare_cached("INSERT INTO visits (id, person_id, checked_in_at) VALUES (?1, ?2, ?3)")?
        .execute(params![id, person_id, at])?;
    replace_services(tx, id, service_ids)?;
    get_in(tx, id)
}

/// The visit `person_id` began in `[start, end)` (a local day), an open one first.
pub(crate) fn of_person_between(
    conn: &Connection,
    person_id: &str,
    start: Timestamp,
    end: Timestamp,
) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM visits WHERE person_id = ?1 AND checked_in_at >= ?2 AND checked_in_at < ?3
             ORDER BY checked_out_at IS NULL DESC, checked_in_at DESC LIMIT 1",
        )?
        .query_row(params![person_id, start, end], |row| row.get(0))
        .optional()?)
}

pub(crate) fn exists(conn: &Connection, visit_id: &str) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT 1 FROM visits WHERE id = ?1")?.exists([visit_id])?)
}

/// Ends a visit at `at`, as one recorded after the fact.
pub(crate) fn close_at(conn: &Connection, visit_id: &str, at: Timestamp) -> Result<()> {
    conn.prepare_cached("UPDATE visits SET checked_out_at = ?2 WHERE id = ?1")?.execute(params![visit_id, at])?;
    Ok(())
}

/// Adds one service to a visit; false if the visit already had it.
pub(crate) fn add_service(conn: &Connection, visit_id: &str, service_id: &str) -> Result<bool> {
    let added = conn
        .prepare_cached("INSERT OR IGNORE INTO visit_services (visit_id, service_id) VALUES (?1, ?2)")?
        .execute([visit_id, service_id])?;
    Ok(added > 0)
}

pub(crate) fn remove_service(conn: &Connection, visit_id: &str, service_id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM visit_services WHERE visit_id = ?1 AND service_id = ?2")?
        .execute([visit_id, service_id])?;
    Ok(())
}

/// Removes a visit that records no service any more.
pub(crate) fn remove_if_empty(conn: &Connection, visit_id: &str) -> Result<()> {
    conn.prepare_cached(
        "DELETE FROM visits WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM visit_services WHERE visit_id = ?1)",
    )?
    .execute([visit_id])?;
    Ok(())
}

pub fn check_out(desk: &mut Desk, session: &Session, visit_id: &str) -> Result<Visit> {
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::CheckOut)?;
        let visit = get_in(tx, visit_id)?;
        if visit.checked_out_at.is_some() {
            return Err(Error::Visits(VisitsError::AlreadyCheckedOut));
        }
        // A clock set back since check-in must not make a visit end before it began.
        let at = now.max(visit.checked_in_at);
        tx.execute("UPDATE visits SET checked_out_at = ?2 WHERE id = ?1", params![visit_id, at])?;
        audit::record(tx, now, &actor, AuditEvent::CheckedOut, visit.person_id.as_deref(), anonymous_or_not(&visit))?;
        get_in(tx, visit_id)
    })
}

/// Takes back a check-out made by mistake (the wrong row, or they stepped out for a minute):
/// the same visit is open again, not a second one. Refused once they were checked in again.
pub fn undo_check_out(desk: &mut Desk, session: &Session, visit_id: &str) -> Result<Visit> {
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::CheckOut)?;
        let visit = get_in(tx, visit_id)?;
        if visit.checked_out_at.is_none() {
            return Ok(visit);
        }
        if let Some(person_id) = &visit.person_id {
            if let Some((other, since)) = open_visit(tx, person_id)? {
                return Err(Error::Visits(VisitsError::AlreadyCheckedIn { visit_id: other, since }));
            }
        }
        tx.execute("UPDATE visits SET checked_out_at = NULL WHERE id = ?1", [visit_id])?;
        audit::record(
            tx,
            now,
            &actor,
            AuditEvent::CheckOutUndone,
            visit.person_id.as_deref(),
            anonymous_or_not(&visit),
        )?;
        get_in(tx, visit_id)
    })
}

/// Closing time: checks out every open visit. Returns how many were closed.
pub fn check_out_everyone(desk: &mut Desk, session: &Session) -> Result<usize> {
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::CheckOut)?;
        let closed = tx
            .execute("UPDATE visits SET checked_out_at = MAX(?1, checked_in_at) WHERE checked_out_at IS NULL", [now])?;
        let detail = format!("{closed} {}", if closed == 1 { "visit" } else { "visits" });
        audit::record(tx, now, &actor, AuditEvent::EveryoneCheckedOut, None, &detail)?;
        Ok(closed)
    })
}

/// Takes back a mistaken check-in: the visit is gone from every figure.
pub fn undo_check_in(desk: &mut Desk, session: &Session, visit_id: &str) -> Result<()> {
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::CorrectVisit)?;
        let visit = get_in(tx, visit_id)?;
        tx.execute("DELETE FROM visits WHERE id = ?1", [visit_id])?;
        audit::record(tx, now, &actor, AuditEvent::CheckInUndone, visit.person_id.as_deref(), anonymous_or_not(&visit))
    })
}

/// Replaces a visit's services. A retired service may stay on a visit that already had it.
pub fn set_services(desk: &mut Desk, session: &Session, visit_id: &str, service_ids: &[String]) -> Result<Visit> {
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::CorrectVisit)?;
        let visit = get_in(tx, visit_id)?;
        let added: Vec<String> = service_ids.iter().filter(|id| !visit.service_ids.contains(id)).cloned().collect();
        services::ensure_active(tx, &added)?;
        replace_services(tx, visit_id, service_ids)?;
        let now_for = services_named(tx, service_ids)?;
        let detail = if now_for.is_empty() { "no service".to_owned() } else { now_for };
        audit::record(tx, now, &actor, AuditEvent::VisitServicesChanged, visit.person_id.as_deref(), &detail)?;
        get_in(tx, visit_id)
    })
}

/// The audit detail of a visit tied to nobody: "anonymous visitor"; none for a person's.
fn anonymous_or_not(visit: &Visit) -> &'static str {
    if visit.person_id.is_none() {
        "anonymous visitor"
    } else {
        ""
    }
}

fn replace_services(tx: &Transaction, visit_id: &str, service_ids: &[String]) -> Result<()> {
    tx.prepare_cached("DELETE FROM visit_services WHERE visit_id = ?1")?.execute([visit_id])?;
    let mut add = tx.prepare_cached("INSERT OR IGNORE INTO visit_services (visit_id, service_id) VALUES (?1, ?2)")?;
    for service_id in service_ids {
        add.execute([visit_id, service_id])?;
    }
    Ok(())
}

pub fn get(desk: &Desk, session: &Session, visit_id: &str) -> Result<Visit> {
    access::authorize(desk, session, Action::SeeWhoIsHere)?;
    get_in(desk.conn(), visit_id)
}

fn get_in(conn: &Connection, visit_id: &str) -> Result<Visit> {
    let visit = conn
        .prepare_cached("SELECT id, person_id, checked_in_at, checked_out_at FROM visits WHERE id = ?1")?
        .query_row([visit_id], |row| {
            Ok(Visit {
                id: row.get(0)?,
                person_id: row.get(1)?,
                checked_in_at: row.get(2)?,
                checked_out_at: row.get(3)?,
                service_ids: Vec::new(),
            })
        })
        .optional()?
        .ok_or(Error::Visits(VisitsError::VisitNotFound))?;
    Ok(Visit { service_ids: service_ids_of(conn, visit_id)?, ..visit })
}

fn service_ids_of(conn: &Connection, visit_id: &str) -> Result<Vec<String>> {
    let mut statement = conn.prepare_cached(
        "SELECT vs.service_id FROM visit_services vs JOIN services s ON s.id = vs.service_id
         WHERE vs.visit_id = ?1 ORDER BY s.position",
    )?;
    let ids = statement.query_map([visit_id], |row| row.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

/// Everyone in the building now, longest here first. Includes visits left open on an earlier
/// day, so that nobody stays "in" forever without the desk seeing it.
pub fn here_now(desk: &Desk, session: &Session) -> Result<Vec<OpenVisit>> {
    access::authorize(desk, session, Action::SeeWhoIsHere)?;
    let conn = desk.conn();
    let mut statement = conn.prepare_cached(
        "SELECT v.id, v.person_id, p.display_name, p.member_code, v.checked_in_at
         FROM visits v LEFT JOIN people p ON p.id = v.person_id
         WHERE v.checked_out_at IS NULL ORDER BY v.checked_in_at",
    )?;
    let rows = statement.query_map([], |row| {
        Ok(OpenVisit {
            visit_id: row.get(0)?,
            person_id: row.get(1)?,
            display_name: row.get(2)?,
            member_code: row.get(3)?,
            checked_in_at: row.get(4)?,
            service_ids: Vec::new(),
        })
    })?;
    let mut open = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    for visit in &mut open {
        visit.service_ids = service_ids_of(conn, &visit.visit_id)?;
    }
    Ok(open)
}

crate::error::domain_errors! {
    /// What stops a visit from being checked in or out.
    pub enum VisitsError, codes VisitsErrorCode {
        #[error("That visit no longer exists.")]
        VisitNotFound,
        #[error("Already checked in since {since}.")]
        AlreadyCheckedIn { visit_id: String, since: Timestamp },
        #[error("That visit is already checked out.")]
        AlreadyCheckedOut,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::{register, PeopleError, PersonInput};
    use crate::services::ServicesError;
    use crate::testkit::desk_at;
    use crate::testkit::OPERATOR;
    use chrono::Duration;

    fn person(desk: &mut Desk, name: &str) -> String {
        register(desk, &OPERATOR, &PersonInput { display_name: name.into(), ..Default::default() }).unwrap().id
    }

    fn service_ids(desk: &Desk, count: usize) -> Vec<String> {
        services::list(desk, &OPERATOR, false).unwrap().into_iter().take(count).map(|s| s.id).collect()
    }

    #[test]
    fn checking_in_twice_warns_and_keeps_one_visit() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let dan = person(&mut desk, "Dan R");
        let first = check_in(&mut desk, &OPERATOR, &dan, &[]).unwrap();
        let err = check_in(&mut desk, &OPERATOR, &dan, &[]).unwrap_err();
        match err {
            Error::Visits(VisitsError::AlreadyCheckedIn { visit_id, since }) => {
                assert_eq!(visit_id, first.id);
                assert_eq!(since, first.checked_in_at);
            }
            other => panic!("expected AlreadyCheckedIn, got {other:?}"),
        }
        assert_eq!(here_now(&desk, &OPERATOR).unwrap().len(), 1);
    }

    #[test]
    fn a_visit_records_its_services_and_they_can_be_edited() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let dan = person(&mut desk, "Dan R");
        let two = service_ids(&desk, 2);
        let visit = check_in(&mut desk, &OPERATOR, &dan, &two).unwrap();
        assert_eq!(visit.service_ids, two);

        let third = service_ids(&desk, 3).pop().unwrap();
        let edited = set_services(&mut desk, &OPERATOR, &visit.id, std::slice::from_ref(&third)).unwrap();
        assert_eq!(edited.service_ids, [third]);
    }

    #[test]
    fn an_unknown_service_refuses_the_whole_check_in() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let dan = person(&mut desk, "Dan R");
        let err = check_in(&mut desk, &OPERATOR, &dan, &["no-such-service".into()]).unwrap_err();
        assert!(matches!(err, Error::Services(ServicesError::UnknownService)));
        assert!(here_now(&desk, &OPERATOR).unwrap().is_empty(), "no half-written visit");
    }

    #[test]
    fn a_retired_service_stays_on_old_visits_but_not_new_ones() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let dan = person(&mut desk, "Dan R");
        let food = service_ids(&desk, 1);
        let visit = check_in(&mut desk, &OPERATOR, &dan, &food).unwrap();
        services::set_active(&mut desk, &OPERATOR, &food[0], false).unwrap();
        assert_eq!(set_services(&mut desk, &OPERATOR, &visit.id, &food).unwrap().service_ids, food);
        assert!(matches!(
            check_in_anonymous(&mut desk, &OPERATOR, &food),
            Err(Error::Services(ServicesError::UnknownService))
        ));
    }

    #[test]
    fn anonymous_visits_need_no_person() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let services = service_ids(&desk, 1);
        let visit = check_in_anonymous(&mut desk, &OPERATOR, &services).unwrap();
        assert_eq!(visit.person_id, None);
        let here = here_now(&desk, &OPERATOR).unwrap();
        assert_eq!(here.len(), 1);
        assert_eq!(here[0].display_name, None);
        assert_eq!(here[0].service_ids, services);
    }

    #[test]
    fn checking_out_closes_the_visit_once() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let dan = person(&mut desk, "Dan R");
        let visit = check_in(&mut desk, &OPERATOR, &dan, &[]).unwrap();
        desk.clock.advance(Duration::minutes(90));
        let closed = check_out(&mut desk, &OPERATOR, &visit.id).unwrap();
        assert_eq!(closed.checked_out_at.unwrap().to_string(), "2026-11-23T16:30:00.000Z");
        assert!(matches!(
            check_out(&mut desk, &OPERATOR, &visit.id),
            Err(Error::Visits(VisitsError::AlreadyCheckedOut))
        ));
        assert!(here_now(&desk, &OPERATOR).unwrap().is_empty());
        check_in(&mut desk, &OPERATOR, &dan, &[]).expect("may come back later the same day");
    }

    #[test]
    fn closing_time_checks_everyone_out() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        for name in ["Ann B", "Cal D", "Eve F"] {
            let id = person(&mut desk, name);
            check_in(&mut desk, &OPERATOR, &id, &[]).unwrap();
        }
        check_in_anonymous(&mut desk, &OPERATOR, &[]).unwrap();
        assert_eq!(check_out_everyone(&mut desk, &OPERATOR).unwrap(), 4);
        assert!(here_now(&desk, &OPERATOR).unwrap().is_empty());
    }

    #[test]
    fn undoing_a_check_in_removes_the_visit() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let dan = person(&mut desk, "Dan R");
        let two = service_ids(&desk, 2);
        let visit = check_in(&mut desk, &OPERATOR, &dan, &two).unwrap();
        undo_check_in(&mut desk, &OPERATOR, &visit.id).unwrap();
        assert!(matches!(get(&desk, &OPERATOR, &visit.id), Err(Error::Visits(VisitsError::VisitNotFound))));
        assert!(matches!(
            undo_check_in(&mut desk, &OPERATOR, &visit.id),
            Err(Error::Visits(VisitsError::VisitNotFound))
        ));
        check_in(&mut desk, &OPERATOR, &dan, &[]).expect("no longer counted as in the building");
    }

    #[test]
    fn a_check_out_made_by_mistake_is_undone_and_counts_one_visit() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let dan = person(&mut desk, "Dan R");
        let visit = check_in(&mut desk, &OPERATOR, &dan, &[]).unwrap();
        check_out(&mut desk, &OPERATOR, &visit.id).unwrap();
        let open = undo_check_out(&mut desk, &OPERATOR, &visit.id).unwrap();
        assert_eq!((open.id.as_str(), open.checked_out_at), (visit.id.as_str(), None), "the same visit, open");
        assert_eq!(here_now(&desk, &OPERATOR).unwrap().len(), 1);
        assert_eq!(crate::reports::today(&desk, &OPERATOR).unwrap().visits, 1, "one visit, not two");

        // Checked in again since: the other visit stands, and this one stays closed.
        check_out(&mut desk, &OPERATOR, &visit.id).unwrap();
        check_in(&mut desk, &OPERATOR, &dan, &[]).unwrap();
        let refused = undo_check_out(&mut desk, &OPERATOR, &visit.id).unwrap_err();
        assert!(matches!(refused, Error::Visits(VisitsError::AlreadyCheckedIn { .. })), "{refused}");
    }

    #[test]
    fn every_check_in_check_out_and_correction_is_in_the_audit_log_naming_the_person() {
        use crate::audit::{self, AuditQuery};
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let dan = person(&mut desk, "Dan R");
        let two = service_ids(&desk, 2);
        let visit = check_in(&mut desk, &OPERATOR, &dan, &two[..1]).unwrap();
        set_services(&mut desk, &OPERATOR, &visit.id, &two).unwrap();
        check_out(&mut desk, &OPERATOR, &visit.id).unwrap();
        undo_check_out(&mut desk, &OPERATOR, &visit.id).unwrap();
        undo_check_in(&mut desk, &OPERATOR, &visit.id).unwrap();
        check_in_anonymous(&mut desk, &OPERATOR, &[]).unwrap();
        check_out_everyone(&mut desk, &OPERATOR).unwrap();
        let log = audit::browse(&desk, &OPERATOR, &AuditQuery::default()).unwrap();
        let lines: Vec<(&str, Option<&str>, &str)> = log
            .iter()
            .rev()
            .filter(|entry| entry.event != "person_registered")
            .map(|entry| (entry.event.as_str(), entry.subject.as_deref(), entry.detail.as_str()))
            .collect();
        assert_eq!(
            lines,
            [
                ("checked_in", Some("Dan R"), "Peer coaching / mentoring"),
                ("visit_services_changed", Some("Dan R"), "Peer coaching / mentoring, Support group"),
                ("checked_out", Some("Dan R"), ""),
                ("check_out_undone", Some("Dan R"), ""),
                ("check_in_undone", Some("Dan R"), ""),
                ("checked_in", None, "anonymous visitor"),
                ("everyone_checked_out", None, "1 visit"),
            ]
        );
    }

    #[test]
    fn checking_in_someone_unknown_is_refused() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        assert!(matches!(
            check_in(&mut desk, &OPERATOR, "nobody", &[]),
            Err(Error::People(PeopleError::PersonNotFound))
        ));
    }
}
