//! The desk's round in the background ([`round::run`]: the retention sweep once a day, a sync,
//! publishing): every 30 seconds, as soon as a local write wakes it, and on demand, with
//! back-off while the hub cannot be reached. It works on its own connection to the desk
//! database, so a long first sync never holds up the front desk. The same loop checks every
//! page of the desk's file and makes the day's automatic backup when the app starts and then
//! daily.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use porchlight_core::encryption::EncryptionErrorCode;
use porchlight_core::round::{self, Round};
use porchlight_core::sync::{self, SyncProgress, SyncStatus, BACKGROUND_INTERVAL_SECS};
use porchlight_core::{backup, Desk, ErrorCode};
use serde::Serialize;
use tauri::{AppHandle, Emitter};
use ts_rs::TS;

use crate::state::{on_blocking_pool, Code, CommandError, KeySlot};

/// Sent to the window whenever the sync state changes (`sync-changed`).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SyncView {
    pub status: SyncStatus,
    pub syncing: bool,
    /// While syncing: how far it has got.
    pub progress: Option<SyncProgress>,
    /// What the last check of every page of the desk's file found wrong, and what to do; run
    /// when the app starts and then daily.
    pub damaged: Option<String>,
}

pub const SYNC_CHANGED: &str = "sync-changed";
/// Sent during a sync with a `SyncProgress`.
pub const SYNC_PROGRESS: &str = "sync-progress";
/// Sent with a [`RecordsArrived`] when changes from other desks altered this desk's records.
pub const RECORDS_ARRIVED: &str = "records-arrived";

/// Which record types changes from other desks altered, so a screen reloads only when its own did.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RecordsArrived {
    /// Record types by their name on the wire: `person`, `visit`, `service`, `settings`, ...
    pub entities: BTreeSet<String>,
}

const FIRST_RETRY: Duration = Duration::from_secs(5);
/// How often the background connection folds the write-ahead log into the database file, for
/// the window's connection, which leaves that to it.
const FOLD_LOG_EVERY: Duration = Duration::from_secs(10);
const LONGEST_RETRY: Duration = Duration::from_secs(300);
const CHECK_EVERY: Duration = Duration::from_secs(24 * 60 * 60);
/// A check of the desk's file that could not run yet (its key not entered) is tried again this
/// soon: the day's check and backup follow the passphrase within seconds.
const CHECK_RETRY: Duration = Duration::from_secs(2);
/// The least the loop waits before looking again when nothing woke it.
const SOONEST_LOOK_AGAIN: Duration = Duration::from_secs(1);

#[derive(Clone)]
pub struct SyncState {
    data_dir: PathBuf,
    key: KeySlot,
    /// The sync's own desk connection; holding it is what makes one sync run at a time.
    desk: Arc<Mutex<Option<Desk>>>,
    progress: Arc<Mutex<Option<SyncProgress>>>,
    damaged: Arc<Mutex<Option<String>>>,
    /// Woken by the window's desk after each write: a change waits to go out.
    local_change: Arc<tokio::sync::Notify>,
}

impl SyncState {
    pub fn new(data_dir: &Path, key: KeySlot) -> SyncState {
        SyncState {
            data_dir: data_dir.to_owned(),
            key,
            desk: Arc::default(),
            progress: Arc::default(),
            damaged: Arc::default(),
            local_change: Arc::default(),
        }
    }

    /// What the window's desk calls after each write ([`Desk::notify_after_writes`]), so the
    /// loop sends the change at once without looking every second.
    pub fn on_local_change(&self) -> Arc<dyn Fn() + Send + Sync> {
        let wake = self.local_change.clone();
        Arc::new(move || wake.notify_one())
    }

    /// Runs `work` on the sync's desk connection on the blocking pool.
    pub async fn with_desk<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Desk) -> porchlight_core::Result<T> + Send + 'static,
    ) -> Result<T, CommandError> {
        let (slot, key) = (self.desk.clone(), self.key.clone());
        let data_dir = self.data_dir.clone();
        on_blocking_pool(move || {
            let mut slot = slot.lock().unwrap_or_else(PoisonError::into_inner);
            let desk = match slot.as_mut() {
                Some(desk) => desk,
                None => slot.insert(key.open(&data_dir)?),
            };
            work(desk).map_err(CommandError::from)
        })
        .await
    }

    /// Runs `work` (on the blocking pool already) with the sync's connection closed and held
    /// closed: a backup put back in place of the file. What the last check found no longer holds.
    pub fn closed_while<T>(&self, work: impl FnOnce() -> porchlight_core::Result<T>) -> porchlight_core::Result<T> {
        let mut held = self.desk.lock().unwrap_or_else(PoisonError::into_inner);
        *held = None;
        let result = work();
        if result.is_ok() {
            *self.damaged.lock().unwrap_or_else(PoisonError::into_inner) = None;
        }
        result
    }

    pub async fn view(&self) -> Result<SyncView, CommandError> {
        let damaged = self.damaged.lock().unwrap_or_else(PoisonError::into_inner).clone();
        let status = match self.with_desk(|desk| sync::status(desk)).await {
            Ok(status) => status,
            // A damaged desk may not read its own sync state: what the check found still shows.
            Err(_) if damaged.is_some() => SyncStatus::default(),
            Err(err) => return Err(err),
        };
        let progress = *self.progress.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(SyncView { status, syncing: progress.is_some(), progress, damaged })
    }

    /// One round now ([`round::run`]: the sweep when due, a sync, publishing), telling the
    /// window as it goes (`sync-progress`, then `sync-changed`, and `records-arrived` when it
    /// changed records on this desk).
    pub async fn round(&self, app: &AppHandle) -> Result<Round, CommandError> {
        let (progress, emitter) = (self.progress.clone(), app.clone());
        let result = self
            .with_desk(move |desk| {
                round::run(desk, |step| {
                    *progress.lock().unwrap_or_else(PoisonError::into_inner) = Some(step);
                    let _ = emitter.emit(SYNC_PROGRESS, step);
                })
            })
            .await;
        self.set_progress(None);
        if let Ok(round) = &result {
            let entities = round.changed_entities();
            if !entities.is_empty() {
                let _ = app.emit(RECORDS_ARRIVED, RecordsArrived { entities });
            }
        }
        // A round of a desk with no hub (the sweep alone) leaves the sync view as it was.
        if !matches!(&result, Ok(Round { synced: None, .. })) {
            self.emit(app).await;
        }
        result
    }

    fn set_progress(&self, progress: Option<SyncProgress>) {
        *self.progress.lock().unwrap_or_else(PoisonError::into_inner) = progress;
    }

    async fn emit(&self, app: &AppHandle) {
        if let Ok(view) = self.view().await {
            let _ = app.emit(SYNC_CHANGED, view);
        }
    }
}

/// Reads every page of the desk's file ([`Desk::check_intact`]), and keeps the desk's automatic
/// backups (today's, if it has none yet, in the folder an admin chose or the data folder's
/// `backups`) when the file is whole;
/// what the check found is in the view. How long until the next check: a day, or a moment when
/// the check could not run yet (the desk's key not entered).
async fn check_and_back_up(state: &SyncState) -> Duration {
    let damaged = Code::Core(ErrorCode::Encryption(EncryptionErrorCode::DeskDataDamaged));
    let found = match state.with_desk(|desk| desk.check_intact()).await {
        Ok(()) => None,
        Err(err) if err.code == damaged => Some(err.message),
        // The desk is not open yet (its key not entered): look again in a moment.
        Err(_) => return CHECK_RETRY,
    };
    let whole = found.is_none();
    *state.damaged.lock().unwrap_or_else(PoisonError::into_inner) = found;
    if whole {
        // A folder out of reach (a USB drive left out) makes no backup: Settings → Backups says so.
        let _ = state.with_desk(|desk| backup::keep_automatic(desk)).await;
    }
    CHECK_EVERY
}

/// The background loop: wakes when the window's desk wrote something or the next thing is due
/// (a round, folding the write-ahead log, which the window's connection leaves to it, the daily
/// check), runs a round when a change waits or the interval is up, and tells the window
/// whenever what it shows would change (a write waiting to go out, a sync done or failed).
pub fn start(app: AppHandle, state: SyncState) {
    tauri::async_runtime::spawn(async move {
        let interval = Duration::from_secs(BACKGROUND_INTERVAL_SECS);
        let mut next_round = Instant::now();
        let mut retry_after = FIRST_RETRY;
        let mut shown: Option<SyncView> = None;
        let mut next_fold = Instant::now() + FOLD_LOG_EVERY;
        let mut next_check = Instant::now();
        loop {
            let wake_at = next_check.min(next_fold).min(next_round);
            // What is due but cannot run yet (a sync already under way) is looked at again in a second.
            let wait = wake_at.saturating_duration_since(Instant::now()).max(SOONEST_LOOK_AGAIN);
            let _woken_by_a_write = tokio::time::timeout(wait, state.local_change.notified()).await.is_ok();
            if Instant::now() >= next_check {
                next_check = Instant::now() + check_and_back_up(&state).await;
            }
            if Instant::now() >= next_fold {
                next_fold = Instant::now() + FOLD_LOG_EVERY;
                let _ = state.with_desk(|desk| desk.fold_log()).await;
            }
            // The desk not open yet (its key not entered): nothing runs until it is.
            let Ok(view) = state.view().await else { continue };
            if shown.as_ref() != Some(&view) {
                let _ = app.emit(SYNC_CHANGED, &view);
                shown = Some(view.clone());
            }
            let connected = view.status.hub_url.is_some();
            let failing = view.status.problem.is_some();
            let due = Instant::now() >= next_round;
            let waiting = connected && view.status.pending_changes > 0 && !failing;
            if view.syncing || !(due || waiting) {
                continue;
            }
            let synced = state.round(&app).await.and_then(|round| match round.synced {
                Some(Err(err)) => Err(err.into()),
                _ => Ok(()),
            });
            match synced {
                Ok(()) => {
                    retry_after = FIRST_RETRY;
                    next_round = Instant::now() + interval;
                }
                Err(_) => {
                    // The hub is down or refuses this desk: try again later, less often each time.
                    next_round = Instant::now() + retry_after;
                    retry_after = (retry_after * 2).min(LONGEST_RETRY);
                }
            }
            shown = state.view().await.ok();
        }
    });
}
