use porchlight_core::sync::{self, HubConnection, SyncReport};
use tauri::{AppHandle, State};

use crate::background_sync::{SyncState, SyncView};
use crate::state::CommandError;

#[tauri::command(rename_all = "snake_case")]
pub async fn sync_view(sync: State<'_, SyncState>) -> Result<SyncView, CommandError> {
    sync.view().await
}

/// Connects this desk to a hub, then starts its first sync in the background.
#[tauri::command(rename_all = "snake_case")]
pub async fn sync_connect(
    app: AppHandle,
    sync: State<'_, SyncState>,
    connection: HubConnection,
) -> Result<SyncView, CommandError> {
    sync.with_desk(move |desk| sync::connect(desk, &connection)).await?;
    let background = sync.inner().clone();
    tauri::async_runtime::spawn(async move { background.sync_now(&app).await });
    sync.view().await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sync_disconnect(sync: State<'_, SyncState>) -> Result<SyncView, CommandError> {
    sync.with_desk(|desk| sync::disconnect(desk)).await?;
    sync.view().await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sync_now(app: AppHandle, sync: State<'_, SyncState>) -> Result<SyncReport, CommandError> {
    sync.sync_now(&app).await
}
