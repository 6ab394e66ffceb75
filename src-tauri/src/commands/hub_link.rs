use porchlight_core::hub_link;
use porchlight_core::sync::HubConnection;
use tauri::{AppHandle, State};

use crate::background_sync::{SyncState, SyncView};
use crate::state::{CommandError, DeskState};

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
    sync.with_desk(move |desk| hub_link::connect(desk, &session, &connection)).await?;
    start_first_sync(app, &sync).await
}

/// A new desk joining its center before anyone is set up here: the first sync brings the
/// center's staff, who then sign in. Nobody is signed in to ask; core refuses a desk with staff.
#[tauri::command(rename_all = "snake_case")]
pub async fn join_center(
    app: AppHandle,
    sync: State<'_, SyncState>,
    connection: HubConnection,
) -> Result<SyncView, CommandError> {
    sync.with_desk(move |desk| hub_link::join_center(desk, &connection)).await?;
    start_first_sync(app, &sync).await
}

async fn start_first_sync(app: AppHandle, sync: &SyncState) -> Result<SyncView, CommandError> {
    let background = sync.clone();
    tauri::async_runtime::spawn(async move { background.sync_now(&app).await });
    sync.view().await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sync_disconnect(desk: State<'_, DeskState>, sync: State<'_, SyncState>) -> Result<SyncView, CommandError> {
    let Some(session) = desk.session() else {
        return Err(porchlight_core::Error::SignedOut.into());
    };
    sync.with_desk(move |desk| hub_link::disconnect(desk, &session)).await?;
    sync.view().await
}
