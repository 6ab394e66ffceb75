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
    // A desk joining its center has nobody who could sign in yet: how its first sync goes is
    // all its window has to show.
    let joining = desk.session().is_none() && desk.run(|desk| accounts::needs_first_run(desk)).await?;
    if !joining {
        ensure_allowed(&desk, Action::SeeSyncState).await?;
    }
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
    sync.with_desk(move |desk| sync::join_center(desk, &connection)).await?;
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
