//! Offline-first sync, as designed in `docs/sync.md`.
//!
//! Every local write records, in its own transaction, one outbox row per record it changed
//! ([`outbox`]); each record's fields carry the stamp of the change that set them, so changes
//! from other desks merge field by field, last writer wins ([`record`], [`inbox`]). The hub
//! only numbers and relays changes ([`client`]). Record types declare themselves with
//! [`entity::Entity`], and the crate's wiring hands the engine their list.

mod client;
pub(crate) mod entity;
pub(crate) mod erasure;
pub(crate) mod error;
mod inbox;
pub(crate) mod keys;
pub(crate) mod outbox;
pub(crate) mod record;
pub mod seal;
pub(crate) mod state;
pub(crate) mod trusted_time;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::CommonError;
pub use error::{SyncError, SyncErrorCode};
pub use inbox::Applied;
#[cfg(any(test, feature = "testkit"))]
pub use keys::hold_for_test as hold_center_key;
pub use keys::{JoinAsk, SetAsideChange};
pub use porchlight_protocol::{Change, Op, PulledChange, MAX_PULL_LIMIT, MAX_PUSH_BATCH};
use porchlight_protocol::{LogPosition, SealedChange};
pub use trusted_time::{clock_gap, ClockDoubt, CLOCK_DOUBT_MS, WENT_BACK_MS};

use crate::{text, Desk, Error, Result, Timestamp};
use client::{HubClient, HubTrust};
use inbox::Writing;
use record::RecordState;

/// How often a desk syncs on its own when nothing else prompts it.
pub const BACKGROUND_INTERVAL_SECS: u64 = 30;

/// A desk this many changes behind lets each record type put off the upkeep it can do once at
/// the end ([`entity::Upkeep::before_catch_up`]): people, when more changes come than the desk
/// has people, stop keeping their search index row by row and rebuild it when the sync ends,
/// which makes a first sync several times faster.
const CATCH_UP_IN_BULK_AFTER: u64 = 10_000;

/// The desk's link to its hub and how it went last time. Never includes the token. The default
/// is a desk not connected, with nothing waiting.
#[derive(Debug, Default, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SyncStatus {
    /// `None` when the desk is not connected to a hub.
    pub hub_url: Option<String>,
    pub desk_name: Option<String>,
    pub device_id: Option<String>,
    /// Local changes the hub does not have yet.
    #[ts(type = "number")]
    pub pending_changes: u64,
    /// Records from other desks that could not be stored yet.
    #[ts(type = "number")]
    pub waiting_records: u64,
    /// Which of them, and why each waits (the first [`PARKED_SHOWN`]).
    pub parked: Vec<ParkedRecord>,
    pub last_synced_at: Option<Timestamp>,
    /// Why the last attempt failed, until one succeeds.
    pub problem: Option<SyncProblem>,
    /// Whether the desk holds its center's key: what it sends, the hub cannot read.
    pub sealed: bool,
    /// While this desk waits to be let into its center: the code an admin compares.
    pub join_code: Option<String>,
    /// Desks of the center waiting to be let in, as of the last sync.
    pub join_requests: Vec<JoinAsk>,
    /// The recovery words of the key this desk made are waiting to be written down.
    pub recovery_sheet_waiting: bool,
    /// Changes from the hub that are not applied here, kept aside: a key this desk does not
    /// hold yet, no proof that a desk of the center made them, or a stamp far ahead.
    #[ts(type = "number")]
    pub unopened_changes: u64,
    /// Which of them, newest first (the first [`PARKED_SHOWN`]).
    pub set_aside: Vec<SetAsideChange>,
    /// While this desk's clock and the hub's are too far apart to trust either: how the hub's
    /// stands to this desk's ("2 h 5 min ahead of"). The desk makes no change meanwhile.
    pub clock_in_doubt: Option<String>,
    /// While the computer's clock reads a time that cannot be right (set back before a time
    /// this desk already reached, or before Porchlight was made). The desk makes no change
    /// meanwhile.
    pub clock_wrong: Option<ClockWrong>,
    /// When this desk last found the hub holding less than before (put back from a backup, or
    /// replaced), and what it did about it.
    pub hub_went_back: Option<HubWentBack>,
}

/// The computer's clock reads a time that cannot be right.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ClockWrong {
    /// What the clock reads, and why that cannot be right.
    pub message: String,
    /// It was set back before a time this desk already reached: if it reads right now (it ran
    /// ahead before), an admin may say so.
    pub set_back: bool,
}

/// The hub was found holding less than this desk had sent or received: it was put back from a
/// backup, or replaced. The desk then took everything the hub holds again and sent back, from
/// its own records, every change the hub had lost.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct HubWentBack {
    pub noticed_at: Timestamp,
    /// Changes the hub had lost that this desk sent again; `None` while it is still taking
    /// the hub's history again.
    #[ts(type = "number | null")]
    pub resent: Option<u64>,
}

/// How many of the records not yet stored a status names one by one.
pub const PARKED_SHOWN: usize = 20;

/// A record from another desk that this desk has kept but cannot store in its tables yet.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ParkedRecord {
    /// The record type on the wire: `person`, `visit`, ...
    pub entity: String,
    pub id: String,
    /// Why: "missing required field member_code …", "waiting for person … which it refers to".
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SyncProblem {
    /// `hub_unreachable`, `not_authorised`, or another error code.
    #[ts(as = "crate::ErrorCode")]
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum SyncPhase {
    /// Sealing the center's history from before it had a key (once, after upgrading).
    Sealing,
    Pushing,
    Pulling,
}

/// Where a sync has got to, for a progress bar: `done` of `total` changes in this phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SyncProgress {
    pub phase: SyncPhase,
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}

/// What one sync did.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SyncReport {
    #[ts(type = "number")]
    pub pushed: u64,
    /// Pushed changes the hub already had (an earlier push whose answer was lost).
    #[ts(type = "number")]
    pub duplicates: u64,
    /// Changes from other desks received.
    #[ts(type = "number")]
    pub pulled: u64,
    /// Received changes that changed something here.
    #[ts(type = "number")]
    pub changed: u64,
    /// Unsent changes stamped again because this desk's clock was ahead of the hub's.
    #[ts(type = "number")]
    pub restamped: u64,
    /// Changes the hub had lost (put back from a backup, or replaced) that this desk sent again.
    #[ts(type = "number")]
    pub resent: u64,
    /// The record types (`person`, `visit`, ...) that received changes changed here, so each
    /// screen reloads only when its own records did.
    pub changed_entities: BTreeSet<String>,
}

/// What the hub knows this desk as, for the audit log; `None` before it was connected.
pub(crate) fn desk_name(conn: &rusqlite::Connection) -> Result<Option<String>> {
    state::get(conn, state::DESK_NAME)
}

pub fn status(desk: &Desk) -> Result<SyncStatus> {
    let conn = desk.conn();
    let problem = match (state::get(conn, state::PROBLEM_CODE)?, state::get(conn, state::PROBLEM_MESSAGE)?) {
        (Some(code), Some(message)) => Some(SyncProblem { code, message }),
        _ => None,
    };
    let doubt = trusted_time::doubt(conn, desk.now())?;
    Ok(SyncStatus {
        hub_url: state::get(conn, state::HUB_URL)?,
        desk_name: state::get(conn, state::DESK_NAME)?,
        device_id: state::get(conn, state::DEVICE_ID)?,
        pending_changes: outbox::count(conn)?,
        waiting_records: conn.query_row("SELECT COUNT(*) FROM sync_parked", [], |row| row.get::<_, i64>(0))? as u64,
        parked: parked(conn)?,
        last_synced_at: state::get(conn, state::LAST_SYNCED_AT)?.and_then(|text| Timestamp::parse(&text)),
        problem,
        sealed: keys::current(conn)?.is_some(),
        join_code: keys::waiting_code(conn)?,
        join_requests: keys::join_asks(conn)?,
        recovery_sheet_waiting: keys::recovery_sheet_waiting(conn)?,
        unopened_changes: keys::count_aside(conn)?,
        set_aside: keys::set_aside(conn, PARKED_SHOWN)?,
        clock_in_doubt: match doubt {
            Some(ClockDoubt::FarFromHub { offset_ms }) => Some(clock_gap(offset_ms)),
            _ => None,
        },
        clock_wrong: match doubt {
            Some(wrong @ (ClockDoubt::BeforePorchlight { .. } | ClockDoubt::WentBack { .. })) => {
                Some(ClockWrong { message: wrong.describe(), set_back: matches!(wrong, ClockDoubt::WentBack { .. }) })
            }
            _ => None,
        },
        hub_went_back: hub_went_back(conn)?,
    })
}

fn hub_went_back(conn: &rusqlite::Connection) -> Result<Option<HubWentBack>> {
    let Some(noticed_at) = state::get(conn, state::HUB_WENT_BACK_AT)?.and_then(|text| Timestamp::parse(&text)) else {
        return Ok(None);
    };
    let still_checking = state::get(conn, state::CHECKING_WHAT_HUB_HOLDS)?.is_some();
    let resent = (!still_checking).then(|| state::get_u64(conn, state::HUB_LOST_RESENT)).transpose()?;
    Ok(Some(HubWentBack { noticed_at, resent }))
}

fn parked(conn: &rusqlite::Connection) -> Result<Vec<ParkedRecord>> {
    let mut statement =
        conn.prepare_cached("SELECT entity, record_id, reason FROM sync_parked ORDER BY entity, record_id LIMIT ?1")?;
    let rows = statement.query_map([PARKED_SHOWN as i64], |row| {
        Ok(ParkedRecord { entity: row.get(0)?, id: row.get(1)?, reason: row.get(2)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What a desk needs to join a hub: where it is, the operator's one-time code, what this desk
/// is called, and how far to trust the connection.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct HubConnection {
    pub hub_url: String,
    pub enrollment_code: String,
    pub desk_name: String,
    /// The hub's own certificate in PEM (or the authority that issued it), for a hub whose
    /// certificate no public authority signed. The desk then trusts that certificate only.
    #[serde(default)]
    pub hub_certificate: Option<String>,
    /// Plain `http://` to a hub on another computer sends people's records unencrypted: only
    /// when the center says its network is private.
    #[serde(default)]
    pub allow_plain_http: bool,
}

impl HubConnection {
    pub fn new(hub_url: &str, enrollment_code: &str, desk_name: &str) -> HubConnection {
        HubConnection {
            hub_url: hub_url.to_owned(),
            enrollment_code: enrollment_code.to_owned(),
            desk_name: desk_name.to_owned(),
            ..HubConnection::default()
        }
    }
}

/// The staff account behind the newest change to a record, as this desk holds it.
pub(crate) fn changed_by(conn: &rusqlite::Connection, entity: &str, record_id: &str) -> Result<Option<String>> {
    Ok(RecordState::load(conn, entity, record_id)?.changed_by().map(str::to_owned))
}

/// The hub the desk is connected to, if it is.
pub(crate) fn hub_url(conn: &rusqlite::Connection) -> Result<Option<String>> {
    state::get(conn, state::HUB_URL)
}

/// Checks the connection, enrols with the hub and keeps what it answered; the hub's address.
pub(crate) fn enroll(desk: &mut Desk, connection: &HubConnection) -> Result<String> {
    let hub_url = valid_hub_url(&connection.hub_url)?;
    let trust = HubTrust::new(connection.hub_certificate.as_deref(), connection.allow_plain_http)?;
    trust.check(&hub_url)?;
    let desk_name = text::optional(Some(&connection.desk_name), "desk_name", "Desk name", 60)?
        .ok_or(Error::Sync(SyncError::DeskNameRequired))?;
    let code = connection.enrollment_code.trim();
    if code.is_empty() {
        return Err(Error::Sync(SyncError::EnrollmentCodeRequired));
    }
    if let Some(connected) = state::get(desk.conn(), state::HUB_URL)? {
        return Err(Error::Sync(SyncError::AlreadyConnected { hub_url: connected }));
    }
    let enrolled = HubClient::new(&hub_url, None, &trust)?.enroll(&desk_name, code)?;
    desk.write_unrecorded(|tx, _| {
        state::set(tx, state::HUB_URL, &hub_url)?;
        state::set(tx, state::DESK_NAME, &desk_name)?;
        state::set(tx, state::TOKEN, &enrolled.token)?;
        state::set(tx, state::LAST_PULLED_SEQ, "0")?;
        // A desk that was connected before (to another hub, or to this one before it was put
        // back from a copy) holds changes the hub may lack: once it has pulled what the hub
        // holds, it sends back the rest. A desk never connected has sent nothing to lose.
        if state::get(tx, state::DEVICE_ID)?.is_some() {
            check_what_hub_holds(tx, None)?;
        }
        trust.save(tx)?;
        adopt_device_id_in(tx, &enrolled.device_id)
    })?;
    Ok(hub_url)
}

/// Forgets the hub. The desk keeps all its records and its unsent changes.
pub(crate) fn forget_hub(desk: &mut Desk) -> Result<()> {
    desk.write_unrecorded(|tx, _| {
        for key in [
            state::HUB_URL,
            state::TOKEN,
            state::DESK_NAME,
            state::LAST_PULLED_SEQ,
            state::LAST_PULLED_CHANGE,
            state::HUB_HISTORY,
            state::CHECKING_WHAT_HUB_HOLDS,
            state::LAST_SYNCED_AT,
        ] {
            state::remove(tx, key)?;
        }
        HubTrust::forget(tx)?;
        keys::forget_hub(tx)?;
        state::remove(tx, state::PROBLEM_CODE)?;
        state::remove(tx, state::PROBLEM_MESSAGE)
    })
}

/// One full sync: push every pending change, then pull everything new, page by page. Each
/// acknowledged batch and each applied page is committed on its own, so a sync cut off half-way
/// resumes where it stopped and never applies or sends anything twice to effect.
pub fn sync_now(desk: &mut Desk, mut on_progress: impl FnMut(SyncProgress)) -> Result<SyncReport> {
    sync_and_note(desk, &mut on_progress, Sealing::On)
}

/// [`sync_now`] as desks synced before sealing, for the benchmark that measures what sealing
/// costs. Never in the app.
#[cfg(any(test, feature = "testkit"))]
pub fn sync_now_plain_for_comparison(desk: &mut Desk) -> Result<SyncReport> {
    sync_and_note(desk, &mut |_| {}, Sealing::Off)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sealing {
    On,
    #[cfg_attr(not(any(test, feature = "testkit")), allow(dead_code))]
    Off,
}

fn sync_and_note(desk: &mut Desk, on_progress: &mut dyn FnMut(SyncProgress), sealing: Sealing) -> Result<SyncReport> {
    let result = match run_sync(desk, on_progress, sealing) {
        // What the hub had lost is back in the outbox: sent now, not at the next sync.
        Ok(report) if report.resent > 0 => run_sync(desk, on_progress, sealing).map(|again| SyncReport {
            pushed: report.pushed + again.pushed,
            duplicates: report.duplicates + again.duplicates,
            pulled: report.pulled + again.pulled,
            changed: report.changed + again.changed,
            restamped: report.restamped + again.restamped,
            resent: report.resent,
            changed_entities: report.changed_entities.union(&again.changed_entities).cloned().collect(),
        }),
        result => result,
    };
    let entities = desk.entities();
    desk.write_unrecorded(|tx, now| {
        entity::unwatched(tx, entities, || entities.iter().try_for_each(|entity| entity.upkeep().after_sync(tx)))?;
        note_outcome(tx, now, &result)
    })?;
    desk.checkpoint_as_usual()?;
    result
}

fn note_outcome(tx: &rusqlite::Transaction, now: Timestamp, result: &Result<SyncReport>) -> Result<()> {
    match result {
        Ok(_) => {
            state::set(tx, state::LAST_SYNCED_AT, &now.to_string())?;
            state::remove(tx, state::PROBLEM_CODE)?;
            state::remove(tx, state::PROBLEM_MESSAGE)
        }
        Err(err) => {
            state::set(tx, state::PROBLEM_CODE, err.code())?;
            state::set(tx, state::PROBLEM_MESSAGE, &err.to_string())
        }
    }
}

/// A client for the hub this desk is connected to, with its token.
pub(crate) fn connected_hub(conn: &rusqlite::Connection) -> Result<HubClient> {
    let (Some(hub_url), Some(token)) = (state::get(conn, state::HUB_URL)?, state::get(conn, state::TOKEN)?) else {
        return Err(Error::Sync(SyncError::NotConnected));
    };
    // A link made before plain HTTP was refused is held to the rule too.
    let trust = HubTrust::load(conn)?;
    trust.check(&hub_url)?;
    let mut hub = HubClient::new(&hub_url, Some(&token), &trust)?;
    hub.sign_with(keys::current(conn)?);
    Ok(hub)
}

/// Lets a desk waiting to join in; returns its name.
pub(crate) fn let_desk_in(desk: &mut Desk, request_id: &str) -> Result<String> {
    let hub = connected_hub(desk.conn())?;
    keys::let_in(desk, &hub, request_id)
}

/// The desks waiting to be let in, as the hub lists them now (and noted for the status).
pub(crate) fn ask_join_requests(desk: &mut Desk) -> Result<Vec<JoinAsk>> {
    let hub = connected_hub(desk.conn())?;
    keys::note_join_requests(desk, &hub)?;
    keys::join_asks(desk.conn())
}

/// The desks of this desk's center, as the hub lists them.
pub(crate) fn center_devices(desk: &Desk) -> Result<Vec<porchlight_protocol::CenterDevice>> {
    connected_hub(desk.conn())?.center_devices()
}

/// Revokes a desk of the center at the hub; with `change_key`, changes the center's key so that
/// nothing sent from now on opens with the key the revoked desk holds, and seals the history at
/// the hub again with the new one.
pub(crate) fn revoke_desk(desk: &mut Desk, device_id: &str, change_key: bool) -> Result<String> {
    let mut hub = connected_hub(desk.conn())?;
    let devices = hub.center_devices()?;
    let revoked =
        devices.iter().find(|device| device.device_id == device_id).ok_or(Error::Sync(SyncError::NoSuchDesk))?;
    hub.revoke_device(device_id)?;
    keys::note_join_requests(desk, &hub)?;
    if change_key {
        let still_enrolled: Vec<String> = devices
            .iter()
            .filter(|device| device.revoked_at.is_none() && device.device_id != device_id)
            .map(|device| device.device_id.clone())
            .collect();
        let key = keys::change_key(desk, &mut hub, &still_enrolled)?;
        seal_history(desk, &hub, &key, 0, &mut |_| {})?;
    }
    Ok(revoked.name.clone())
}

/// Takes the center's key from its recovery words.
/// Whether `words` are the recovery words of a center key this desk holds.
pub(crate) fn words_of_a_held_key(desk: &Desk, words: &str) -> Result<()> {
    keys::words_of_a_held_key(desk.conn(), words)
}

pub(crate) fn recover_center_key(desk: &mut Desk, words: &str) -> Result<()> {
    let key = keys::from_words(words)?;
    let hub = connected_hub(desk.conn())?;
    keys::recover(desk, &hub, key)
}

pub(crate) use keys::{recovery_sheet, recovery_sheet_written};

fn run_sync(desk: &mut Desk, on_progress: &mut dyn FnMut(SyncProgress), sealing: Sealing) -> Result<SyncReport> {
    let mut hub = connected_hub(desk.conn())?;
    let mut report = SyncReport::default();
    // One answer says all a round with nothing to do needs: the center's key, the desks waiting
    // to join, where the center's log stands, and (in its Date header) the hub's time.
    let (center, hub_time) = hub.center()?;
    let key = match sealing {
        Sealing::On => {
            let settled = keys::settle(desk, &hub, &center)?;
            hub.sign_with(Some(settled.key.clone()));
            keys::publish_desk_key(desk)?;
            keys::note_join_requests_waiting(desk, &hub, center.waiting_to_join)?;
            let unproven_up_to = unproven_history(desk, &hub, &settled)?;
            if settled.readable_changes > 0 {
                seal_history(desk, &hub, &settled.key, unproven_up_to, on_progress)?;
            }
            Some(settled.key)
        }
        Sealing::Off => None,
    };

    // A hub older than the log's position in its answer tells it, and its time, in answer to an
    // empty push.
    let (log, hub_time) = match center.log {
        Some(log) => (log, hub_time),
        None => {
            let (hello, hub_time) = hub.push(&[])?;
            (LogPosition { last_seq: hello.last_seq, history: hello.history, last_change_id: None }, hub_time)
        }
    };
    if let Some(hub_time) = hub_time {
        report.restamped = correct_clock(desk, hub_time)? as u64;
    }

    // A desk whose clock is in doubt sends nothing: its stamps may be hours out. It still
    // takes what other desks sent, and says why its own changes wait.
    let clock_in_doubt = match trusted_time::doubt(desk.conn(), desk.now())? {
        Some(ClockDoubt::FarFromHub { offset_ms }) => Some(offset_ms),
        _ => None,
    };
    let to_push = if clock_in_doubt.is_some() { 0 } else { outbox::count(desk.conn())? };
    let device_id = state::get(desk.conn(), state::DEVICE_ID)?.unwrap_or_default();
    let mut pulled_up_to = pull_from(desk, &log.history, log.last_seq)?;
    let mut hub_last_seq = log.last_seq;
    // The change the hub holds at `hub_last_seq`, while this desk knows it.
    let mut newest_change = log.last_change_id;
    let mut read_up_to = 0;
    hub.push_all(
        desk,
        |desk| {
            if clock_in_doubt.is_some() {
                return Ok(Vec::new());
            }
            let (batch, last_position) = outbox::pending_after(desk.conn(), read_up_to, MAX_PUSH_BATCH)?;
            read_up_to = last_position.unwrap_or(read_up_to);
            Ok(match &key {
                Some(key) => keys::sealed(key, &device_id, batch),
                None => batch,
            })
        },
        |desk, batch, pushed| {
            // A desk that had pulled everything, whose whole batch took the very next seqs, has
            // nothing to pull back in that range but its own changes: it moves its cursor past them.
            let only_ours = pulled_up_to == hub_last_seq
                && pushed.duplicates == 0
                && pushed.last_seq == hub_last_seq + pushed.accepted;
            if only_ours {
                pulled_up_to = pushed.last_seq;
            }
            hub_last_seq = pushed.last_seq;
            newest_change = batch.last().filter(|_| only_ours).map(|last| last.change_id.clone());
            desk.write_unrecorded(|tx, _| {
                outbox::acknowledge(tx, batch)?;
                if let (true, Some(last)) = (only_ours, batch.last()) {
                    state::set(tx, state::LAST_PULLED_SEQ, &pulled_up_to.to_string())?;
                    state::set(tx, state::LAST_PULLED_CHANGE, &last.change_id)?;
                }
                Ok(())
            })?;
            report.pushed += pushed.accepted;
            report.duplicates += pushed.duplicates;
            let done = report.pushed + report.duplicates;
            on_progress(SyncProgress { phase: SyncPhase::Pushing, done, total: to_push.max(done) });
            Ok(())
        },
    )?;

    let start = pulled_up_to;
    let total = hub_last_seq.saturating_sub(start);
    if total > CATCH_UP_IN_BULK_AFTER {
        let entities = desk.entities();
        let put_off = desk.write_unrecorded(|tx, _| {
            entities.iter().try_fold(false, |put_off, entity| Ok(entity.upkeep().before_catch_up(tx, total)? | put_off))
        })?;
        if put_off {
            desk.checkpoint_seldom()?;
        }
    }
    let mut pull_pages = |desk: &mut Desk, start: u64| {
        let expected = state::get(desk.conn(), state::LAST_PULLED_CHANGE)?;
        let mut first = true;
        hub.pull_all(start, MAX_PULL_LIMIT, |page| {
            if std::mem::take(&mut first) && start > 0 && expected.is_some() && page.since_change_id != expected {
                return Err(Error::Sync(SyncError::HubWentBack));
            }
            let applied = apply_pulled(desk, &page.changes, page.next)?;
            report.pulled += page.changes.len() as u64 - applied.own;
            report.changed += applied.changed;
            report.changed_entities.extend(applied.entities);
            let done = page.next.saturating_sub(start);
            on_progress(SyncProgress { phase: SyncPhase::Pulling, done, total: total.max(done) });
            Ok(())
        })
    };
    // A cursor on the hub's newest change, the very one the hub named, has nothing to pull,
    // unless something here waits to be tried again with a page (even an empty one).
    let on_the_newest = start == hub_last_seq
        && (start == 0
            || (newest_change.is_some() && state::get(desk.conn(), state::LAST_PULLED_CHANGE)? == newest_change));
    let pulled = if on_the_newest && !waiting_for_a_pull(desk.conn())? { Ok(()) } else { pull_pages(desk, start) };
    match pulled {
        // Another change holds the number this desk's cursor stands on: the hub was put back
        // and numbered other changes in its place. The whole history again, then.
        Err(Error::Sync(SyncError::HubWentBack)) => {
            desk.write_unrecorded(|tx, now| start_over(tx, &log.history, Some(now)))?;
            pull_pages(desk, 0)?
        }
        pulled => pulled?,
    }
    if state::get(desk.conn(), state::APPLY_OWN_CHANGES)?.is_some() {
        desk.write_unrecorded(|tx, _| state::remove(tx, state::APPLY_OWN_CHANGES))?;
    }
    if let Some(checking) = state::get(desk.conn(), state::CHECKING_WHAT_HUB_HOLDS)? {
        let entities = desk.entities();
        report.resent = desk.write_unrecorded(|tx, now| {
            let resent = outbox::resend_what_the_hub_lost(tx, entities)?;
            if checking == NOTICED || resent > 0 {
                if checking != NOTICED {
                    state::set(tx, state::HUB_WENT_BACK_AT, &now.to_string())?;
                }
                state::set(tx, state::HUB_LOST_RESENT, &resent.to_string())?;
            }
            state::remove(tx, state::CHECKING_WHAT_HUB_HOLDS)?;
            Ok(resent)
        })?;
    }
    if let Some(offset) = clock_in_doubt {
        return Err(Error::Sync(SyncError::ClockInDoubt { gap: clock_gap(offset) }));
    }
    Ok(report)
}

/// Whether something at this desk is tried again when the next page is pulled, even an empty
/// one: changes kept aside until they open, records parked until they can be written, or this
/// desk's own changes to apply again after a backup was put back.
fn waiting_for_a_pull(conn: &rusqlite::Connection) -> Result<bool> {
    Ok(keys::count_aside(conn)? > 0
        || inbox::any_parked(conn)?
        || state::get(conn, state::APPLY_OWN_CHANGES)?.is_some())
}

/// Where to pull from: where this desk left off, while its cursor counts in the history the
/// hub numbers the center's changes in and the hub holds changes up to it. Otherwise from the
/// start, the whole history again (what this desk holds already changes nothing): the hub
/// numbered the center's changes again (an older hub's numbering, shared by its centers), or it
/// is not the hub the cursor was kept against, or it went back to before the cursor.
fn pull_from(desk: &mut Desk, history: &str, hub_last_seq: u64) -> Result<u64> {
    let cursor = state::get_u64(desk.conn(), state::LAST_PULLED_SEQ)?;
    let pulled_from = state::get(desk.conn(), state::HUB_HISTORY)?;
    // A hub older than histories names none: its numbering is the one the cursor counts in.
    let same_history = history.is_empty() || pulled_from.as_deref() == Some(history);
    if same_history && cursor <= hub_last_seq {
        return Ok(cursor);
    }
    desk.write_unrecorded(|tx, now| match (&pulled_from, cursor) {
        // A desk that has pulled nothing yet starts in the history the hub names.
        (None, 0) => state::set(tx, state::HUB_HISTORY, history),
        // A desk of an older version, whose hub numbered the center's changes again.
        (None, _) => start_over(tx, history, None),
        _ => start_over(tx, history, Some(now)),
    })?;
    Ok(0)
}

/// `CHECKING_WHAT_HUB_HOLDS` when the hub was found holding less than before; `QUIET` when the
/// desk only checks (the same changes numbered again, or a desk connecting again).
const NOTICED: &str = "noticed";
const QUIET: &str = "quiet";

/// The cursor goes back to the start of `history`, and the desk notes what the hub holds as it
/// pulls it all again, to send back what the hub lost; `noticed` when the hub went back (as
/// opposed to numbering the same changes again).
fn start_over(tx: &rusqlite::Transaction, history: &str, noticed: Option<Timestamp>) -> Result<()> {
    state::set(tx, state::LAST_PULLED_SEQ, "0")?;
    state::remove(tx, state::LAST_PULLED_CHANGE)?;
    state::set(tx, state::HUB_HISTORY, history)?;
    // Kept aside by their old numbers: what the hub still holds comes again.
    tx.prepare_cached("DELETE FROM sync_unopened")?.execute([])?;
    check_what_hub_holds(tx, noticed)
}

/// The next full pull notes what the hub holds, and the desk then sends back what it lacks;
/// `noticed`: when the hub was found holding less than before.
fn check_what_hub_holds(tx: &rusqlite::Transaction, noticed: Option<Timestamp>) -> Result<()> {
    tx.prepare_cached("DELETE FROM sync_hub_holds")?.execute([])?;
    match noticed {
        Some(now) => {
            state::set(tx, state::HUB_WENT_BACK_AT, &now.to_string())?;
            state::set(tx, state::CHECKING_WHAT_HUB_HOLDS, NOTICED)
        }
        None => state::set(tx, state::CHECKING_WHAT_HUB_HOLDS, QUIET),
    }
}

/// A backup was put back in place of the desk's data: the next full pull applies this desk's
/// own changes too, which the backup may not hold.
pub(crate) fn apply_own_changes_at_next_pull(tx: &rusqlite::Transaction) -> Result<()> {
    state::set(tx, state::APPLY_OWN_CHANGES, "1")
}

/// How far this desk vouches for changes the hub holds unproven, when it seals the center's
/// history again. A desk that synced before changes were proven took the history as the hub
/// handed it: it vouches for the hub's history as it was when it first synced on this version
/// (the hub refuses unproven changes from then on), until that history is sealed; so does the
/// desk that names the key of a center that had none. A desk new to the center vouches for
/// nothing it did not see proven.
fn unproven_history(desk: &mut Desk, hub: &HubClient, settled: &keys::Settled) -> Result<u64> {
    let readable_changes = settled.readable_changes;
    let noted = state::get(desk.conn(), state::UNPROVEN_HISTORY_UP_TO)?;
    let up_to = match &noted {
        Some(text) if !settled.named_now => text.parse().unwrap_or(0),
        _ => {
            let synced_before = settled.named_now || state::get_u64(desk.conn(), state::LAST_PULLED_SEQ)? > 0;
            if synced_before {
                hub.push(&[])?.0.last_seq
            } else {
                0
            }
        }
    };
    let up_to = if readable_changes == 0 { 0 } else { up_to };
    if noted.as_deref() != Some(up_to.to_string().as_str()) {
        desk.write_unrecorded(|tx, _| state::set(tx, state::UNPROVEN_HISTORY_UP_TO, &up_to.to_string()))?;
    }
    Ok(up_to)
}

/// Changes the hub holds that are not sealed and proven with the center's current key (from
/// before the center had a key, before changes were proven, or before a change of key): this
/// desk reads them page by page, sends a copy of each sealed and proven with the current key,
/// and has the hub replace them all at once. A change it cannot vouch for (one nothing it holds
/// opens, or that does not verify) is left as it is and counted as copied, so that junk cannot
/// hold the center's sync up; no desk applies it. A sync cut off half-way starts the copy again.
fn seal_history(
    desk: &mut Desk,
    hub: &HubClient,
    key: &keys::CenterKey,
    unproven_up_to: u64,
    on_progress: &mut dyn FnMut(SyncProgress),
) -> Result<()> {
    let ring = keys::ring(desk.conn())?;
    let mut copies = Vec::new();
    let mut done = 0;
    let mut sealer = seal::Sealer::new(key);
    hub.pull_all(0, MAX_PULL_LIMIT, |page| {
        for change in &page.changes {
            match seal::sealed_copy(&ring, &mut sealer, change, unproven_up_to) {
                seal::Copy::Current => {}
                seal::Copy::Sealed(copy) => copies.push(copy),
                seal::Copy::SetAside(_) => {
                    copies.push(SealedChange { seq: change.seq, fields: change.fields.clone(), auth: None });
                }
            }
        }
        while copies.len() >= MAX_PUSH_BATCH || (!page.has_more && !copies.is_empty()) {
            let batch: Vec<_> = copies.drain(..copies.len().min(MAX_PUSH_BATCH)).collect();
            let staged = hub.stage_sealed_history(batch)?;
            done = staged.staged;
            on_progress(SyncProgress { phase: SyncPhase::Sealing, done, total: staged.readable.max(done) });
        }
        Ok(())
    })?;
    hub.commit_sealed_history()?;
    desk.write_unrecorded(|tx, _| state::set(tx, state::UNPROVEN_HISTORY_UP_TO, "0"))
}

/// The oldest changes not yet acknowledged by the hub, sealed as the hub receives them once
/// the desk holds its center's key.
pub fn pending_changes(desk: &Desk, limit: usize) -> Result<Vec<Change>> {
    let pending = outbox::pending(desk.conn(), limit)?;
    let device_id = state::get(desk.conn(), state::DEVICE_ID)?.unwrap_or_default();
    Ok(match keys::current(desk.conn())? {
        Some(key) => keys::sealed(&key, &device_id, pending),
        None => pending,
    })
}

/// The hub has stored these changes.
pub fn acknowledge(desk: &mut Desk, changes: &[Change]) -> Result<()> {
    desk.write_unrecorded(|tx, _| outbox::acknowledge(tx, changes))
}

/// Applies one page of changes from the hub and moves the pull cursor to `next`, together.
/// Sealed values are opened first; a change that does not open is kept aside, never applied in
/// part ([`SyncStatus::unopened_changes`]).
pub fn apply_pulled(desk: &mut Desk, changes: &[PulledChange], next: u64) -> Result<Applied> {
    let ring = keys::ring(desk.conn())?;
    let now = desk.now();
    let device_id = state::get(desk.conn(), state::DEVICE_ID)?.unwrap_or_default();
    // Those kept aside first (they came before this page), as many as open now.
    let mut applied = match keys::count_aside(desk.conn())? {
        0 => Applied::default(),
        _ => apply_kept_aside(desk, &ring, &device_id)?,
    };
    // This desk's own changes are here already and left unopened, unless a backup was put back.
    let own_left_out = match state::get(desk.conn(), state::APPLY_OWN_CHANGES)? {
        None => device_id.as_str(),
        Some(_) => "",
    };
    let (opened, unopened) = keys::opened(&ring, own_left_out, changes);
    let checking_what_hub_holds = state::get(desk.conn(), state::CHECKING_WHAT_HUB_HOLDS)?.is_some();
    let page = apply_opened(desk, &opened, own_left_out, |tx| {
        for (change, why) in &unopened {
            keys::keep_aside(tx, change, why, now)?;
        }
        if let Some(last) = changes.last() {
            state::set(tx, state::LAST_PULLED_CHANGE, &last.change_id)?;
        }
        if checking_what_hub_holds {
            outbox::note_held_by_hub(tx, changes)?;
        }
        state::set(tx, state::LAST_PULLED_SEQ, &next.to_string())
    })?;
    applied.add(page);
    Ok(applied)
}

/// Applies the changes kept aside that open now (the desk was let in, or recovered its key);
/// one that opens with its key but does not verify is then kept aside for good.
fn apply_kept_aside(desk: &mut Desk, ring: &[keys::CenterKey], device_id: &str) -> Result<Applied> {
    let kept = keys::kept_aside(desk.conn())?;
    let (opened, unopened) = keys::opened(ring, device_id, &kept);
    let no_longer_waiting: Vec<_> = unopened.iter().filter(|(_, why)| !why.may_open_later()).collect();
    if opened.is_empty() && no_longer_waiting.is_empty() {
        return Ok(Applied::default());
    }
    let now = desk.now();
    apply_opened(desk, &opened, device_id, |tx| {
        for (change, why) in &no_longer_waiting {
            keys::keep_aside(tx, change, why, now)?;
        }
        keys::no_longer_aside(tx, &opened)
    })
}

/// Applies opened changes, but those of the desk `own_left_out` names (this desk's own, already
/// here; none after a backup was put back), and, in the same transaction, what `also` writes.
fn apply_opened(
    desk: &mut Desk,
    changes: &[PulledChange],
    own_left_out: &str,
    also: impl Fn(&rusqlite::Transaction) -> Result<()>,
) -> Result<Applied> {
    let entities = desk.entities();
    let apply = |desk: &mut Desk, writing| {
        desk.write_unrecorded(|tx, now| {
            let applied =
                entity::unwatched(tx, entities, || inbox::apply(tx, now, entities, changes, own_left_out, writing))?;
            also(tx)?;
            Ok(applied)
        })
    };
    match apply(desk, Writing::Together) {
        Err(Error::Common(CommonError::DatabaseLocked)) => Err(Error::Common(CommonError::DatabaseLocked)),
        // A record that cannot be written yet (a visit before its person): slower, but it waits alone.
        Err(_) => apply(desk, Writing::OneByOne),
        applied => applied,
    }
}

/// Takes the device id the hub assigned; stamps made before it are claimed for it.
pub fn adopt_device_id(desk: &mut Desk, device_id: &str) -> Result<()> {
    desk.write_unrecorded(|tx, _| adopt_device_id_in(tx, device_id))
}

fn adopt_device_id_in(tx: &rusqlite::Transaction, device_id: &str) -> Result<()> {
    state::set(tx, state::DEVICE_ID, device_id)?;
    let records: Vec<(String, String)> = {
        let mut statement = tx.prepare("SELECT entity, record_id FROM sync_records")?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (entity, id) in records {
        let mut record = RecordState::load(tx, &entity, &id)?;
        if record.claim_local_stamps(device_id) {
            record.save(tx, &entity, &id)?;
        }
    }
    Ok(())
}

/// Learns how far this desk's clock is from the hub's. Beyond a minute, the desk's time follows
/// the hub's from now on, and unsent changes stamped ahead of it are stamped again. Beyond
/// [`CLOCK_DOUBT_MS`] (from the desk's own clock and from the time an admin last accepted), one
/// of the two clocks is wrong and the desk cannot tell which: a hub lying about the time would
/// move every stamp, and a desk's wrong clock would date visits wrong. The desk then makes no
/// change until its clock comes back near the hub's or an admin takes the hub's time
/// (`hub_link::accept_hub_time`). How many unsent changes were stamped again.
pub fn correct_clock(desk: &mut Desk, hub_time: Timestamp) -> Result<usize> {
    let computer = desk.computer_time();
    desk.write_unrecorded(|tx, _| {
        let offset = (hub_time.0 - computer.0).num_milliseconds();
        if trusted_time::learn_hub_time(tx, computer, offset)? {
            return Ok(0);
        }
        outbox::restamp_future(tx, trusted_time::trusted_now(tx, computer)?)
    })
}

/// Takes the hub's time as right, for a desk whose clock is far from it: its time follows the
/// hub's from now on. The gap taken, if the clock was in doubt.
pub(crate) fn accept_hub_time(tx: &rusqlite::Transaction, computer: Timestamp) -> Result<Option<i64>> {
    let Some(offset) = trusted_time::accept_hub_time(tx, computer)? else { return Ok(None) };
    outbox::restamp_future(tx, trusted_time::trusted_now(tx, computer)?)?;
    Ok(Some(offset))
}

fn valid_hub_url(text: &str) -> Result<String> {
    let text = text.trim().trim_end_matches('/');
    let uri: ureq::http::Uri = text.parse().map_err(|_| Error::Sync(SyncError::InvalidHubUrl))?;
    let scheme_ok = matches!(uri.scheme_str(), Some("http" | "https"));
    if !scheme_ok || uri.host().is_none_or(str::is_empty) {
        return Err(Error::Sync(SyncError::InvalidHubUrl));
    }
    Ok(text.to_owned())
}
