// What the backups domain asks of the desk: each a command of src-tauri/src/commands/backups.rs.
import { call } from "../../lib/api";
import type { Backups } from "../../lib/bindings/Backups";

export const backupsApi = {
  kept: () => call<Backups>("backups_kept"),
  chooseFolder: (folder: string | null) => call<Backups>("backups_choose_folder", { folder }),
  backUpNow: () => call<Backups>("backups_back_up_now"),
  restore: (path: string) => call<Backups>("backups_restore", { path }),
};
