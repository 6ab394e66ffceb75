use porchlight_core::access::{self, Action};
use porchlight_core::hub_link;
use porchlight_core::sync::{SyncError, SyncReport};
use tauri::{AppHandle, State};

use crate::background_sync::{SyncState, SyncView};
use crate::state::DeskState;

use super::declare::commands;

commands! {
    shell fn sync_view[desk: State<'_, DeskState>, sync: State<'_, SyncState>]() -> SyncView {
        desk.run_as_whoever_is_signed_in(|desk, session| hub_link::may_see_sync_state(desk, session)).await?;
        sync.view().await
    }

    /// A round now, for staff who asked: what its sync did, or why it could not.
    shell fn sync_now[app: AppHandle, desk: State<'_, DeskState>, sync: State<'_, SyncState>]() -> SyncReport {
        desk.run_signed_in(|desk, session| access::authorize(desk, session, Action::SyncNow).map(drop)).await?;
        match sync.round(&app).await?.synced {
            Some(synced) => Ok(synced?.report),
            None => Err(porchlight_core::Error::Sync(SyncError::NotConnected).into()),
        }
    }
}
