//! The warmline: a peer-run, non-crisis listening line. A volunteer logs each [`calls`] call
//! while on the phone (one in progress is kept as it is typed), with its type, the caller
//! ([`callers`], known by an alias they chose, never a front-desk person), topics, referrals
//! from the [`resources`] directory, outcome and [`follow_ups`]. The [`handoff`] gathers what
//! the next shift needs, [`figures`] count calls for funders, and [`retention`] erases the
//! narrative (notes, "what helps", flags) once its period is over, everywhere, keeping the
//! coded fields the figures count.
//!
//! This module holds the lists a center configures: call types (each *support* or
//! *non-data*) and topics. They are retired, never deleted: old calls keep them.

pub mod callers;
pub mod calls;
pub mod figures;
pub mod follow_ups;
pub mod handoff;
pub mod resources;
pub mod retention;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::access::{self, Action, Session};
use crate::audit::{self, AuditEvent};
use crate::sync::entity::Table;
use crate::{new_id, retirable, text, Desk, Error, Result};

/// Whether a call gets the whole form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[ts(export)]
pub enum CallKind {
    Support,
    /// A hang-up, a silent call, a wrong number, a prank, a test: its type, times and who took
    /// it are kept, nothing else.
    NonData,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CallType {
    pub id: String,
    pub name: String,
    pub kind: CallKind,
    pub retired: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Topic {
    pub id: String,
    pub name: String,
    pub retired: bool,
}

/// What the call form offers, in the center's order.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Catalog {
    pub call_types: Vec<CallType>,
    pub topics: Vec<Topic>,
}

/// Two of the call types every desk comes with (migration 011), by their ids, the same on every
/// desk: the support call and the non-data call that tests, benchmarks and scripts log.
pub const PEER_SUPPORT: &str = "01933b00-0000-7000-8001-000000000001";
pub const HANG_UP: &str = "01933b00-0000-7000-8001-000000000003";

pub(crate) const CALL_TYPES: Table = Table {
    entity: "warmline_call_type",
    table: "warmline_call_types",
    columns: &["name", "kind", "position", "retired_at"],
    ..Table::PLAIN
};

pub(crate) const TOPICS: Table = Table {
    entity: "warmline_topic",
    table: "warmline_topics",
    columns: &["name", "position", "retired_at"],
    ..Table::PLAIN
};

/// The call types and topics; retired ones only when asked for (a coordinator's lists).
pub fn catalog(desk: &Desk, session: &Session, with_retired: bool) -> Result<Catalog> {
    access::authorize(desk, session, Action::TakeCalls)?;
    catalog_in(desk.conn(), with_retired)
}

pub(crate) fn catalog_in(conn: &Connection, with_retired: bool) -> Result<Catalog> {
    let mut types = conn.prepare_cached(
        "SELECT id, name, kind, retired_at IS NOT NULL FROM warmline_call_types
         WHERE ?1 OR retired_at IS NULL ORDER BY position, name COLLATE NOCASE",
    )?;
    let call_types = types.query_map([with_retired], |row| {
        Ok(CallType {
            id: row.get(0)?,
            name: row.get(1)?,
            kind: text::parse_or(row.get::<_, String>(2)?, CallKind::Support),
            retired: row.get(3)?,
        })
    })?;
    let mut topics = conn.prepare_cached(
        "SELECT id, name, retired_at IS NOT NULL FROM warmline_topics
         WHERE ?1 OR retired_at IS NULL ORDER BY position, name COLLATE NOCASE",
    )?;
    let topics = topics
        .query_map([with_retired], |row| Ok(Topic { id: row.get(0)?, name: row.get(1)?, retired: row.get(2)? }))?;
    Ok(Catalog {
        call_types: call_types.collect::<rusqlite::Result<_>>()?,
        topics: topics.collect::<rusqlite::Result<_>>()?,
    })
}

/// Adds a call type at the end of the list.
pub fn add_call_type(desk: &mut Desk, session: &Session, name: &str, kind: CallKind) -> Result<CallType> {
    let name = retirable::name(name)?;
    let id = desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageWarmline)?;
        retirable::ensure_unused(tx, "warmline_call_types", &name)?;
        let id = new_id();
        tx.execute(
            "INSERT INTO warmline_call_types (id, name, kind, position)
             VALUES (?1, ?2, ?3, (SELECT COALESCE(MAX(position), 0) + 1 FROM warmline_call_types))",
            params![id, name, <&str>::from(kind)],
        )?;
        audit::record(tx, now, &actor, AuditEvent::WarmlineChanged, Some(&id), &format!("call type {name} added"))?;
        Ok(id)
    })?;
    let catalog = catalog_in(desk.conn(), true)?;
    Ok(catalog.call_types.into_iter().find(|t| t.id == id).expect("just added"))
}

pub fn add_topic(desk: &mut Desk, session: &Session, name: &str) -> Result<Topic> {
    let name = retirable::name(name)?;
    let id = desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageWarmline)?;
        retirable::ensure_unused(tx, "warmline_topics", &name)?;
        let id = new_id();
        tx.execute(
            "INSERT INTO warmline_topics (id, name, position)
             VALUES (?1, ?2, (SELECT COALESCE(MAX(position), 0) + 1 FROM warmline_topics))",
            params![id, name],
        )?;
        audit::record(tx, now, &actor, AuditEvent::WarmlineChanged, Some(&id), &format!("topic {name} added"))?;
        Ok(id)
    })?;
    let catalog = catalog_in(desk.conn(), true)?;
    Ok(catalog.topics.into_iter().find(|t| t.id == id).expect("just added"))
}

/// Retires a call type or topic (no longer offered; old calls keep it), or offers it again.
pub fn set_retired(desk: &mut Desk, session: &Session, id: &str, retired: bool) -> Result<Catalog> {
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::ManageWarmline)?;
        if !retirable::set_retired(tx, &["warmline_call_types", "warmline_topics"], id, retired, now)? {
            return Err(Error::Warmline(WarmlineError::NotOffered));
        }
        let detail = if retired { "retired" } else { "offered again" };
        audit::record(tx, now, &actor, AuditEvent::WarmlineChanged, Some(id), detail)
    })?;
    catalog_in(desk.conn(), true)
}

/// The kind of an offered call type, or why it cannot be used for a new call.
pub(crate) fn kind_of(conn: &Connection, call_type_id: &str, allow_retired: bool) -> Result<CallKind> {
    let row: Option<(String, bool)> = conn
        .prepare_cached("SELECT kind, retired_at IS NOT NULL FROM warmline_call_types WHERE id = ?1")?
        .query_row([call_type_id], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    match row {
        Some((kind, retired)) if allow_retired || !retired => Ok(text::parse_or(kind, CallKind::Support)),
        _ => Err(Error::Warmline(WarmlineError::NotOffered)),
    }
}

crate::error::domain_errors! {
    /// What stops a call, a caller, a follow-up or the line's records from being saved.
    pub enum WarmlineError, codes WarmlineErrorCode {
        #[error("Choose the call's type first.")]
        CallTypeRequired in "call_type_id",
        #[error("That call type or topic is no longer offered.")]
        NotOffered,
        #[error("The call ends before it starts: check the end time.")]
        CallEndsBeforeStart in "ended_at",
        #[error("A call cannot start in the future.")]
        CallStartsInFuture in "started_at",
        #[error("A call lasts at most {max_hours} hours.")]
        CallTooLong { max_hours: u32 } in "duration_seconds",
        #[error("An escalation needs a short reason.")]
        EscalationReasonRequired in "escalation_reason",
        #[error("A follow-up is due later than now: choose a time ahead.")]
        FollowUpDueInPast in "due_at",
        #[error("A callback needs the number to call.")]
        CallbackNumberRequired in "callback_number",
        #[error("{0} is no longer in the directory: choose another resource.")]
        ResourceRetired(String) in "resource_ids",
        #[error("That resource is not in the directory.")]
        ResourceNotFound in "resource_ids",
        #[error("A caller needs the alias they chose.")]
        AliasRequired in "alias",
        #[error("A caller already uses the alias \"{alias}\": pick them, or ask for another alias.")]
        AliasTaken { alias: String, caller_id: String } in "alias",
        #[error("That caller is not on this desk.")]
        CallerNotFound,
        #[error("That call is not on this desk.")]
        CallNotFound,
        #[error("That follow-up is not on this desk.")]
        FollowUpNotFound,
        #[error("This follow-up was already completed.")]
        FollowUpAlreadyDone,
        #[error("A volunteer may change their own call for {hours} hours after it; ask a coordinator now.")]
        EditWindowClosed { hours: u32 },
        #[error("Say why the records are kept (a court order, an investigation).")]
        HoldReasonRequired in "hold_reason",
        #[error("A flag needs its text.")]
        FlagTextRequired in "flag_text",
        #[error("Write what the next volunteer should know.")]
        HandoffNoteRequired in "handoff_note",
        #[error("A flag lasts from today to at most a year ahead.")]
        FlagUntilOutOfRange in "until",
        #[error("Link a caller to a person only with the person's consent, given to you now.")]
        LinkNeedsConsent in "consent",
        #[error("The call in progress is too long to save ({max} characters at most).")]
        DraftTooLarge { max: usize },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::retirable::RetirableError;
    use crate::testkit::{desk_at, OPERATOR};

    #[test]
    fn the_lists_come_seeded_and_a_retired_item_is_offered_no_more() {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let catalog = catalog(&desk, &OPERATOR, false).unwrap();
        let names: Vec<&str> = catalog.call_types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Peer support",
                "Information request",
                "Hang-up",
                "Silent",
                "Wrong number",
                "Prank or abusive",
                "Test call"
            ]
        );
        assert_eq!(catalog.call_types[2].kind, CallKind::NonData);
        assert_eq!(catalog.topics.len(), 12);

        let veterans = add_topic(&mut desk, &OPERATOR, " Veterans ").unwrap();
        assert_eq!(veterans.name, "Veterans");
        assert!(matches!(
            add_topic(&mut desk, &OPERATOR, "veterans"),
            Err(Error::Retirable(RetirableError::DuplicateName(_)))
        ));
        set_retired(&mut desk, &OPERATOR, &veterans.id, true).unwrap();
        assert!(!super::catalog(&desk, &OPERATOR, false).unwrap().topics.iter().any(|t| t.id == veterans.id));
        assert!(super::catalog(&desk, &OPERATOR, true)
            .unwrap()
            .topics
            .iter()
            .any(|t| t.id == veterans.id && t.retired));
        let callback = add_call_type(&mut desk, &OPERATOR, "Callback", CallKind::Support).unwrap();
        assert_eq!(super::catalog(&desk, &OPERATOR, false).unwrap().call_types.last().unwrap().id, callback.id);
        assert!(matches!(
            add_call_type(&mut desk, &OPERATOR, "  ", CallKind::Support),
            Err(Error::Retirable(RetirableError::NameRequired))
        ));
    }
}
