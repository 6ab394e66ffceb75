//! The desk the window works on, and the one way commands reach it: on the blocking pool,
//! so SQLite never runs on the UI thread.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use porchlight_core::access::Session;
use porchlight_core::access::{AccessError, AccessErrorCode};
use porchlight_core::encryption::DeskKey;
use porchlight_core::{settings, Desk, ErrorCode, ErrorDetail};
use serde::Serialize;
use ts_rs::TS;

/// An error as the UI shows it: a sentence for the person, the field it concerns, and a
/// stable code for the UI's own decisions, with what else it needs to act on (see
/// `porchlight_core::Error::detail`).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CommandError {
    pub code: Code,
    pub message: String,
    pub field: Option<String>,
    pub detail: ErrorDetail,
}

/// The codes the window may receive: core's, and the shell's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(untagged)]
#[ts(export)]
pub enum Code {
    Core(ErrorCode),
    Shell(ShellCode),
}

/// What the shell itself answers with, beside core's errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ShellCode {
    /// A failure no code of its own describes (a worker thread that panicked).
    Internal,
    /// The desk's data is encrypted and its passphrase has not been typed yet.
    DeskKeyNeeded,
}

impl From<porchlight_core::Error> for CommandError {
    fn from(err: porchlight_core::Error) -> Self {
        CommandError {
            code: Code::Core(ErrorCode::from(&err)),
            message: err.to_string(),
            field: err.field().map(str::to_owned),
            detail: err.detail(),
        }
    }
}

impl CommandError {
    fn shell(code: ShellCode, message: impl Into<String>) -> Self {
        CommandError { code: Code::Shell(code), message: message.into(), field: None, detail: ErrorDetail::new() }
    }

    fn internal(message: impl Into<String>) -> Self {
        CommandError::shell(ShellCode::Internal, message)
    }

    fn desk_key_needed() -> Self {
        CommandError::shell(
            ShellCode::DeskKeyNeeded,
            "This desk's data is encrypted and opens once its passphrase is typed.",
        )
    }
}

/// The key the desk's data is encrypted with, once found in the keychain or typed as a
/// passphrase. Both of the app's connections (the window's and the background sync's) open
/// with it; until it is there, neither opens anything.
#[derive(Clone, Default)]
pub struct KeySlot(Arc<Mutex<Option<DeskKey>>>);

impl KeySlot {
    pub fn get(&self) -> Option<DeskKey> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    pub fn set(&self, key: DeskKey) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(key);
    }

    /// Opens the desk in `data_dir` with the key; refused while there is none.
    pub fn open(&self, data_dir: &Path) -> Result<Desk, CommandError> {
        let key = self.get().ok_or_else(CommandError::desk_key_needed)?;
        Desk::open_dir_keyed(data_dir, Some(key)).map_err(CommandError::from)
    }
}

/// The desk the window works on. It is opened on the first command, on the blocking pool, and
/// again on the next command if that failed: a person who fixes the folder and presses
/// "Try again" gets their desk without restarting, and the window never shows a blank page.
///
/// It also holds who is signed in. The session lives only here, in the app's memory: the window
/// never sees it, so a script in the page cannot forge one, and locking is forgetting it.
pub struct DeskState {
    desk: Arc<Mutex<Option<Arc<Mutex<Desk>>>>>,
    session: Arc<Mutex<SignedIn>>,
    pub data_dir: PathBuf,
    pub key: KeySlot,
    /// False when started with `--no-keychain`: the desk's key then comes from a passphrase.
    pub use_keychain: bool,
    /// Told after each write on the window's desk: the background sync's wake-up.
    after_write: Arc<dyn Fn() + Send + Sync>,
}

/// Who is signed in, and when the person at the desk last used the window. The window locks
/// itself after the desk's idle time; the session here also ends then, on its own, so a window
/// that failed to lock (hidden, frozen, or a script in it) cannot go on acting for them.
struct SignedIn {
    session: Option<Session>,
    last_activity: Instant,
    idle_limit: Duration,
}

impl Default for SignedIn {
    fn default() -> Self {
        SignedIn {
            session: None,
            last_activity: Instant::now(),
            idle_limit: Duration::from_secs(u64::from(settings::DEFAULT_LOCK_AFTER_MINUTES) * 60),
        }
    }
}

impl SignedIn {
    /// The session, unless the desk has been idle past its limit at `now` (then it ends).
    fn at(&mut self, now: Instant) -> Option<Session> {
        if now.saturating_duration_since(self.last_activity) > self.idle_limit {
            self.session = None;
        }
        self.session.clone()
    }
}

impl DeskState {
    pub fn new(data_dir: &Path, key: KeySlot, use_keychain: bool, after_write: Arc<dyn Fn() + Send + Sync>) -> Self {
        DeskState {
            desk: Arc::default(),
            session: Arc::default(),
            data_dir: data_dir.to_owned(),
            key,
            use_keychain,
            after_write,
        }
    }

    fn signed_in(&self) -> std::sync::MutexGuard<'_, SignedIn> {
        self.session.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn session(&self) -> Option<Session> {
        self.signed_in().at(Instant::now())
    }

    pub fn begin(&self, session: Session) {
        let mut signed_in = self.signed_in();
        signed_in.session = Some(session);
        signed_in.last_activity = Instant::now();
    }

    /// Someone is using the window (the window says so as they type or point).
    pub fn touch(&self) {
        let mut signed_in = self.signed_in();
        if signed_in.at(Instant::now()).is_some() {
            signed_in.last_activity = Instant::now();
        }
    }

    /// The desk's idle time, as its settings say: read whenever the window asks where it stands.
    pub fn set_idle_limit(&self, minutes: u32) {
        self.signed_in().idle_limit = Duration::from_secs(u64::from(minutes) * 60);
    }

    pub fn lock(&self) {
        self.signed_in().session = None;
    }

    /// Runs `work` for whoever is signed in. With nobody signed in, or once core says the
    /// session no longer holds (the account was turned off or locked at another desk), the
    /// desk locks and the window shows the lock screen.
    pub async fn run_signed_in<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Desk, &Session) -> porchlight_core::Result<T> + Send + 'static,
    ) -> Result<T, CommandError> {
        let signed_out = || porchlight_core::Error::Access(AccessError::SignedOut);
        // Refused before the desk is reached: a locked window's call costs nothing.
        if self.session().is_none() {
            return Err(CommandError::from(signed_out()));
        }
        self.run_as_whoever_is_signed_in(move |desk, session| work(desk, session.ok_or_else(signed_out)?)).await
    }

    /// [`DeskState::run_signed_in`] for work core lets run with nobody signed in, when it says so.
    pub async fn run_as_whoever_is_signed_in<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Desk, Option<&Session>) -> porchlight_core::Result<T> + Send + 'static,
    ) -> Result<T, CommandError> {
        let session = self.session();
        let result = self.run(move |desk| work(desk, session.as_ref())).await;
        if let Err(err) = &result {
            if matches!(
                err.code,
                Code::Core(ErrorCode::Access(AccessErrorCode::SignedOut | AccessErrorCode::AccountLocked))
            ) {
                self.lock();
            }
        }
        result
    }

    /// Runs `work` on the desk on Tauri's blocking pool and maps its error for the UI.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Desk) -> porchlight_core::Result<T> + Send + 'static,
    ) -> Result<T, CommandError> {
        let (slot, key, after_write) = (self.desk.clone(), self.key.clone(), self.after_write.clone());
        let data_dir = self.data_dir.clone();
        on_blocking_pool(move || {
            let desk = {
                let mut slot = slot.lock().unwrap_or_else(PoisonError::into_inner);
                match &*slot {
                    Some(desk) => desk.clone(),
                    None => {
                        let mut desk = key.open(&data_dir)?;
                        // The background loop folds the log on its own connection, and sends
                        // what is written here as soon as it is told.
                        desk.leave_log_folding_to_another_connection()?;
                        desk.notify_after_writes(after_write);
                        slot.insert(Arc::new(Mutex::new(desk))).clone()
                    }
                }
            };
            // A panic in an earlier command leaves the desk itself intact: each write is a transaction.
            let mut desk = desk.lock().unwrap_or_else(PoisonError::into_inner);
            work(&mut desk).map_err(CommandError::from)
        })
        .await
    }
}

/// Runs core work on Tauri's blocking pool, so SQLite never runs on the UI thread.
pub async fn on_blocking_pool<T: Send + 'static, E: Into<CommandError> + Send + 'static>(
    work: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, CommandError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|err| CommandError::internal(format!("Porchlight hit an internal problem: {err}")))?
        .map_err(Into::into)
}

#[cfg(test)]
mod tests {
    use super::*;
    use porchlight_core::visits::VisitsError;

    #[test]
    fn a_session_ends_on_its_own_once_the_desk_has_been_idle_past_its_limit() {
        let start = Instant::now();
        let mut signed_in = SignedIn {
            session: Some(Session::operator("tester")),
            last_activity: start,
            idle_limit: Duration::from_secs(5 * 60),
        };
        assert!(signed_in.at(start + Duration::from_secs(4 * 60)).is_some());
        signed_in.last_activity = start + Duration::from_secs(4 * 60);
        assert!(signed_in.at(start + Duration::from_secs(8 * 60)).is_some(), "activity starts the count again");
        assert!(signed_in.at(start + Duration::from_secs(10 * 60)).is_none(), "idle past five minutes");
        signed_in.last_activity = start + Duration::from_secs(11 * 60);
        assert!(signed_in.at(start + Duration::from_secs(11 * 60)).is_none(), "ended is ended: sign in again");
    }

    /// What the window receives: the code as a plain string it can compare, the extra data by name.
    #[test]
    fn errors_reach_the_window_as_code_sentence_field_and_detail() {
        let since = porchlight_core::Timestamp::parse("2026-11-23T15:00:00Z").unwrap();
        let core = CommandError::from(porchlight_core::Error::Visits(VisitsError::AlreadyCheckedIn {
            visit_id: "v1".into(),
            since,
        }));
        let json = serde_json::to_value(&core).unwrap();
        assert_eq!(json["code"], "already_checked_in");
        assert_eq!(json["detail"]["visit_id"], "v1");
        assert_eq!(json["field"], serde_json::Value::Null);
        let shell = serde_json::to_value(CommandError::desk_key_needed()).unwrap();
        assert_eq!(
            (shell["code"].as_str(), shell["detail"].as_object().map(|d| d.len())),
            (Some("desk_key_needed"), Some(0))
        );
    }
}
