use porchlight_core::hub_link;
use porchlight_core::sync::HubConnection;
use tauri::{AppHandle, State};

use crate::background_sync::{SyncState, SyncView};
use crate::state::{CommandError, DeskState};

use super::declare::commands;
use porchlight_core::access::AccessError;

commands! {
    /// Connects this desk to a hub, then starts its first sync in the background.
    shell fn sync_connect[
        app: AppHandle,
        desk: State<'_, DeskState>,
        sync: State<'_, SyncState>,
    ](connection: HubConnection) -> SyncView {
        let Some(session) = desk.session() else {
            return Err(porchlight_core::Error::Access(AccessError::SignedOut).into());
        };
        sync.with_desk(move |desk| hub_link::connect(desk, &session, &connection)).await?;
        start_first_sync(app, &sync).await
    }

    /// A new desk joining its center before anyone is set up here: the first sync brings the
    /// center's staff, who then sign in. Nobody is signed in to ask; core refuses a desk with staff.
    shell fn join_center[app: AppHandle, sync: State<'_, SyncState>](connection: HubConnection) -> SyncView {
        sync.with_desk(move |desk| hub_link::join_center(desk, &connection)).await?;
        start_first_sync(app, &sync).await
    }

    /// Lets a desk that asks to join the center in; the admin compared its code first.
    shell fn sync_let_desk_in[desk: State<'_, DeskState>, sync: State<'_, SyncState>](request_id: String) -> SyncView {
        let Some(session) = desk.session() else {
            return Err(porchlight_core::Error::Access(AccessError::SignedOut).into());
        };
        sync.with_desk(move |desk| hub_link::let_desk_in(desk, &session, &request_id)).await?;
        sync.view().await
    }

    /// A desk waiting to join takes the center's key from the recovery words, then syncs. Before
    /// anyone is set up here nobody is signed in; core allows that only on a desk without staff.
    shell fn sync_recover_center_key[
        app: AppHandle,
        desk: State<'_, DeskState>,
        sync: State<'_, SyncState>,
    ](words: String) -> SyncView {
        let session = desk.session();
        sync.with_desk(move |desk| hub_link::recover_center_key(desk, session.as_ref(), &words)).await?;
        start_first_sync(app, &sync).await
    }

    /// The center's desks, as the hub lists them.
    signed_in fn sync_center_desks() -> Vec<hub_link::CenterDesk> =
        |desk, session| hub_link::center_desks(desk, session);

    /// Revokes a desk of the center and, with `change_key`, changes the center's key (this seals the
    /// history at the hub again, which takes a while on a large center).
    shell fn sync_revoke_desk[
        desk: State<'_, DeskState>,
        sync: State<'_, SyncState>,
    ](device_id: String, change_key: bool) -> SyncView {
        let Some(session) = desk.session() else {
            return Err(porchlight_core::Error::Access(AccessError::SignedOut).into());
        };
        sync.with_desk(move |desk| hub_link::revoke_desk(desk, &session, &device_id, change_key)).await?;
        sync.view().await
    }

    /// The recovery words of the center key this desk made, while they wait to be written down.
    signed_in fn sync_recovery_sheet() -> Option<Vec<String>> = |desk, session| hub_link::recovery_sheet(desk, session);

    shell fn sync_recovery_sheet_written_down[desk: State<'_, DeskState>, sync: State<'_, SyncState>]() -> SyncView {
        desk.run_signed_in(|desk, session| hub_link::recovery_sheet_written_down(desk, session).map(drop)).await?;
        sync.view().await
    }

    /// An admin takes the hub's time for this desk, whose clock is far from it.
    shell fn sync_accept_hub_time[desk: State<'_, DeskState>, sync: State<'_, SyncState>]() -> SyncView {
        desk.run_signed_in(|desk, session| hub_link::accept_hub_time(desk, session).map(drop)).await?;
        sync.view().await
    }

    /// An admin says this computer's clock is right, after it was set back.
    shell fn sync_trust_computer_clock[desk: State<'_, DeskState>, sync: State<'_, SyncState>]() -> SyncView {
        desk.run_signed_in(|desk, session| hub_link::trust_computer_clock(desk, session).map(drop)).await?;
        sync.view().await
    }

    shell fn sync_disconnect[desk: State<'_, DeskState>, sync: State<'_, SyncState>]() -> SyncView {
        let Some(session) = desk.session() else {
            return Err(porchlight_core::Error::Access(AccessError::SignedOut).into());
        };
        sync.with_desk(move |desk| hub_link::disconnect(desk, &session)).await?;
        sync.view().await
    }
}

async fn start_first_sync(app: AppHandle, sync: &SyncState) -> Result<SyncView, CommandError> {
    let background = sync.clone();
    tauri::async_runtime::spawn(async move { background.round(&app).await });
    sync.view().await
}
