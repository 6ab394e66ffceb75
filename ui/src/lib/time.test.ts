import { describe, expect, it } from "vitest";
import {
  dayOf,
  durationSince,
  namedClock,
  typedClock,
  lastSeenLabel,
  localDay,
  localDayBefore,
  localInputValue,
  namedDay,
  sinceLabel,
  stopwatch,
  utcOfLocal,
} from "./time";

describe("time at the desk", () => {
  it("counts minutes and hours since check-in", () => {
    const now = new Date("2026-11-23T20:00:00Z");
    expect(durationSince("2026-11-23T19:59:40Z", now)).toBe("just now");
    expect(durationSince("2026-11-23T19:48:00Z", now)).toBe("12 min");
    expect(durationSince("2026-11-23T18:00:00Z", now)).toBe("2 h");
    expect(durationSince("2026-11-23T17:55:00Z", now)).toBe("2 h 5 min");
    expect(durationSince("2026-11-23T20:05:00Z", now)).toBe("just now");
  });

  it("takes the local day in the center's zone, not UTC", () => {
    expect(localDay("2026-11-24T03:00:00Z", "America/Chicago")).toBe("2026-11-23");
    expect(localDay("2026-11-24T03:00:00Z", "Europe/Berlin")).toBe("2026-11-24");
  });

  it("names every day in one style, as the desk's files and messages do", () => {
    const named = (["short", "withYear", "weekdayWithYear", "long", "month", "dayMonth"] as const).map((style) =>
      namedDay("2026-12-05", style),
    );
    expect(named).toEqual([
      "Sat, Dec 5",
      "Dec 5, 2026",
      "Sat, Dec 5, 2026",
      "Saturday, December 5",
      "December 2026",
      "Dec 5",
    ]);
    expect(namedDay("2026-12", "month")).toBe("December 2026");
    // 5 am UTC on the 5th is still 11 pm on the 4th in Chicago.
    expect(dayOf("2026-12-05T07:00:00Z", "America/Chicago")).toBe("Sat, Dec 5");
    expect(dayOf("2026-12-05T05:00:00Z", "America/Chicago")).toBe("Fri, Dec 4");
  });

  it("names the day of a visit left open since an earlier day", () => {
    const now = new Date("2026-11-23T20:00:00Z");
    expect(sinceLabel("2026-11-23T15:05:00Z", now, "America/Chicago")).toMatch(/^since 9:05/);
    expect(sinceLabel("2026-11-21T15:05:00Z", now, "America/Chicago")).toBe("since Sat, Nov 21, 9:05 AM");
  });

  it("says when a person was last here", () => {
    const now = new Date("2026-11-23T20:00:00Z");
    expect(lastSeenLabel(null, now, "America/Chicago")).toBe("first visit");
    expect(lastSeenLabel("2026-11-23T15:00:00Z", now, "America/Chicago")).toBe("last here today");
    expect(lastSeenLabel("2026-11-22T15:00:00Z", now, "America/Chicago")).toBe("last here yesterday");
    expect(lastSeenLabel("2026-10-02T15:00:00Z", now, "America/Chicago")).toMatch(/2026/);
  });

  it("takes days back from the center's day, not the computer's", () => {
    // 8:27 PM on December 1 in New York is already December 2 in UTC.
    const evening = new Date("2026-12-02T01:27:00Z");
    expect(localDayBefore(evening, 0, "America/New_York")).toBe("2026-12-01");
    expect(localDayBefore(evening, 6, "America/New_York")).toBe("2026-11-25");
    expect(localDayBefore(evening, 0, "UTC")).toBe("2026-12-02");
    // Across the end of daylight saving time (November 1) and a month's end.
    expect(localDayBefore(new Date("2026-11-02T12:00:00Z"), 1, "America/New_York")).toBe("2026-11-01");
    expect(localDayBefore(new Date("2026-03-01T12:00:00Z"), 1, "America/Chicago")).toBe("2026-02-28");
  });
});

describe("times typed at the desk", () => {
  it("takes a time as a person types it, and names it in the desk's 12-hour style", () => {
    const typed = [
      "10:30 am",
      "10:30",
      "1030",
      "930",
      "9:30 p.m.",
      "2pm",
      "2 PM",
      "12am",
      "12:15 pm",
      "14:00",
      "noon",
      "0",
    ];
    expect(typed.map(typedClock)).toEqual([
      "10:30",
      "10:30",
      "10:30",
      "09:30",
      "21:30",
      "14:00",
      "14:00",
      "00:00",
      "12:15",
      "14:00",
      "12:00",
      "00:00",
    ]);
    expect(["", "25:00", "10:75", "13pm", "ten", "0am"].map(typedClock)).toEqual([null, null, null, null, null, null]);
    expect(["18:30", "12:00", "00:15"].map(namedClock)).toEqual(["6:30 PM", "12:00 PM", "12:15 AM"]);
  });

  it("reads a typed time in the center's zone, across a daylight-saving change", () => {
    expect(utcOfLocal("2026-11-24T10:30", "America/Chicago")).toBe("2026-11-24T16:30:00.000Z");
    expect(utcOfLocal("2026-07-01T10:30", "America/Chicago")).toBe("2026-07-01T15:30:00.000Z");
    expect(utcOfLocal("2026-07-01T10:30", "UTC")).toBe("2026-07-01T10:30:00.000Z");
    expect(localInputValue("2026-11-24T16:30:00.000Z", "America/Chicago")).toBe("2026-11-24T10:30");
  });

  it("shows a call's running time", () => {
    expect(stopwatch(0)).toBe("0:00");
    expect(stopwatch(65)).toBe("1:05");
    expect(stopwatch(3725)).toBe("1:02:05");
  });
});
