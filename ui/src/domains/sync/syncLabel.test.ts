import { describe, expect, it } from "vitest";
import type { SyncView } from "../../lib/api";
import { percent, syncLabel } from "./syncLabel";

const now = new Date("2026-11-23T16:00:00Z");
const zone = "America/Chicago";

function view(status: Partial<SyncView["status"]>, extra: Partial<SyncView> = {}): SyncView {
  return {
    status: {
      hub_url: "http://127.0.0.1:8787",
      desk_name: "Front desk",
      device_id: "d",
      pending_changes: 0,
      waiting_records: 0,
      parked: [],
      last_synced_at: null,
      problem: null,
      sealed: true,
      join_code: null,
      join_requests: [],
      recovery_sheet_waiting: false,
      unopened_changes: 0,
      set_aside: [],
      clock_in_doubt: null,
      clock_wrong: null,
      hub_went_back: null,
      ...status,
    },
    syncing: false,
    progress: null,
    damaged: null,
    ...extra,
  };
}

describe("syncLabel", () => {
  it("says when the desk is not connected", () => {
    expect(syncLabel(view({ hub_url: null }), now, zone)).toEqual({ tone: "off", text: "Not syncing" });
  });

  it("shows the last sync in the center's time", () => {
    const label = syncLabel(view({ last_synced_at: "2026-11-23T15:42:00.000Z" }), now, zone);
    expect(label.tone).toBe("ok");
    expect(label.text).toMatch(/^Synced 9:42/);
  });

  it("counts changes waiting to be sent", () => {
    expect(syncLabel(view({ pending_changes: 1 }), now, zone).text).toBe("1 change waiting");
    expect(syncLabel(view({ pending_changes: 3 }), now, zone)).toEqual({ tone: "waiting", text: "3 changes waiting" });
  });

  it("names the problem: unreachable hub, revoked desk", () => {
    const unreachable = view({ pending_changes: 2, problem: { code: "hub_unreachable", message: "…" } });
    expect(syncLabel(unreachable, now, zone)).toEqual({ tone: "problem", text: "Hub unreachable · 2 changes waiting" });
    const revoked = view({ problem: { code: "not_authorised", message: "…" } });
    expect(syncLabel(revoked, now, zone)).toEqual({ tone: "problem", text: "Desk not authorised" });
    const untrusted = view({ problem: { code: "hub_not_trusted", message: "…" } });
    expect(syncLabel(untrusted, now, zone)).toEqual({ tone: "problem", text: "Hub not trusted" });
  });

  it("says the desk's data is damaged before anything about sync, and when the hub's disk is full", () => {
    const damaged = view({ hub_url: null }, { damaged: "This desk's data at /x is damaged …" });
    expect(syncLabel(damaged, now, zone)).toEqual({ tone: "problem", text: "Desk data damaged" });
    const full = view({ pending_changes: 4, problem: { code: "hub_disk_full", message: "…" } });
    expect(syncLabel(full, now, zone)).toEqual({ tone: "problem", text: "Hub's disk full" });
  });

  it("says plainly when this computer's clock is far from the hub's", () => {
    const far = view({
      clock_in_doubt: "2 h ahead of",
      pending_changes: 3,
      problem: { code: "clock_in_doubt", message: "…" },
    });
    expect(syncLabel(far, now, zone)).toEqual({ tone: "problem", text: "Clock differs from hub" });
  });

  it("says when the computer's clock cannot be right, on a desk with or without a hub", () => {
    const wrong = {
      message: "This computer's clock reads the year 2000, which cannot be right (its clock battery may be flat).",
      set_back: false,
    };
    expect(syncLabel(view({ hub_url: null, clock_wrong: wrong }), now, zone)).toEqual({
      tone: "problem",
      text: "Computer's clock is wrong",
    });
    expect(syncLabel(view({ clock_wrong: wrong, pending_changes: 2 }), now, zone).text).toBe(
      "Computer's clock is wrong",
    );
  });

  it("tells a desk waiting to be let in from one with a problem", () => {
    const waiting = view({
      sealed: false,
      join_code: "4829 1302 5561 0093 7718",
      problem: { code: "waiting_to_join", message: "…" },
    });
    expect(syncLabel(waiting, now, zone)).toEqual({ tone: "waiting", text: "Waiting to be let in" });
  });

  it("shows progress while a first sync pages through history", () => {
    const busy = view({}, { syncing: true, progress: { phase: "pulling", done: 5000, total: 20000 } });
    expect(syncLabel(busy, now, zone)).toEqual({ tone: "busy", text: "Syncing 25%" });
    expect(percent(20000, 20000)).toBe(99);
    expect(percent(1, 0)).toBe(0);
  });
});
