import { describe, expect, it } from "vitest";
import { addDays } from "../../lib/time";
import { byDay, filledLabel, hoursLabel, timeRange, weekOf } from "./coverage";

describe("shifts in words", () => {
  it("says how a shift is filled against its minimum and its ideal", () => {
    expect(filledLabel({ held: 0, needed_min: 1, needed_ideal: 2 })).toBe("0 of 1 needed");
    expect(filledLabel({ held: 1, needed_min: 1, needed_ideal: 2 })).toBe("1, ideally 2");
    expect(filledLabel({ held: 2, needed_min: 1, needed_ideal: 2 })).toBe("2 of 2");
    expect(filledLabel({ held: 3, needed_min: 1, needed_ideal: 2 })).toBe("3 for 2 places");
  });

  it("shows local times across the autumn change and hours in tenths", () => {
    // 9 am to 1 pm in Chicago on both sides of 1 November 2026.
    const nineToOne = timeRange("2026-10-26T14:00:00Z", "2026-10-26T18:00:00Z", "America/Chicago");
    expect(nineToOne).toMatch(/^9:00\sAM–1:00\sPM$/);
    expect(timeRange("2026-11-02T15:00:00Z", "2026-11-02T19:00:00Z", "America/Chicago")).toBe(nineToOne);
    expect(hoursLabel(45)).toBe("45 min");
    expect(hoursLabel(270)).toBe("4.5 h");
  });

  it("groups by local day and finds the week's Monday", () => {
    const days = byDay([{ starts_at: "a1" }, { starts_at: "a2" }, { starts_at: "b1" }], (utc) => utc[0]!);
    expect(days.map((d) => [d.day, d.shifts.length])).toEqual([
      ["a", 2],
      ["b", 1],
    ]);
    expect(weekOf("2026-12-03")[0]).toBe("2026-11-30");
    expect(weekOf("2026-11-30")[6]).toBe("2026-12-06");
    expect(addDays("2026-12-28", 7)).toBe("2027-01-04");
  });
});
