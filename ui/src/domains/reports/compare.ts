// How the Reports screen says a figure and its change: numbers with separators, a change as
// words and a sign (never colour alone), a period as days a person reads.
import { namedDay } from "../../lib/time";

export const count = (n: number) => n.toLocaleString("en-US");

/** "12.5" for a share of 0.125, "—" when there was nothing to divide. */
export const percent = (share: number | null) => (share === null ? "—" : `${Math.round(share * 1000) / 10}%`);

/** A figure beside the one before: "up 12 (+8%)", "down 3", "same", or "new" when there was none. */
export function change(now: number, before: number): { words: string; direction: "up" | "down" | "same" } {
  if (now === before) return { words: "same as before", direction: "same" };
  const direction = now > before ? "up" : "down";
  const by = Math.abs(now - before);
  const share = before === 0 ? "" : ` (${now > before ? "+" : "−"}${Math.round((100 * by) / before)}%)`;
  return { words: `${direction} ${count(Math.round(by * 10) / 10)}${share}`, direction };
}

/** "1 November 2026 to 30 November 2026" as "1 Nov 2026 – 30 Nov 2026". */
export function periodWords(from: string, to: string): string {
  return from === to ? namedDay(from, "withYear") : `${namedDay(from, "withYear")} – ${namedDay(to, "withYear")}`;
}

/** A list's row for `label` in the previous period's list, by its name (0 when it had none). */
export function before<T>(
  list: readonly T[],
  label: (row: T) => string,
  name: string,
  figure: (row: T) => number,
): number {
  const row = list.find((candidate) => label(candidate) === name);
  return row ? figure(row) : 0;
}

export const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

/** What one step of a trend is, from its steps' first days: the second and third are a whole
 * step apart (the first may be cut short by the period's start). */
export function trendStep(starts: readonly string[]): "day" | "week" | "month" {
  if (starts.length < 3) return "day";
  const days = (Date.parse(`${starts[2]}T12:00:00Z`) - Date.parse(`${starts[1]}T12:00:00Z`)) / 86_400_000;
  return days <= 1 ? "day" : days <= 7 ? "week" : "month";
}
