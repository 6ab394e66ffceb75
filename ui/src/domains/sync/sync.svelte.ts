// The desk's sync state, shared by the header indicator and Settings → Sync. Kept current by
// the events the background sync sends.
import { listen } from "@tauri-apps/api/event";
import { events, type SyncProgress, type SyncView } from "../../lib/api";
import { syncApi } from "./api";

export const sync = $state<{ view: SyncView | null }>({ view: null });

let started = false;

/** Listens once for the desk's sync events, and reads the state afresh on every call: the
 * indicator mounts again after each sign-in. */
export async function startSyncUpdates(): Promise<void> {
  if (!started) {
    started = true;
    await listen<SyncView>(events.syncChanged, (event) => {
      sync.view = event.payload;
    });
    await listen<SyncProgress>(events.syncProgress, (event) => {
      if (sync.view) sync.view = { ...sync.view, syncing: true, progress: event.payload };
    });
  }
  try {
    sync.view = await syncApi.view();
  } catch {
    // The desk could not open or is locked; the window already says so.
  }
}
