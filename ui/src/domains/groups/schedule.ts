// Words for groups and their schedules, as a coordinator reads them.
import type { Category } from "../../lib/bindings/Category";
import type { Schedule } from "../../lib/bindings/Schedule";
import type { Weekday } from "../../lib/bindings/Weekday";
import { namedClock, namedDay } from "../../lib/time";

export const WEEKDAYS: readonly { day: Weekday; short: string; plural: string }[] = [
  { day: "monday", short: "Mon", plural: "Mondays" },
  { day: "tuesday", short: "Tue", plural: "Tuesdays" },
  { day: "wednesday", short: "Wed", plural: "Wednesdays" },
  { day: "thursday", short: "Thu", plural: "Thursdays" },
  { day: "friday", short: "Fri", plural: "Fridays" },
  { day: "saturday", short: "Sat", plural: "Saturdays" },
  { day: "sunday", short: "Sun", plural: "Sundays" },
];

export const CATEGORY_LABEL: Record<Category, string> = {
  mutual_help: "Mutual-help meeting",
  class: "Class",
  family_support: "Family support",
  other: "Other",
};

const ORDINAL: Record<string, string> = { "1": "1st", "2": "2nd", "3": "3rd", "4": "4th", "5": "5th", "-1": "last" };

/** "Tuesdays and Thursdays, 6:00 PM, 90 min" and the like. */
export function describeSchedule(schedule: Schedule): string {
  const plural = (day: Weekday) => WEEKDAYS.find((entry) => entry.day === day)!.plural;
  const ordered = WEEKDAYS.filter((entry) => schedule.weekdays.includes(entry.day)).map((entry) => entry.day);
  const when = namedClock(schedule.start_time);
  const length = `${schedule.duration_minutes} min`;
  switch (schedule.repeat) {
    case "once":
      return `Once, ${namedDay(schedule.starts_on, "withYear")}, ${when}, ${length}`;
    case "monthly": {
      const day = ordered[0] ?? schedule.weekdays[0];
      const name = day ? plural(day).slice(0, -1) : "";
      const weeks = [...schedule.weeks_of_month]
        .sort((a, b) => (a < 0 ? 9 : a) - (b < 0 ? 9 : b))
        .map((week) => ORDINAL[String(week)] ?? "");
      const which =
        weeks.length > 1 ? `${weeks.slice(0, -1).join(", ")} and ${weeks[weeks.length - 1]}` : (weeks[0] ?? "");
      return `The ${which} ${name} of each month, ${when}, ${length}`;
    }
    case "weekly": {
      const days = ordered.map(plural);
      const list =
        days.length === 7
          ? "Every day"
          : days.length > 1
            ? `${days.slice(0, -1).join(", ")} and ${days[days.length - 1]}`
            : (days[0] ?? "");
      const every =
        schedule.every_weeks === 1
          ? ""
          : schedule.every_weeks === 2
            ? "Every other week: "
            : `Every ${schedule.every_weeks} weeks: `;
      return `${every}${list}, ${when}, ${length}`;
    }
  }
}
