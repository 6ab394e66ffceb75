// What the sync domain asks of the desk: each a command of src-tauri/src/commands/hub_link.rs and sync.rs.
import { call, type HubConnection, type SyncReport, type SyncView } from "../../lib/api";
import type { CenterDesk } from "../../lib/bindings/CenterDesk";

export const syncApi = {
  view: () => call<SyncView>("sync_view"),
  connect: (connection: HubConnection) => call<SyncView>("sync_connect", { connection }),
  joinCenter: (connection: HubConnection) => call<SyncView>("join_center", { connection }),
  disconnect: () => call<SyncView>("sync_disconnect"),
  now: () => call<SyncReport>("sync_now"),
  letDeskIn: (requestId: string) => call<SyncView>("sync_let_desk_in", { request_id: requestId }),
  recoverCenterKey: (words: string) => call<SyncView>("sync_recover_center_key", { words }),
  centerDesks: () => call<CenterDesk[]>("sync_center_desks"),
  revokeDesk: (deviceId: string, changeKey: boolean) =>
    call<SyncView>("sync_revoke_desk", { device_id: deviceId, change_key: changeKey }),
  recoverySheet: () => call<string[] | null>("sync_recovery_sheet"),
  recoverySheetWrittenDown: () => call<SyncView>("sync_recovery_sheet_written_down"),
  acceptHubTime: () => call<SyncView>("sync_accept_hub_time"),
  trustComputerClock: () => call<SyncView>("sync_trust_computer_clock"),
};
