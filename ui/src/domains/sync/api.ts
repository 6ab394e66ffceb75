// What the sync domain asks of the desk: each a command of src-tauri/src/commands/hub_link.rs and sync.rs.
import { call, type HubConnection } from "../../lib/api";

export const syncApi = {
  view: () => call("sync_view"),
  connect: (connection: HubConnection) => call("sync_connect", { connection }),
  joinCenter: (connection: HubConnection) => call("join_center", { connection }),
  disconnect: () => call("sync_disconnect"),
  now: () => call("sync_now"),
  letDeskIn: (requestId: string) => call("sync_let_desk_in", { request_id: requestId }),
  recoverCenterKey: (words: string) => call("sync_recover_center_key", { words }),
  centerDesks: () => call("sync_center_desks"),
  revokeDesk: (deviceId: string, changeKey: boolean) =>
    call("sync_revoke_desk", { device_id: deviceId, change_key: changeKey }),
  recoverySheet: () => call("sync_recovery_sheet"),
  recoverySheetWrittenDown: () => call("sync_recovery_sheet_written_down"),
  acceptHubTime: () => call("sync_accept_hub_time"),
  trustComputerClock: () => call("sync_trust_computer_clock"),
};
