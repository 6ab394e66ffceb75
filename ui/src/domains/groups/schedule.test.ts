import { describe, expect, it } from "vitest";
import type { Schedule } from "../../lib/bindings/Schedule";
import { describeSchedule } from "./schedule";

const weekly: Schedule = {
  repeat: "weekly",
  weekdays: ["thursday", "tuesday"],
  every_weeks: 1,
  weeks_of_month: [1],
  starts_on: "2026-12-01",
  ends_on: null,
  start_time: "18:00",
  duration_minutes: 90,
  skipped: [],
};

describe("schedules in words", () => {
  it("names the days in the week's order, every other week and monthly", () => {
    expect(describeSchedule(weekly)).toBe("Tuesdays and Thursdays, 6:00 PM, 90 min");
    expect(describeSchedule({ ...weekly, weekdays: ["monday"], every_weeks: 2 })).toBe(
      "Every other week: Mondays, 6:00 PM, 90 min",
    );
    expect(
      describeSchedule({
        ...weekly,
        repeat: "monthly",
        weekdays: ["saturday"],
        weeks_of_month: [-1],
        start_time: "10:00",
      }),
    ).toBe("The last Saturday of each month, 10:00 AM, 90 min");
    expect(describeSchedule({ ...weekly, repeat: "monthly", weekdays: ["tuesday"], weeks_of_month: [4, 2] })).toBe(
      "The 2nd and 4th Tuesday of each month, 6:00 PM, 90 min",
    );
    const everyDay: Schedule["weekdays"] = [
      "monday",
      "tuesday",
      "wednesday",
      "thursday",
      "friday",
      "saturday",
      "sunday",
    ];
    expect(describeSchedule({ ...weekly, weekdays: everyDay })).toBe("Every day, 6:00 PM, 90 min");
  });
});
