use std::path::PathBuf;

use porchlight_core::backup::{self, Backups};
use tauri::State;

use crate::background_sync::SyncState;
use crate::state::DeskState;

use super::declare::commands;

commands! {
    signed_in fn backups_kept() -> Backups = |desk, session| backup::kept(desk, session);

    /// An admin chooses the folder for this desk's automatic backups (`None`: beside its data).
    signed_in fn backups_choose_folder(folder: Option<String>) -> Backups =
        |desk, session| backup::choose_folder(desk, session, folder.as_deref());

    signed_in fn backups_back_up_now() -> Backups = |desk, session| backup::back_up_now(desk, session);

    /// An admin puts a backup back in place of this desk's data. The sync's own connection is
    /// closed first and held closed until it is done, so no sync writes the file meanwhile.
    shell fn backups_restore[desk: State<'_, DeskState>, sync: State<'_, SyncState>](path: String) -> Backups {
        let sync = sync.inner().clone();
        desk.run_signed_in(move |desk, session| {
            sync.closed_while(|| backup::restore(desk, session, &PathBuf::from(path)))?;
            backup::kept(desk, session)
        })
        .await
    }
}
