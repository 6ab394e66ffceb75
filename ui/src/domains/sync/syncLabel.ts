// What the header says about sync, in words a person at the desk understands.
import type { SyncView } from "../../lib/api";
import { clockTime, localDay } from "../../lib/time";

export type SyncTone = "off" | "ok" | "busy" | "waiting" | "problem";

export interface SyncLabel {
  tone: SyncTone;
  text: string;
}

export function syncLabel(view: SyncView | null, now: Date, timeZone: string): SyncLabel {
  if (view?.damaged) return { tone: "problem", text: "Desk data damaged" };
  if (view?.status.clock_wrong) return { tone: "problem", text: "Computer's clock is wrong" };
  if (!view || view.status.hub_url === null) return { tone: "off", text: "Not syncing" };
  const { status, progress } = view;
  if (view.syncing) {
    if (progress && progress.phase === "pulling" && progress.total > 0) {
      return { tone: "busy", text: `Syncing ${percent(progress.done, progress.total)}%` };
    }
    return { tone: "busy", text: "Syncing…" };
  }
  if (status.clock_in_doubt) return { tone: "problem", text: "Clock differs from hub" };
  if (status.problem?.code === "not_authorised") return { tone: "problem", text: "Desk not authorised" };
  if (status.problem?.code === "waiting_to_join") return { tone: "waiting", text: "Waiting to be let in" };
  if (status.problem?.code === "hub_unreachable") {
    return {
      tone: "problem",
      text: status.pending_changes > 0 ? `Hub unreachable · ${waiting(status.pending_changes)}` : "Hub unreachable",
    };
  }
  if (status.problem?.code === "hub_not_trusted" || status.problem?.code === "plain_http_refused") {
    return { tone: "problem", text: "Hub not trusted" };
  }
  if (status.problem?.code === "hub_disk_full") return { tone: "problem", text: "Hub's disk full" };
  if (status.problem) return { tone: "problem", text: "Sync problem" };
  if (status.pending_changes > 0) return { tone: "waiting", text: waiting(status.pending_changes) };
  if (status.last_synced_at) return { tone: "ok", text: `Synced ${syncedAt(status.last_synced_at, now, timeZone)}` };
  return { tone: "waiting", text: "Not synced yet" };
}

/** A progress bar's value: whole percent, never 100 before it is done. */
export function percent(done: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(99, Math.floor((done / total) * 100));
}

function waiting(count: number): string {
  return count === 1 ? "1 change waiting" : `${count.toLocaleString()} changes waiting`;
}

function syncedAt(utc: string, now: Date, timeZone: string): string {
  const time = clockTime(utc, timeZone);
  return localDay(utc, timeZone) === localDay(now, timeZone) ? time : `${localDay(utc, timeZone)} ${time}`;
}
