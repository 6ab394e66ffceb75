use porchlight_core::accounts::{self, Action};
use porchlight_core::sync::{self, HubConnection, SyncReport};
use tauri::{AppHandle, State};

use crate::background_sync::{SyncState, SyncView};
use crate::state::{CommandError, DeskState};

/// Sync runs on the desk's own schedule whoever is signed in; asking to see or start it is
/// an action like any other.
async fn ensure_allowed(desk: &DeskState, action: Action) -> Result<(), CommandError> {
    desk.run_signed_in(move |desk, session| accounts::authorize(desk, session, action).map(drop)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sync_view(desk: State<'_, DeskState>, sync: State<'_, SyncState>) -> Result<SyncView, CommandError> {
    ensure_allowed(&desk, Action::SeeSyncState).await?;
    sync.view().await
}

/// Connects this desk to a hub, then starts its first sync in the background.
#[tauri::command(rename_all = "snake_case")]
pub async fn sync_connect(
    app: AppHandle,
    desk: State<'_, DeskState>,
    sync: State<'_, SyncState>,
    connection: HubConnection,
) -> Result<SyncView, CommandError> {
    let Some(session) = desk.session() else {
        return Err(porchlight_core::Error::SignedOut.into());
    };
    sync.with_desk(move |desk| sync::connect(desk, &session, &connection)).await?;
    let background = sync.inner().clone();
    tauri::async_runtime::spawn(async move { background.sync_now(&app).await });
    sync.view().await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sync_disconnect(desk: State<'_, DeskState>, sync: State<'_, SyncState>) -> Result<SyncView, CommandError> {
    let Some(session) = desk.session() else {
        return Err(porchlight_core::Error::SignedOut.into());
    };
    sync.with_desk(move |desk| sync::disconnect(desk, &session)).await?;
    sync.view().await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sync_now(
    app: AppHandle,
    desk: State<'_, DeskState>,
    sync: State<'_, SyncState>,
) -> Result<SyncReport, CommandError> {
    ensure_allowed(&desk, Action::SyncNow).await?;
    sync.sync_now(&app).await
}
