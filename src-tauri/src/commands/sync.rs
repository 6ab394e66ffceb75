use porchlight_core::access::{self, Action};
use porchlight_core::accounts;
use porchlight_core::sync::SyncReport;
use tauri::{AppHandle, State};

use crate::background_sync::{SyncState, SyncView};
use crate::state::{CommandError, DeskState};

use super::declare::commands;

commands! {
    shell fn sync_view[desk: State<'_, DeskState>, sync: State<'_, SyncState>]() -> SyncView {
        // A desk joining its center has nobody who could sign in yet: how its first sync goes is
        // all its window has to show.
        let joining = desk.session().is_none() && desk.run(|desk| accounts::needs_first_run(desk)).await?;
        if !joining {
            ensure_allowed(&desk, Action::SeeSyncState).await?;
        }
        sync.view().await
    }

    shell fn sync_now[app: AppHandle, desk: State<'_, DeskState>, sync: State<'_, SyncState>]() -> SyncReport {
        ensure_allowed(&desk, Action::SyncNow).await?;
        sync.sync_now(&app).await
    }
}

/// Sync runs on the desk's own schedule whoever is signed in; asking to see or start it is
/// an action like any other.
async fn ensure_allowed(desk: &DeskState, action: Action) -> Result<(), CommandError> {
    desk.run_signed_in(move |desk, session| access::authorize(desk, session, action).map(drop)).await
}
