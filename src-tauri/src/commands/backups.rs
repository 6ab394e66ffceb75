use std::path::PathBuf;

use porchlight_core::backup::{self, Backups};
use tauri::State;

use crate::background_sync::SyncState;
use crate::state::{CommandError, DeskState};

#[tauri::command(rename_all = "snake_case")]
pub async fn backups_kept(desk: State<'_, DeskState>) -> Result<Backups, CommandError> {
    desk.run_signed_in(|desk, session| backup::kept(desk, session)).await
}

/// An admin chooses the folder for this desk's automatic backups (`None`: beside its data).
#[tauri::command(rename_all = "snake_case")]
pub async fn backups_choose_folder(
    desk: State<'_, DeskState>,
    folder: Option<String>,
) -> Result<Backups, CommandError> {
    desk.run_signed_in(move |desk, session| backup::choose_folder(desk, session, folder.as_deref())).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn backups_back_up_now(desk: State<'_, DeskState>) -> Result<Backups, CommandError> {
    desk.run_signed_in(|desk, session| backup::back_up_now(desk, session)).await
}

/// An admin puts a backup back in place of this desk's data. The sync's own connection is
/// closed first and held closed until it is done, so no sync writes the file meanwhile.
#[tauri::command(rename_all = "snake_case")]
pub async fn backups_restore(
    desk: State<'_, DeskState>,
    sync: State<'_, SyncState>,
    path: String,
) -> Result<Backups, CommandError> {
    let sync = sync.inner().clone();
    desk.run_signed_in(move |desk, session| {
        sync.closed_while(|| backup::restore(desk, session, &PathBuf::from(path)))?;
        backup::kept(desk, session)
    })
    .await
}
