// What the backups domain asks of the desk: each a command of src-tauri/src/commands/backups.rs.
import { call } from "../../lib/api";

export const backupsApi = {
  kept: () => call("backups_kept"),
  chooseFolder: (folder: string | null) => call("backups_choose_folder", { folder }),
  backUpNow: () => call("backups_back_up_now"),
  restore: (path: string) => call("backups_restore", { path }),
};
