// Words for shifts and hours, as a coordinator reads them: coverage said in words (never by
// colour alone), times as a range, minutes as hours.
import type { Coverage } from "../../lib/bindings/Coverage";
import type { Shift } from "../../lib/bindings/Shift";
import { clockTime, DESK_LOCALE } from "../../lib/time";

export const COVERAGE_LABEL: Record<Coverage, string> = {
  uncovered: "Nobody on",
  under: "Short",
  covered: "Covered",
  over: "Over-filled",
};

/** "1 of 2 needed", or "2, ideally 3" once the minimum is met. */
export function filledLabel(shift: Pick<Shift, "held" | "needed_min" | "needed_ideal">): string {
  if (shift.held < shift.needed_min) return `${shift.held} of ${shift.needed_min} needed`;
  if (shift.held < shift.needed_ideal) return `${shift.held}, ideally ${shift.needed_ideal}`;
  return shift.held > shift.needed_ideal
    ? `${shift.held} for ${shift.needed_ideal} places`
    : `${shift.held} of ${shift.needed_ideal}`;
}

/** "6:00 PM–10:00 PM" in the center's zone, as the desk shows every other time. */
export function timeRange(startsAt: string, endsAt: string, timeZone: string): string {
  return `${clockTime(startsAt, timeZone)}–${clockTime(endsAt, timeZone)}`;
}

/** "4 h", "4.5 h", "45 min". */
export function hoursLabel(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round((minutes / 60) * 10) / 10;
  return `${hours.toLocaleString(DESK_LOCALE)} h`;
}

/** The shifts grouped by their local day, in order. */
export function byDay<T extends { starts_at: string }>(
  shifts: readonly T[],
  day: (utc: string) => string,
): { day: string; shifts: T[] }[] {
  return shifts.reduce<{ day: string; shifts: T[] }[]>((days, shift) => {
    const key = day(shift.starts_at);
    const last = days[days.length - 1];
    if (last && last.day === key) last.shifts.push(shift);
    else days.push({ day: key, shifts: [shift] });
    return days;
  }, []);
}

/** The Monday on or before `day` (`2026-12-03` → `2026-11-30`), and that week's days. */
export function weekOf(day: string): string[] {
  const date = new Date(`${day}T12:00:00Z`);
  const back = (date.getUTCDay() + 6) % 7;
  date.setUTCDate(date.getUTCDate() - back);
  return Array.from({ length: 7 }, (_, n) => {
    const each = new Date(date);
    each.setUTCDate(date.getUTCDate() + n);
    return each.toISOString().slice(0, 10);
  });
}
