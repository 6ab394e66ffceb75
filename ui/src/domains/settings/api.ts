// What the settings domain asks of the desk: each a command of src-tauri/src/commands/settings.rs.
import { call, type Settings } from "../../lib/api";

export const settingsApi = {
  get: () => call("get_settings"),
  update: (input: Settings) => call("update_settings", { input }),
  setLockAfter: (minutes: number) => call("set_lock_after", { minutes }),
};
