//! A call, from the keystroke that starts it to the record the figures count. The call on the
//! phone now is this desk's own ([`start`], [`save_open`]): kept as it is typed, so closing
//! the app or a power cut mid-call loses nothing, and sent to no one until it is logged.
//! Logging it ([`finish`], or [`log`] for a call taken away from the desk) checks it whole.
//!
//! A non-data call keeps its type, its times and who took it, nothing else, whatever was typed
//! before its type was chosen. A volunteer may change their own call for a day after logging
//! it; after that only a coordinator or admin may, and every change is audited.

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::follow_ups::{self, FollowUp, FollowUpInput};
use super::{kind_of, resources, CallKind};
use crate::access::{self, AccessError, Action, Actor, Scope, Session};
use crate::audit::{self, AuditEvent};
use crate::clock::day_bounds;
use crate::error::CommonError;
use crate::sync::entity::{List, Table};
use crate::sync::erasure::{Erased, OnForget, Personal};
use crate::warmline::WarmlineError;
use crate::{new_id, text, Desk, Error, Result, Timestamp};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    TS,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[ts(export)]
pub enum Outcome {
    SupportiveListening,
    InformationOrReferral,
    FollowUpRequested,
    /// Handed to 988 or another crisis line.
    TransferredToCrisisLine,
    EmergencyServices,
}

impl Outcome {
    pub const ALL: &'static [Outcome] = <Outcome as strum::VariantArray>::VARIANTS;

    /// How a report names it, and the network's figures: the names a hub takes, in this order.
    pub fn label(self) -> &'static str {
        porchlight_protocol::CALL_OUTCOMES[self as usize]
    }

    /// A hand-off to crisis help is always an escalation.
    pub fn escalates(self) -> bool {
        matches!(self, Outcome::TransferredToCrisisLine | Outcome::EmergencyServices)
    }
}

/// A call as the form sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CallInput {
    pub call_type_id: Option<String>,
    /// `None`: anonymous.
    #[serde(default)]
    pub caller_id: Option<String>,
    pub started_at: Timestamp,
    /// `None`: it ends now.
    #[serde(default)]
    pub ended_at: Option<Timestamp>,
    /// `None`: from start to end. A volunteer may correct it (the call went on hold).
    #[serde(default)]
    pub duration_seconds: Option<u32>,
    /// Who took it when someone else logs it afterwards; `None`: the signed-in account.
    #[serde(default)]
    pub taken_by: Option<String>,
    #[serde(default)]
    pub topic_ids: Vec<String>,
    #[serde(default)]
    pub resource_ids: Vec<String>,
    #[serde(default)]
    pub outcome: Option<Outcome>,
    #[serde(default)]
    pub escalated: bool,
    #[serde(default)]
    pub escalation_reason: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub follow_up: Option<FollowUpInput>,
}

impl CallInput {
    /// A call of `call_type_id` from `started_at` to now, with nothing else said.
    pub fn of_type(call_type_id: &str, started_at: Timestamp) -> CallInput {
        CallInput {
            call_type_id: Some(call_type_id.to_owned()),
            caller_id: None,
            started_at,
            ended_at: None,
            duration_seconds: None,
            taken_by: None,
            topic_ids: Vec::new(),
            resource_ids: Vec::new(),
            outcome: None,
            escalated: false,
            escalation_reason: None,
            notes: None,
            follow_up: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Named {
    pub id: String,
    pub name: String,
}

/// A call as lists show it: no notes.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CallSummary {
    pub id: String,
    pub call_type_id: String,
    pub call_type_name: String,
    pub kind: CallKind,
    pub caller_id: Option<String>,
    pub caller_alias: Option<String>,
    /// The caller's first call; `None` for an anonymous or non-data call.
    pub first_time: Option<bool>,
    pub taken_by: String,
    pub taken_by_name: String,
    pub started_at: Timestamp,
    pub ended_at: Timestamp,
    pub duration_seconds: u32,
    pub outcome: Option<Outcome>,
    pub escalated: bool,
    /// Why it was escalated: the handoff leads with it.
    pub escalation_reason: Option<String>,
    pub topics: Vec<Named>,
    pub referrals: Vec<Named>,
    pub has_notes: bool,
}

/// A call opened in full, notes and all (audited).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Call {
    #[serde(flatten)]
    pub summary: CallSummary,
    pub notes: Option<String>,
    /// Its notes were erased when their time was up; the coded fields stay.
    pub notes_erased: bool,
    pub held_reason: Option<String>,
    pub logged_by_name: Option<String>,
    pub follow_ups: Vec<FollowUp>,
    /// Until when the volunteer who took it may still change it.
    pub editable_until: Timestamp,
}

/// The call on the phone now, as typed so far: the window's own form, kept as it sends it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct OpenCall {
    pub started_at: Timestamp,
    /// The form as the window last saved it (JSON); `{}` when nothing was typed yet.
    pub draft: String,
    pub saved_at: Timestamp,
}

pub(crate) const SYNCED: Table = Table {
    entity: "warmline_call",
    table: "warmline_calls",
    describe: Some(
        "SELECT 'call from ' || COALESCE('caller ' || c.alias, 'an unnamed caller') FROM warmline_calls k
         LEFT JOIN warmline_callers c ON c.id = k.caller_id WHERE k.id = ?1",
    ),
    columns: &[
        "call_type_id",
        "caller_id",
        "taken_by",
        "logged_by",
        "started_at",
        "ended_at",
        "duration_seconds",
        "outcome",
        "escalated",
        "escalation_reason",
        "notes",
        "created_at",
        "updated_at",
        "held_reason",
        "held_at",
        "notes_erased_at",
    ],
    lists: &[
        List { field: "topic_ids", table: "warmline_call_topics", parent_column: "call_id", value_column: "topic_id" },
        List {
            field: "resource_ids",
            table: "warmline_call_referrals",
            parent_column: "call_id",
            value_column: "resource_id",
        },
    ],
    personal: &[
        Personal { field: "notes", erased: Erased::Null },
        Personal { field: "escalation_reason", erased: Erased::Null },
    ],
    erased_marker: Some("notes_erased_at"),
    when_person_forgotten: OnForget::EraseRows {
        select: "SELECT k.id FROM warmline_calls k JOIN warmline_callers c ON c.id = k.caller_id
                 WHERE c.person_id = ?1 AND (k.notes IS NOT NULL OR k.escalation_reason IS NOT NULL)
                   AND k.held_at IS NULL AND c.held_at IS NULL",
    },
    ..Table::PLAIN
};

/// How long a volunteer may change their own call after logging it.
pub const EDIT_WINDOW_HOURS: u32 = 24;
const LONGEST_CALL_HOURS: u32 = 12;
const NOTES_MAX: usize = 4_000;
const DRAFT_MAX: usize = 64 * 1024;

/// A call checked whole, as it is stored: a non-data call with every other field empty.
struct Checked {
    call_type_id: String,
    caller_id: Option<String>,
    taken_by: String,
    started_at: Timestamp,
    ended_at: Timestamp,
    duration_seconds: u32,
    topic_ids: Vec<String>,
    resource_ids: Vec<String>,
    outcome: Option<Outcome>,
    escalated: bool,
    escalation_reason: Option<String>,
    notes: Option<String>,
    follow_up: Option<FollowUpInput>,
}

/// What an edited call already had, which it may keep though no longer offered.
#[derive(Default)]
struct Before {
    call_type_id: Option<String>,
    /// A start another desk's clock gave it is kept, even if this desk's clock is behind it.
    started_at: Option<Timestamp>,
    topic_ids: Vec<String>,
    resource_ids: Vec<String>,
}

impl CallInput {
    fn checked(&self, tx: &Transaction, now: Timestamp, actor: &Actor, before: &Before) -> Result<Checked> {
        let call_type_id = self
            .call_type_id
            .clone()
            .filter(|id| !id.is_empty())
            .ok_or(Error::Warmline(WarmlineError::CallTypeRequired))?;
        let kind = kind_of(tx, &call_type_id, before.call_type_id.as_deref() == Some(call_type_id.as_str()))?;
        let ended_at = self.ended_at.unwrap_or(now);
        if ended_at < self.started_at {
            return Err(Error::Warmline(WarmlineError::CallEndsBeforeStart));
        }
        // A desk's clock may run a little ahead of the phone's.
        if self.started_at.0 > now.0 + Duration::minutes(5) && before.started_at != Some(self.started_at) {
            return Err(Error::Warmline(WarmlineError::CallStartsInFuture));
        }
        let measured = (ended_at.0 - self.started_at.0).num_seconds();
        let duration_seconds = self.duration_seconds.map_or(measured, i64::from);
        if measured.max(duration_seconds) > i64::from(LONGEST_CALL_HOURS) * 3_600 {
            return Err(Error::Warmline(WarmlineError::CallTooLong { max_hours: LONGEST_CALL_HOURS }));
        }
        let taken_by = match &self.taken_by {
            Some(account_id) => account_id.clone(),
            None => actor.account_id.clone().ok_or(Error::Access(AccessError::AccountNotFound))?,
        };
        if !tx.prepare_cached("SELECT 1 FROM accounts WHERE id = ?1")?.exists([&taken_by])? {
            return Err(Error::Access(AccessError::AccountNotFound));
        }
        let mut checked = Checked {
            call_type_id,
            caller_id: None,
            taken_by,
            started_at: self.started_at,
            ended_at,
            duration_seconds: u32::try_from(duration_seconds).unwrap_or_default(),
            topic_ids: Vec::new(),
            resource_ids: Vec::new(),
            outcome: None,
            escalated: false,
            escalation_reason: None,
            notes: None,
            follow_up: None,
        };
        if kind == CallKind::NonData {
            return Ok(checked);
        }
        if let Some(caller_id) = &self.caller_id {
            super::callers::ensure_exists(tx, caller_id)?;
        }
        checked.caller_id = self.caller_id.clone();
        checked.topic_ids = unique(&self.topic_ids);
        let mut topic = tx.prepare_cached("SELECT retired_at IS NULL FROM warmline_topics WHERE id = ?1")?;
        for id in &checked.topic_ids {
            let offered: Option<bool> = topic.query_row([id], |row| row.get(0)).optional()?;
            if !(offered == Some(true) || (offered.is_some() && before.topic_ids.contains(id))) {
                return Err(Error::Warmline(WarmlineError::NotOffered));
            }
        }
        checked.resource_ids = unique(&self.resource_ids);
        let new: Vec<String> =
            checked.resource_ids.iter().filter(|id| !before.resource_ids.contains(id)).cloned().collect();
        resources::ensure_offered(tx, &new)?;
        checked.outcome = self.outcome;
        checked.escalated = self.escalated || self.outcome.is_some_and(Outcome::escalates);
        checked.escalation_reason =
            text::optional(self.escalation_reason.as_deref(), "escalation_reason", "Reason", 300)?;
        if checked.escalated && checked.escalation_reason.is_none() {
            return Err(Error::Warmline(WarmlineError::EscalationReasonRequired));
        }
        if !checked.escalated {
            checked.escalation_reason = None;
        }
        checked.notes = text::note(self.notes.as_deref(), "notes", "Notes", NOTES_MAX)?;
        checked.follow_up = self.follow_up.as_ref().map(|f| f.checked(now)).transpose()?;
        Ok(checked)
    }
}

fn unique(ids: &[String]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    ids.iter().filter(|id| seen.insert(id.as_str())).cloned().collect()
}

/// Starts a call on the phone now: the timer runs from this moment. A call already open for
/// the signed-in account is handed back as it was, timer and all.
pub fn start(desk: &mut Desk, session: &Session) -> Result<OpenCall> {
    desk.write(|tx, now| {
        access::authorize_in(tx, session, Action::TakeCalls)?;
        let account_id = session.account_id().ok_or(Error::Access(AccessError::SignedOut))?;
        tx.prepare_cached(
            "INSERT INTO warmline_open_calls (account_id, started_at, draft, saved_at) VALUES (?1, ?2, '{}', ?2)
             ON CONFLICT (account_id) DO NOTHING",
        )?
        .execute(params![account_id, now])?;
        open_in(tx, account_id)?.ok_or(Error::Warmline(WarmlineError::CallNotFound))
    })
}

/// Saves the call form as typed so far. Nothing in it is checked: it is checked when logged.
pub fn save_open(desk: &mut Desk, session: &Session, draft: &str) -> Result<OpenCall> {
    if draft.len() > DRAFT_MAX {
        return Err(Error::Warmline(WarmlineError::DraftTooLarge { max: DRAFT_MAX }));
    }
    desk.write(|tx, now| {
        access::authorize_in(tx, session, Action::TakeCalls)?;
        let account_id = session.account_id().ok_or(Error::Access(AccessError::SignedOut))?;
        let saved = tx
            .prepare_cached("UPDATE warmline_open_calls SET draft = ?2, saved_at = ?3 WHERE account_id = ?1")?
            .execute(params![account_id, draft, now])?;
        if saved == 0 {
            return Err(Error::Warmline(WarmlineError::CallNotFound));
        }
        open_in(tx, account_id)?.ok_or(Error::Warmline(WarmlineError::CallNotFound))
    })
}

/// The signed-in account's call in progress, if any: on the next start after a crash, too.
pub fn open_call(desk: &Desk, session: &Session) -> Result<Option<OpenCall>> {
    access::authorize(desk, session, Action::TakeCalls)?;
    match session.account_id() {
        Some(account_id) => open_in(desk.conn(), account_id),
        None => Ok(None),
    }
}

/// Drops the call in progress without logging it (started by mistake).
pub fn discard_open(desk: &mut Desk, session: &Session) -> Result<()> {
    desk.write(|tx, _| {
        access::authorize_in(tx, session, Action::TakeCalls)?;
        let account_id = session.account_id().ok_or(Error::Access(AccessError::SignedOut))?;
        tx.prepare_cached("DELETE FROM warmline_open_calls WHERE account_id = ?1")?.execute([account_id])?;
        Ok(())
    })
}

fn open_in(conn: &Connection, account_id: &str) -> Result<Option<OpenCall>> {
    Ok(conn
        .prepare_cached("SELECT started_at, draft, saved_at FROM warmline_open_calls WHERE account_id = ?1")?
        .query_row([account_id], |row| {
            Ok(OpenCall { started_at: row.get(0)?, draft: row.get(1)?, saved_at: row.get(2)? })
        })
        .optional()?)
}

/// Logs the call in progress and closes it, in one step: either it is logged whole or it stays open.
pub fn finish(desk: &mut Desk, session: &Session, input: &CallInput) -> Result<Call> {
    let id = desk.write(|tx, now| {
        let id = insert_checked(tx, now, session, input)?;
        let account_id = session.account_id().ok_or(Error::Access(AccessError::SignedOut))?;
        tx.prepare_cached("DELETE FROM warmline_open_calls WHERE account_id = ?1")?.execute([account_id])?;
        Ok(id)
    })?;
    get_in(desk.conn(), &id)
}

/// Logs a call: one that just ended, or one taken away from the desk, with its own start time
/// and the volunteer who took it.
pub fn log(desk: &mut Desk, session: &Session, input: &CallInput) -> Result<Call> {
    let id = desk.write(|tx, now| insert_checked(tx, now, session, input))?;
    get_in(desk.conn(), &id)
}

fn insert_checked(tx: &Transaction, now: Timestamp, session: &Session, input: &CallInput) -> Result<String> {
    let actor = access::authorize_in(tx, session, Action::TakeCalls)?;
    insert(tx, now, &actor, input)
}

/// Checks and stores a call as `actor` logged it at `now`: also the demo's history.
pub(crate) fn insert(tx: &Transaction, now: Timestamp, actor: &Actor, input: &CallInput) -> Result<String> {
    let call = input.checked(tx, now, actor, &Before::default())?;
    let id = new_id();
    tx.prepare_cached(
        "INSERT INTO warmline_calls
            (id, call_type_id, caller_id, taken_by, logged_by, started_at, ended_at, duration_seconds, outcome,
             escalated, escalation_reason, notes, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
    )?
    .execute(params![
        id,
        call.call_type_id,
        call.caller_id,
        call.taken_by,
        actor.account_id,
        call.started_at,
        call.ended_at,
        call.duration_seconds,
        call.outcome.map(<&str>::from),
        call.escalated,
        call.escalation_reason,
        call.notes,
        now
    ])?;
    write_lists(tx, &id, &call)?;
    if let Some(follow_up) = &call.follow_up {
        follow_ups::insert(tx, now, actor, &id, follow_up)?;
    }
    Ok(id)
}

/// A stored call's taker, logging time, whether its notes were erased, end, type and start.
type Stored = (String, Timestamp, bool, Timestamp, String, Timestamp);

/// Changes a logged call: the volunteer who took it, for [`EDIT_WINDOW_HOURS`] after logging
/// it; a coordinator or admin at any time. Audited. Notes already erased stay erased.
pub fn update(desk: &mut Desk, session: &Session, id: &str, input: &CallInput) -> Result<Call> {
    desk.write(|tx, now| {
        // The call as it stands, read once: whose it is, its day's window, what it may keep.
        let (taken_by, created_at, erased, ended_at, call_type_id, started_at): Stored = tx
            .query_row(
                "SELECT taken_by, created_at, notes_erased_at IS NOT NULL, ended_at, call_type_id, started_at
                 FROM warmline_calls WHERE id = ?1",
                [id],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?)),
            )
            .optional()?
            .ok_or(Error::Warmline(WarmlineError::CallNotFound))?;
        let actor = access::authorize_own_in(tx, session, Action::EditCall, Some(&taken_by))?;
        let window_closed = now.0 >= editable_until(created_at).0;
        if window_closed && Action::EditCall.scope_for(&actor.roles) == Some(Scope::Own) {
            return Err(Error::Warmline(WarmlineError::EditWindowClosed { hours: EDIT_WINDOW_HOURS }));
        }
        let before = Before {
            call_type_id: Some(call_type_id),
            started_at: Some(started_at),
            topic_ids: list_of(tx, "SELECT topic_id FROM warmline_call_topics WHERE call_id = ?1", id)?,
            resource_ids: list_of(tx, "SELECT resource_id FROM warmline_call_referrals WHERE call_id = ?1", id)?,
        };
        // An edit that leaves the end out keeps the call's end; it does not end the call again now.
        let input = CallInput {
            taken_by: Some(input.taken_by.clone().unwrap_or(taken_by)),
            ended_at: Some(input.ended_at.unwrap_or(ended_at)),
            ..input.clone()
        };
        let mut call = input.checked(tx, now, &actor, &before)?;
        if erased {
            (call.notes, call.escalation_reason) = (None, None);
        }
        tx.prepare_cached(
            "UPDATE warmline_calls SET call_type_id = ?2, caller_id = ?3, taken_by = ?4, started_at = ?5, ended_at = ?6,
                 duration_seconds = ?7, outcome = ?8, escalated = ?9, escalation_reason = ?10, notes = ?11, updated_at = ?12
             WHERE id = ?1",
        )?
        .execute(params![
            id,
            call.call_type_id,
            call.caller_id,
            call.taken_by,
            call.started_at,
            call.ended_at,
            call.duration_seconds,
            call.outcome.map(<&str>::from),
            call.escalated,
            call.escalation_reason,
            call.notes,
            now
        ])?;
        write_lists(tx, id, &call)?;
        if let Some(follow_up) = &call.follow_up {
            follow_ups::insert(tx, now, &actor, id, follow_up)?;
        }
        let detail = if window_closed { "edited after the volunteer's day" } else { "edited" };
        audit::record(tx, now, &actor, AuditEvent::CallEdited, Some(id), detail)
    })?;
    get_in(desk.conn(), id)
}

fn write_lists(tx: &Transaction, id: &str, call: &Checked) -> Result<()> {
    tx.prepare_cached("DELETE FROM warmline_call_topics WHERE call_id = ?1")?.execute([id])?;
    tx.prepare_cached("DELETE FROM warmline_call_referrals WHERE call_id = ?1")?.execute([id])?;
    let mut topic = tx.prepare_cached("INSERT INTO warmline_call_topics (call_id, topic_id) VALUES (?1, ?2)")?;
    for topic_id in &call.topic_ids {
        topic.execute([id, topic_id])?;
    }
    let mut referral =
        tx.prepare_cached("INSERT INTO warmline_call_referrals (call_id, resource_id) VALUES (?1, ?2)")?;
    for resource_id in &call.resource_ids {
        referral.execute([id, resource_id])?;
    }
    Ok(())
}

fn list_of(conn: &Connection, sql: &str, id: &str) -> Result<Vec<String>> {
    let mut statement = conn.prepare_cached(sql)?;
    let rows = statement.query_map([id], |row| row.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn editable_until(created_at: Timestamp) -> Timestamp {
    Timestamp(created_at.0 + Duration::hours(i64::from(EDIT_WINDOW_HOURS)))
}

/// Opens a call in full. Opening one with notes is audited.
pub fn get(desk: &mut Desk, session: &Session, id: &str) -> Result<Call> {
    desk.write(|tx, now| {
        let actor = access::authorize_in(tx, session, Action::TakeCalls)?;
        let call = get_in(tx, id)?;
        if call.notes.is_some() {
            audit::record(tx, now, &actor, AuditEvent::CallNotesViewed, Some(id), "")?;
        }
        Ok(call)
    })
}

/// Who may have taken a call logged afterwards: the active accounts whose roles take calls.
pub fn takers(desk: &Desk, session: &Session) -> Result<Vec<Named>> {
    access::authorize(desk, session, Action::TakeCalls)?;
    let mut statement = desk.conn().prepare_cached(
        "SELECT DISTINCT a.id, a.name FROM accounts a JOIN account_roles r ON r.account_id = a.id
         WHERE a.active = 1 AND r.role IN ('admin', 'coordinator', 'warmline') ORDER BY a.name COLLATE NOCASE",
    )?;
    let rows = statement.query_map([], |row| Ok(Named { id: row.get(0)?, name: row.get(1)? }))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The calls that started on the center's days `from` to `to`, newest first.
pub fn between(desk: &Desk, session: &Session, from: NaiveDate, to: NaiveDate) -> Result<Vec<CallSummary>> {
    access::authorize(desk, session, Action::TakeCalls)?;
    let zone = desk.zone()?;
    if from > to {
        return Err(Error::Common(CommonError::DateRangeReversed));
    }
    summaries_since(desk.conn(), day_bounds(from, zone)?.0, Some(day_bounds(to, zone)?.1))
}

/// Every call with one caller, newest first: the way back to a caller's call of any day.
pub fn of_caller(desk: &Desk, session: &Session, caller_id: &str) -> Result<Vec<CallSummary>> {
    access::authorize(desk, session, Action::TakeCalls)?;
    let conn = desk.conn();
    super::callers::ensure_exists(conn, caller_id)?;
    let mut statement =
        conn.prepare_cached(&format!("{SUMMARY} WHERE k.caller_id = ?1 ORDER BY k.started_at DESC, k.id DESC"))?;
    let rows = statement.query_map([caller_id], summary_from_row)?;
    with_lists(conn, rows.collect::<rusqlite::Result<_>>()?)
}

/// The calls since `since` (to `until`), newest first.
pub(crate) fn summaries_since(
    conn: &Connection,
    since: Timestamp,
    until: Option<Timestamp>,
) -> Result<Vec<CallSummary>> {
    let mut statement = conn.prepare_cached(&format!(
        "{SUMMARY} WHERE k.started_at >= ?1 AND (?2 IS NULL OR k.started_at < ?2) ORDER BY k.started_at DESC, k.id DESC"
    ))?;
    let rows = statement.query_map(params![since, until], summary_from_row)?;
    with_lists(conn, rows.collect::<rusqlite::Result<_>>()?)
}

fn with_lists(conn: &Connection, mut calls: Vec<CallSummary>) -> Result<Vec<CallSummary>> {
    for call in &mut calls {
        fill_lists(conn, call)?;
    }
    Ok(calls)
}

const SUMMARY: &str = "SELECT k.id, k.call_type_id, t.name, t.kind, k.caller_id, c.alias,
        CASE WHEN k.caller_id IS NULL THEN NULL
             ELSE NOT EXISTS (SELECT 1 FROM warmline_calls earlier
                              WHERE earlier.caller_id = k.caller_id AND earlier.started_at < k.started_at) END,
        k.taken_by, COALESCE(a.name, ''), k.started_at, k.ended_at, k.duration_seconds, k.outcome, k.escalated,
        k.escalation_reason, k.notes IS NOT NULL
     FROM warmline_calls k
     JOIN warmline_call_types t ON t.id = k.call_type_id
     LEFT JOIN warmline_callers c ON c.id = k.caller_id
     LEFT JOIN accounts a ON a.id = k.taken_by";

fn summary_from_row(row: &Row) -> rusqlite::Result<CallSummary> {
    Ok(CallSummary {
        id: row.get(0)?,
        call_type_id: row.get(1)?,
        call_type_name: row.get(2)?,
        kind: text::parse_or(row.get::<_, String>(3)?, CallKind::Support),
        caller_id: row.get(4)?,
        caller_alias: row.get(5)?,
        first_time: row.get(6)?,
        taken_by: row.get(7)?,
        taken_by_name: row.get(8)?,
        started_at: row.get(9)?,
        ended_at: row.get(10)?,
        duration_seconds: row.get(11)?,
        outcome: row.get::<_, Option<String>>(12)?.and_then(|o| o.parse().ok()),
        escalated: row.get(13)?,
        escalation_reason: row.get(14)?,
        has_notes: row.get(15)?,
        topics: Vec::new(),
        referrals: Vec::new(),
    })
}

fn fill_lists(conn: &Connection, call: &mut CallSummary) -> Result<()> {
    let named = |sql: &str| -> Result<Vec<Named>> {
        let mut statement = conn.prepare_cached(sql)?;
        let rows = statement.query_map([&call.id], |row| Ok(Named { id: row.get(0)?, name: row.get(1)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    call.topics = named(
        "SELECT t.id, t.name FROM warmline_call_topics x JOIN warmline_topics t ON t.id = x.topic_id
         WHERE x.call_id = ?1 ORDER BY t.position",
    )?;
    call.referrals = named(
        "SELECT r.id, r.name FROM warmline_call_referrals x JOIN warmline_resources r ON r.id = x.resource_id
         WHERE x.call_id = ?1 ORDER BY r.name COLLATE NOCASE",
    )?;
    Ok(())
}

pub(crate) fn get_in(conn: &Connection, id: &str) -> Result<Call> {
    let mut summary = conn
        .prepare_cached(&format!("{SUMMARY} WHERE k.id = ?1"))?
        .query_row([id], summary_from_row)
        .optional()?
        .ok_or(Error::Warmline(WarmlineError::CallNotFound))?;
    fill_lists(conn, &mut summary)?;
    let (notes, notes_erased, held_reason, logged_by_name, created_at) = conn
        .prepare_cached(
            "SELECT k.notes, k.notes_erased_at IS NOT NULL, k.held_reason, a.name, k.created_at
             FROM warmline_calls k LEFT JOIN accounts a ON a.id = k.logged_by WHERE k.id = ?1",
        )?
        .query_row([id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?)))?;
    Ok(Call {
        summary,
        notes,
        notes_erased,
        held_reason,
        logged_by_name,
        follow_ups: follow_ups::of_call(conn, id)?,
        editable_until: editable_until(created_at),
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::access::Role;
    use crate::accounts::{self, AccountInput};
    use crate::testkit::{desk_at, TestDesk, OPERATOR};
    use crate::warmline::{callers, figures, handoff, HANG_UP, PEER_SUPPORT};

    const LONELINESS: &str = "01933b00-0000-7000-8002-000000000001";
    const HOUSING: &str = "01933b00-0000-7000-8002-000000000005";
    const TWO_ONE_ONE: &str = "01933b00-0000-7000-8003-000000000001";

    #[test]
    fn every_outcome_has_its_own_name_among_those_a_hub_takes() {
        assert_eq!(Outcome::ALL.len(), porchlight_protocol::CALL_OUTCOMES.len());
        assert_eq!(Outcome::EmergencyServices.label(), "Emergency services");
        assert_eq!(Outcome::SupportiveListening.label(), "Supportive listening");
    }

    /// A desk on Monday 23 November 2026, 9 am in Chicago, with Kim, a warmline volunteer, signed in.
    pub(crate) fn line() -> (TestDesk, Session) {
        let mut desk = desk_at("2026-11-23T15:00:00Z");
        let kim = AccountInput {
            name: "Kim W.".into(),
            roles: vec![Role::Warmline],
            pin: "2468".into(),
            ..Default::default()
        };
        let kim = accounts::create(&mut desk, &OPERATOR, &kim).unwrap();
        let session = accounts::sign_in_with_pin(&mut desk, &kim.id, "2468").unwrap();
        (desk, session)
    }

    fn minutes_ago(desk: &Desk, minutes: i64) -> Timestamp {
        Timestamp(desk.now().0 - Duration::minutes(minutes))
    }

    #[test]
    fn a_call_runs_from_its_keystroke_survives_a_restart_and_is_logged_whole() {
        let (mut desk, kim) = line();
        let opened = start(&mut desk, &kim).unwrap();
        assert_eq!(opened.started_at, desk.now());
        desk.clock.advance(Duration::minutes(12));
        save_open(&mut desk, &kim, r#"{"notes":"Talked about her sister"}"#).unwrap();
        // Starting again (another keystroke, the app opened after a crash) finds the same call.
        let again = start(&mut desk, &kim).unwrap();
        assert_eq!(
            (again.started_at, again.draft.as_str()),
            (opened.started_at, r#"{"notes":"Talked about her sister"}"#)
        );

        let birdie = callers::add(&mut desk, &kim, "Birdie").unwrap();
        let input = CallInput {
            caller_id: Some(birdie.id.clone()),
            topic_ids: vec![LONELINESS.into(), HOUSING.into(), LONELINESS.into()],
            resource_ids: vec![TWO_ONE_ONE.into()],
            outcome: Some(Outcome::InformationOrReferral),
            notes: Some("Talked about her sister.\nWants the housing list.".into()),
            ..CallInput::of_type(PEER_SUPPORT, opened.started_at)
        };
        let call = finish(&mut desk, &kim, &input).unwrap();
        assert_eq!(call.summary.duration_seconds, 12 * 60);
        assert_eq!(call.summary.first_time, Some(true));
        let topics: Vec<&str> = call.summary.topics.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(topics, ["Loneliness / isolation", "Housing"]);
        assert_eq!(call.summary.referrals[0].name, "2-1-1");
        assert_eq!(call.notes.as_deref(), Some("Talked about her sister.\nWants the housing list."));
        assert!(open_call(&desk, &kim).unwrap().is_none(), "the call is no longer in progress");

        desk.clock.advance(Duration::days(2));
        let input =
            CallInput { caller_id: Some(birdie.id.clone()), ..CallInput::of_type(PEER_SUPPORT, minutes_ago(&desk, 5)) };
        let next = log(&mut desk, &kim, &input).unwrap();
        assert_eq!(next.summary.first_time, Some(false), "her second call is a repeat call");

        // Both are found again through her, whatever day they were on; nobody else's call is.
        let anonymous = CallInput::of_type(PEER_SUPPORT, minutes_ago(&desk, 2));
        log(&mut desk, &kim, &anonymous).unwrap();
        let hers: Vec<String> = of_caller(&desk, &kim, &birdie.id).unwrap().into_iter().map(|c| c.id).collect();
        assert_eq!(hers, [next.summary.id, call.summary.id]);
        assert!(matches!(
            of_caller(&desk, &kim, "no such caller"),
            Err(Error::Warmline(WarmlineError::CallerNotFound))
        ));
    }

    #[test]
    fn a_non_data_call_keeps_its_type_times_and_taker_and_nothing_else() {
        let (mut desk, kim) = line();
        let caller = callers::add(&mut desk, &kim, "Tex").unwrap();
        let typed_before_the_type = CallInput {
            caller_id: Some(caller.id),
            topic_ids: vec![LONELINESS.into()],
            resource_ids: vec![TWO_ONE_ONE.into()],
            outcome: Some(Outcome::EmergencyServices),
            escalation_reason: Some("x".into()),
            notes: Some("Breathing, then hung up".into()),
            follow_up: Some(FollowUpInput {
                due_at: Timestamp(desk.now().0 + Duration::hours(1)),
                request: None,
                callback_number: Some("555-0101".into()),
            }),
            ..CallInput::of_type(HANG_UP, minutes_ago(&desk, 1))
        };
        let call = log(&mut desk, &kim, &typed_before_the_type).unwrap();
        let s = &call.summary;
        assert_eq!((s.call_type_name.as_str(), s.kind, s.duration_seconds), ("Hang-up", CallKind::NonData, 60));
        assert_eq!((&s.caller_id, &s.outcome, s.escalated, &s.escalation_reason), (&None, &None, false, &None));
        assert!(s.topics.is_empty() && s.referrals.is_empty() && call.notes.is_none() && call.follow_ups.is_empty());
        let kept: i64 = desk.conn().query_row("SELECT COUNT(*) FROM warmline_follow_ups", [], |r| r.get(0)).unwrap();
        assert_eq!(kept, 0);
    }

    #[test]
    fn bad_input_is_refused_beside_its_field_and_nothing_is_saved() {
        let (mut desk, kim) = line();
        let now = desk.now();
        let support = || CallInput::of_type(PEER_SUPPORT, Timestamp(now.0 - Duration::minutes(10)));
        let cases = [
            (CallInput { call_type_id: None, ..support() }, "call_type_required", "call_type_id"),
            (
                CallInput { ended_at: Some(Timestamp(now.0 - Duration::minutes(20))), ..support() },
                "call_ends_before_start",
                "ended_at",
            ),
            (
                CallInput { outcome: Some(Outcome::TransferredToCrisisLine), ..support() },
                "escalation_reason_required",
                "escalation_reason",
            ),
            (
                CallInput { escalated: true, escalation_reason: Some("  ".into()), ..support() },
                "escalation_reason_required",
                "escalation_reason",
            ),
            (
                CallInput {
                    follow_up: Some(FollowUpInput {
                        due_at: Timestamp(now.0 - Duration::hours(1)),
                        request: None,
                        callback_number: None,
                    }),
                    ..support()
                },
                "follow_up_due_in_past",
                "due_at",
            ),
            (
                CallInput {
                    follow_up: Some(FollowUpInput {
                        due_at: Timestamp(now.0 + Duration::hours(1)),
                        request: Some("The housing list".into()),
                        callback_number: Some("  ".into()),
                    }),
                    ..support()
                },
                "callback_number_required",
                "callback_number",
            ),
            (
                CallInput {
                    started_at: Timestamp(now.0 + Duration::hours(1)),
                    ended_at: Some(Timestamp(now.0 + Duration::hours(2))),
                    ..support()
                },
                "call_starts_in_future",
                "started_at",
            ),
        ];
        for (input, code, field) in cases {
            let err = log(&mut desk, &kim, &input).unwrap_err();
            assert_eq!((err.code(), err.field()), (code, Some(field)), "{input:?}");
        }
        let retired = resources::add(
            &mut desk,
            &OPERATOR,
            &resources::ResourceInput { name: "Old clinic".into(), ..Default::default() },
        )
        .unwrap();
        resources::set_retired(&mut desk, &OPERATOR, &retired.id, true).unwrap();
        let err = log(&mut desk, &kim, &CallInput { resource_ids: vec![retired.id.clone()], ..support() }).unwrap_err();
        assert_eq!(
            (err.code(), err.to_string().as_str()),
            ("resource_retired", "Old clinic is no longer in the directory: choose another resource.")
        );
        let calls: i64 = desk.conn().query_row("SELECT COUNT(*) FROM warmline_calls", [], |r| r.get(0)).unwrap();
        assert_eq!(calls, 0, "no half-written call");

        // An escalation with its reason is flagged even when only the outcome said so.
        let escalated = CallInput {
            outcome: Some(Outcome::EmergencyServices),
            escalation_reason: Some("Caller hurt".into()),
            ..support()
        };
        assert!(log(&mut desk, &kim, &escalated).unwrap().summary.escalated);
    }

    #[test]
    fn a_volunteer_may_change_their_own_call_for_a_day_and_a_coordinator_after() {
        let (mut desk, kim) = line();
        let input = CallInput {
            notes: Some("First version".into()),
            ..CallInput::of_type(PEER_SUPPORT, minutes_ago(&desk, 3))
        };
        let call = log(&mut desk, &kim, &input).unwrap();
        let fixed = CallInput {
            topic_ids: vec![HOUSING.into()],
            notes: Some("Second version".into()),
            ..CallInput::of_type(PEER_SUPPORT, call.summary.started_at)
        };
        let edited = update(&mut desk, &kim, &call.summary.id, &fixed).unwrap();
        assert_eq!((edited.notes.as_deref(), edited.summary.topics.len()), (Some("Second version"), 1));

        desk.clock.advance(Duration::hours(25));
        let err = update(&mut desk, &kim, &call.summary.id, &fixed).unwrap_err();
        assert_eq!(err.code(), "edit_window_closed");
        let lee = AccountInput {
            name: "Lee C.".into(),
            roles: vec![Role::Coordinator],
            pin: "1357".into(),
            ..Default::default()
        };
        let lee = accounts::create(&mut desk, &OPERATOR, &lee).unwrap();
        let lee = accounts::sign_in_with_pin(&mut desk, &lee.id, "1357").unwrap();
        update(
            &mut desk,
            &lee,
            &call.summary.id,
            &CallInput { notes: Some("Coordinator's fix".into()), ..fixed.clone() },
        )
        .unwrap();
        let log = crate::audit::browse(
            &desk,
            &OPERATOR,
            &crate::audit::AuditQuery { subject_id: Some(call.summary.id.clone()), ..Default::default() },
        )
        .unwrap();
        let edits: Vec<&str> = log.iter().filter(|e| e.event == "call_edited").map(|e| e.detail.as_str()).collect();
        assert_eq!(edits, ["edited after the volunteer's day", "edited"]);

        // Another volunteer's call is not Kim's to change, even within the day.
        let other = log_for_other(&mut desk, &lee);
        assert!(matches!(update(&mut desk, &kim, &other, &fixed), Err(Error::Access(AccessError::NotAllowed { .. }))));
    }

    fn log_for_other(desk: &mut TestDesk, coordinator: &Session) -> String {
        let start = minutes_ago(desk, 30);
        log(desk, coordinator, &CallInput::of_type(PEER_SUPPORT, start)).unwrap().summary.id
    }

    #[test]
    fn follow_ups_queue_for_the_next_shift_and_the_handoff_leads_with_escalations() {
        let (mut desk, kim) = line();
        let sunny = callers::add(&mut desk, &kim, "Sunny").unwrap();
        let due = Timestamp(desk.now().0 + Duration::hours(20));
        let asked = CallInput {
            caller_id: Some(sunny.id.clone()),
            outcome: Some(Outcome::FollowUpRequested),
            follow_up: Some(FollowUpInput {
                due_at: due,
                request: Some("Call back about the food bank".into()),
                callback_number: Some("555-0142".into()),
            }),
            ..CallInput::of_type(PEER_SUPPORT, minutes_ago(&desk, 40))
        };
        log(&mut desk, &kim, &asked).unwrap();
        let crisis = CallInput {
            outcome: Some(Outcome::TransferredToCrisisLine),
            escalation_reason: Some("Talked of ending it; warm transfer to 988".into()),
            ..CallInput::of_type(PEER_SUPPORT, minutes_ago(&desk, 20))
        };
        log(&mut desk, &kim, &crisis).unwrap();
        let input = CallInput::of_type(HANG_UP, minutes_ago(&desk, 2));
        log(&mut desk, &kim, &input).unwrap();
        // A call from yesterday is not this shift's.
        let yesterday = CallInput {
            ended_at: Some(minutes_ago(&desk, 24 * 60 + 50)),
            ..CallInput::of_type(PEER_SUPPORT, minutes_ago(&desk, 25 * 60))
        };
        log(&mut desk, &kim, &yesterday).unwrap();

        let handoff = handoff::current(&desk, &kim).unwrap();
        assert_eq!(handoff.calls.len(), 3);
        assert_eq!(handoff.escalations.len(), 1);
        assert_eq!(
            handoff.escalations[0].escalation_reason.as_deref(),
            Some("Talked of ending it; warm transfer to 988")
        );
        assert_eq!(handoff.open_follow_ups.len(), 1);
        assert_eq!(handoff.open_follow_ups[0].caller_alias.as_deref(), Some("Sunny"));
        assert_eq!(callers::profile(&mut desk, &kim, &sunny.id).unwrap().open_follow_ups, 1);

        let done =
            follow_ups::complete(&mut desk, &kim, &handoff.open_follow_ups[0].id, Some("Left a message")).unwrap();
        assert_eq!(
            (done.completed_by_name.as_deref(), done.completion_note.as_deref()),
            (Some("Kim W."), Some("Left a message"))
        );
        assert!(matches!(
            follow_ups::complete(&mut desk, &kim, &done.id, None),
            Err(Error::Warmline(WarmlineError::FollowUpAlreadyDone))
        ));
        assert!(handoff::current(&desk, &kim).unwrap().open_follow_ups.is_empty());
    }

    #[test]
    fn figures_count_types_topics_referrals_outcomes_and_first_time_callers() {
        let (mut desk, kim) = line();
        let birdie = callers::add(&mut desk, &kim, "Birdie").unwrap();
        let today = desk.today().unwrap();
        for (minutes, caller, topics) in [
            (50, Some(&birdie.id), vec![LONELINESS]),
            (30, Some(&birdie.id), vec![LONELINESS, HOUSING]),
            (20, None, vec![HOUSING]),
        ] {
            let input = CallInput {
                caller_id: caller.cloned(),
                topic_ids: topics.into_iter().map(String::from).collect(),
                resource_ids: vec![TWO_ONE_ONE.into()],
                outcome: Some(Outcome::SupportiveListening),
                ended_at: Some(minutes_ago(&desk, minutes - 10)),
                ..CallInput::of_type(PEER_SUPPORT, minutes_ago(&desk, minutes))
            };
            log(&mut desk, &kim, &input).unwrap();
        }
        let input = CallInput::of_type(HANG_UP, minutes_ago(&desk, 5));
        log(&mut desk, &kim, &input).unwrap();
        let figures = figures::for_period(&desk, &OPERATOR, today, today).unwrap();
        assert_eq!((figures.calls, figures.support_calls, figures.non_data_calls), (4, 3, 1));
        assert_eq!(
            (figures.first_time_calls, figures.repeat_calls, figures.anonymous_calls, figures.callers),
            (1, 1, 1, 1)
        );
        assert_eq!(figures.average_support_seconds, Some(600));
        assert_eq!(figures.per_day, [figures::DayCount { day: today, calls: 4 }]);
        assert_eq!(figures.by_hour_of_week[0][8], 4, "Monday, 8 to 9 am in Chicago");
        let topics: Vec<(&str, u32)> = figures.by_topic.iter().map(|c| (c.name.as_str(), c.calls)).collect();
        assert_eq!(topics, [("Loneliness / isolation", 2), ("Housing", 2)]);
        assert_eq!(figures.by_referral[0].calls, 3);
        let listened = figures.by_outcome.iter().find(|o| o.outcome == Outcome::SupportiveListening).unwrap();
        assert_eq!(listened.calls, 3);
        let kims = figures::for_period(&desk, &kim, today, today).expect("the line's volunteers see its figures");
        assert_eq!(kims.calls, figures.calls, "the same figures: they hold no notes to keep from anyone");
    }
}
