// Times arrive from the desk in UTC and are shown in the center's time zone, every day and time
// on every screen in one style: the desk's locale, through the functions below.

/** The locale every date and time is shown in. The desk speaks US English today; a center's
 * language, when it can choose one, replaces it here and nowhere else. */
export const DESK_LOCALE = "en-US";

/** The ways the desk names a day: "Sat, Dec 5", "Dec 5, 2026", "Sat, Dec 5, 2026",
 * "Saturday, December 5", "December 2026", "Dec 5". */
export type DayStyle = "short" | "withYear" | "weekdayWithYear" | "long" | "month" | "dayMonth";

const DAY_STYLES: Record<DayStyle, Intl.DateTimeFormatOptions> = {
  short: { weekday: "short", month: "short", day: "numeric" },
  withYear: { month: "short", day: "numeric", year: "numeric" },
  weekdayWithYear: { weekday: "short", month: "short", day: "numeric", year: "numeric" },
  long: { weekday: "long", month: "long", day: "numeric" },
  month: { month: "long", year: "numeric" },
  dayMonth: { month: "short", day: "numeric" },
};

/** The day an instant falls on in the center's zone, named in `style`. */
export function dayOf(utc: string | Date, timeZone: string, style: DayStyle = "short"): string {
  return new Intl.DateTimeFormat(DESK_LOCALE, { timeZone, ...DAY_STYLES[style] }).format(new Date(utc));
}

/** A local day (`2026-12-04`, or a month `2026-12`) named in `style`. */
export function namedDay(day: string, style: DayStyle): string {
  const whole = day.length === 7 ? `${day}-01` : day;
  return dayOf(`${whole}T12:00:00Z`, "UTC", style);
}

/** A wall-clock time (`18:30`) as the desk shows every time: "6:30 PM". */
export function namedClock(time: string): string {
  return new Intl.DateTimeFormat(DESK_LOCALE, { timeZone: "UTC", hour: "numeric", minute: "2-digit" }).format(
    new Date(`1970-01-01T${time}:00Z`),
  );
}

/** A time as someone types it ("10:30 am", "1030", "2pm", "14:00", "noon") as `HH:MM`, or null
 * when it is not one. Without "am" or "pm" the hours count from midnight, as a 24-hour clock's. */
export function typedClock(text: string): string | null {
  const typed = text.trim().toLowerCase().replace(/\./g, "");
  if (typed === "noon") return "12:00";
  if (typed === "midnight") return "00:00";
  const parts = /^(\d{1,2})(?:[:h ]?(\d{2}))?\s*(am?|pm?)?$/.exec(typed);
  if (!parts) return null;
  let hours = Number(parts[1]);
  const minutes = Number(parts[2] ?? "0");
  const half = parts[3]?.[0];
  if (minutes > 59) return null;
  if (half) {
    if (hours < 1 || hours > 12) return null;
    hours = (hours % 12) + (half === "p" ? 12 : 0);
  } else if (hours > 23) {
    return null;
  }
  return `${String(hours).padStart(2, "0")}:${String(minutes).padStart(2, "0")}`;
}

/** "2:05 PM" in the center's zone. */
export function clockTime(utc: string, timeZone: string): string {
  return new Intl.DateTimeFormat(DESK_LOCALE, { timeZone, hour: "numeric", minute: "2-digit" }).format(new Date(utc));
}

/** The center-local day of an instant, as `2026-11-23`. */
export function localDay(utc: string | Date, timeZone: string): string {
  const date = typeof utc === "string" ? new Date(utc) : utc;
  // Built from the parts: how a locale punctuates a date differs between ICU versions.
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(date);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

/** The center-local day `days` before the one `now` falls on, as `2026-11-23`. Counts calendar
 * days, so a daylight-saving change in between moves nothing. */
export function localDayBefore(now: Date, days: number, timeZone: string): string {
  const noon = new Date(`${localDay(now, timeZone)}T12:00:00Z`);
  noon.setUTCDate(noon.getUTCDate() - days);
  return noon.toISOString().slice(0, 10);
}

/** How long someone has been here: "just now", "12 min", "2 h 5 min". */
export function durationSince(utc: string, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - new Date(utc).getTime()) / 60_000));
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** "2:05 PM" on the day `now` falls on, or "Sat, Nov 21, 2:05 PM" on another day. */
export function dayAndTime(utc: string, now: Date, timeZone: string): string {
  if (localDay(utc, timeZone) === localDay(now, timeZone)) return clockTime(utc, timeZone);
  return `${dayOf(utc, timeZone)}, ${clockTime(utc, timeZone)}`;
}

/** "since 2:05 PM", or "since Sat, Nov 21, 2:05 PM" for a visit left open on an earlier day. */
export function sinceLabel(utc: string, now: Date, timeZone: string): string {
  return `since ${dayAndTime(utc, now, timeZone)}`;
}

/** "today", "yesterday", or the date, for a person's last visit. */
export function lastSeenLabel(utc: string | null, now: Date, timeZone: string): string {
  if (!utc) return "first visit";
  const day = localDay(utc, timeZone);
  if (day === localDay(now, timeZone)) return "last here today";
  if (day === localDay(new Date(now.getTime() - 86_400_000), timeZone)) return "last here yesterday";
  return `last here ${dayOf(utc, timeZone, "withYear")}`;
}

/** A wall-clock time typed in the center's zone (`2026-11-23T14:05`, as a datetime-local input
 * gives it) as the UTC instant it names. A time a daylight-saving change skips lands an hour on. */
export function utcOfLocal(local: string, timeZone: string): string {
  const asUtc = Date.parse(`${local}:00Z`);
  if (Number.isNaN(asUtc)) throw new RangeError(`not a date and time: ${local}`);
  // The zone's offset at that moment, found from how the zone shows it; twice, for a change between.
  let guess = asUtc;
  for (let round = 0; round < 2; round++) guess = asUtc - offsetAt(guess, timeZone);
  return new Date(guess).toISOString();
}

/** The UTC instant as a datetime-local input shows it in the center's zone: `2026-11-23T14:05`. */
export function localInputValue(utc: string | Date, timeZone: string): string {
  const date = typeof utc === "string" ? new Date(utc) : utc;
  return new Date(date.getTime() + offsetAt(date.getTime(), timeZone)).toISOString().slice(0, 16);
}

function offsetAt(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(instant));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const shown = Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"), part("second"));
  return shown - Math.floor(instant / 1000) * 1000;
}

/** "12:05" or "1:02:05" for a call's running time. */
export function stopwatch(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const [h, m, s] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60];
  const two = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/** `day` (`2026-12-04`) moved by `days` calendar days, back when negative. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
