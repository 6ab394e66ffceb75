//! Callbacks a caller asked for, due at a time, queued for whoever is on the line then; the
//! volunteer who makes one records how it went.

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::access::{self, Action, Actor, Session};
use crate::sync::entity::Table;
use crate::sync::erasure::{Erased, OnForget, Personal};
use crate::warmline::WarmlineError;
use crate::{new_id, text, Desk, Error, Result, Timestamp};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FollowUpInput {
    pub due_at: Timestamp,
    /// What the caller asked for ("call back Friday about the housing list").
    pub request: Option<String>,
    pub callback_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct FollowUp {
    pub id: String,
    pub call_id: String,
    pub caller_alias: Option<String>,
    pub due_at: Timestamp,
    pub request: Option<String>,
    pub callback_number: Option<String>,
    pub created_at: Timestamp,
    pub created_by_name: Option<String>,
    pub completed_at: Option<Timestamp>,
    pub completed_by_name: Option<String>,
    pub completion_note: Option<String>,
}

pub(crate) const SYNCED: Table = Table {
    entity: "warmline_follow_up",
    table: "warmline_follow_ups",
    columns: &[
        "call_id",
        "due_at",
        "request",
        "callback_number",
        "created_at",
        "created_by",
        "completed_at",
        "completed_by",
        "completion_note",
        "erased_at",
    ],
    personal: &[
        Personal { field: "request", erased: Erased::Null },
        Personal { field: "callback_number", erased: Erased::Null },
        Personal { field: "completion_note", erased: Erased::Null },
    ],
    erased_marker: Some("erased_at"),
    when_person_forgotten: OnForget::EraseRows {
        select: "SELECT f.id FROM warmline_follow_ups f JOIN warmline_calls k ON k.id = f.call_id
                   JOIN warmline_callers c ON c.id = k.caller_id
                 WHERE c.person_id = ?1
                   AND (f.request IS NOT NULL OR f.callback_number IS NOT NULL OR f.completion_note IS NOT NULL)
                   AND k.held_at IS NULL AND c.held_at IS NULL",
    },
    ..Table::PLAIN
};

const SELECT: &str = "SELECT f.id, f.call_id, c.alias, f.due_at, f.request, f.callback_number, f.created_at,
        creator.name, f.completed_at, completer.name, f.completion_note
     FROM warmline_follow_ups f
     JOIN warmline_calls k ON k.id = f.call_id
     LEFT JOIN warmline_callers c ON c.id = k.caller_id
     LEFT JOIN accounts creator ON creator.id = f.created_by
     LEFT JOIN accounts completer ON completer.id = f.completed_by";

fn from_row(row: &Row) -> rusqlite::Result<FollowUp> {
    Ok(FollowUp {
        id: row.get(0)?,
        call_id: row.get(1)?,
        caller_alias: row.get(2)?,
        due_at: row.get(3)?,
        request: row.get(4)?,
        callback_number: row.get(5)?,
        created_at: row.get(6)?,
        created_by_name: row.get(7)?,
        completed_at: row.get(8)?,
        completed_by_name: row.get(9)?,
        completion_note: row.get(10)?,
    })
}

/// The callbacks still to make, soonest due first (overdue ones at the top).
pub fn open(desk: &Desk, session: &Session) -> Result<Vec<FollowUp>> {
    access::authorize(desk, session, Action::TakeCalls)?;
    open_in(desk.conn())
}

pub(crate) fn open_in(conn: &Connection) -> Result<Vec<FollowUp>> {
    let mut statement =
        conn.prepare_cached(&format!("{SELECT} WHERE f.completed_at IS NULL ORDER BY f.due_at, f.id"))?;
    let rows = statement.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The callbacks made since `since`, the latest first.
pub(crate) fn done_since(conn: &Connection, since: Timestamp) -> Result<Vec<FollowUp>> {
    let mut statement =
        conn.prepare_cached(&format!("{SELECT} WHERE f.completed_at >= ?1 ORDER BY f.completed_at DESC, f.id"))?;
    let rows = statement.query_map([since], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A call's follow-ups, done or not.
pub(crate) fn of_call(conn: &Connection, call_id: &str) -> Result<Vec<FollowUp>> {
    let mut statement = conn.prepare_cached(&format!("{SELECT} WHERE f.call_id = ?1 ORDER BY f.due_at, f.id"))?;
    let rows = statement.query_map([call_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Asks for a callback after a call.
pub fn add(desk: &mut Desk, session: &Session, call_id: &str, input: &FollowUpInput) -> Result<FollowUp> {
    let input = input.checked(desk.now())?;
    let id = desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::TakeCalls)?;
        if !tx.prepare_cached("SELECT 1 FROM warmline_calls WHERE id = ?1")?.exists([call_id])? {
            return Err(Error::Warmline(WarmlineError::CallNotFound));
        }
        insert(tx, now, &actor, call_id, &input)
    })?;
    get_in(desk.conn(), &id)
}

/// Records that a callback was made (or tried), and how it went.
pub fn complete(desk: &mut Desk, session: &Session, id: &str, how_it_went: Option<&str>) -> Result<FollowUp> {
    let note = text::note(how_it_went, "completion_note", "How it went", 1_000)?;
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::TakeCalls)?;
        let done: Option<Option<Timestamp>> = tx
            .query_row("SELECT completed_at FROM warmline_follow_ups WHERE id = ?1", [id], |row| row.get(0))
            .optional()?;
        match done {
            None => return Err(Error::Warmline(WarmlineError::FollowUpNotFound)),
            Some(Some(_)) => return Err(Error::Warmline(WarmlineError::FollowUpAlreadyDone)),
            Some(None) => {}
        }
        tx.execute(
            "UPDATE warmline_follow_ups SET completed_at = ?2, completed_by = ?3, completion_note = ?4 WHERE id = ?1",
            params![id, now, actor.account_id, note],
        )?;
        Ok(())
    })?;
    get_in(desk.conn(), id)
}

impl FollowUpInput {
    /// Trimmed and checked: due later than `now`, with a number to call (callers' numbers are
    /// kept nowhere else).
    pub(crate) fn checked(&self, now: Timestamp) -> Result<FollowUpInput> {
        if self.due_at <= now {
            return Err(Error::Warmline(WarmlineError::FollowUpDueInPast));
        }
        let callback_number =
            text::optional(self.callback_number.as_deref(), "callback_number", "Callback number", 40)?
                .ok_or(Error::Warmline(WarmlineError::CallbackNumberRequired))?;
        Ok(FollowUpInput {
            due_at: self.due_at,
            request: text::note(self.request.as_deref(), "request", "What they asked for", 500)?,
            callback_number: Some(callback_number),
        })
    }
}

/// Inserts an already-checked follow-up of a call.
pub(crate) fn insert(
    tx: &Transaction,
    now: Timestamp,
    actor: &Actor,
    call_id: &str,
    input: &FollowUpInput,
) -> Result<String> {
    let id = new_id();
    tx.prepare_cached(
        "INSERT INTO warmline_follow_ups (id, call_id, due_at, request, callback_number, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![id, call_id, input.due_at, input.request, input.callback_number, now, actor.account_id])?;
    Ok(id)
}

fn get_in(conn: &Connection, id: &str) -> Result<FollowUp> {
    conn.prepare_cached(&format!("{SELECT} WHERE f.id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or(Error::Warmline(WarmlineError::FollowUpNotFound))
}
