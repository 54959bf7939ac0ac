import { z } from "zod";

/**
 * The dashboard's date range: the last `days` days (today included), or a
 * custom range of calendar days `from`–`to` (both included), counted in
 * `timeZone` (an IANA name, UTC when not given). Resolved here into the two
 * calendar days the service counts between, so the service never reads a clock.
 */

/** The longest range the charts cover: a year, leap day included. */
export const MAX_RANGE_DAYS = 366;
/** No range starts before this day: Inkwell holds nothing older. */
export const EARLIEST_DAY = "2000-01-01";
export const DEFAULT_RANGE_DAYS = 30;

const DAY_MS = 86_400_000;

/** Milliseconds of midnight UTC of a `YYYY-MM-DD` day: day arithmetic without time zones. */
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
const dayOf = (number: number) => new Date(number * DAY_MS).toISOString().slice(0, 10);

/** `day` moved by `days` calendar days. */
export function addDays(day: string, days: number): string {
  return dayOf(dayNumber(day) + days);
}

/** How many calendar days `from`–`to` holds, both included. */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from) + 1;
}

/** The calendar day it is at `now` in `timeZone`, as `YYYY-MM-DD`. */
export function todayIn(timeZone: string, now = new Date()): string {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
    .formatToParts(now)
    .reduce<Record<string, string>>((found, part) => Object.assign(found, { [part.type]: part.value }), {});
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The zone's canonical spelling ("utc" → "UTC"), or null for a name the runtime does not know. */
function canonicalTimeZone(name: string): string | null {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

const calendarDay = z.iso.date({ error: "Use a calendar day written YYYY-MM-DD, e.g. 2026-11-30." });

const isDayOrMissing = (value: string | undefined) => value === undefined || calendarDay.safeParse(value).success;

const timeZoneInput = z
  .string()
  .trim()
  .min(1, { message: "Name a time zone, e.g. Europe/Berlin, or leave it out for UTC.", abort: true })
  .max(64, "Use at most 64 characters.")
  .regex(/^[A-Za-z][A-Za-z0-9_+\-/]*$/, "Use an IANA time zone name, e.g. Europe/Berlin or UTC.")
  .transform((name, ctx) => {
    const canonical = canonicalTimeZone(name);
    if (canonical) return canonical;
    ctx.addIssue({
      code: "custom",
      message: `Unknown time zone "${name}": use an IANA name, e.g. Europe/Berlin or UTC.`,
    });
    return z.NEVER;
  });

export interface DashboardRange {
  /** First day counted, `YYYY-MM-DD`, in `timeZone`. */
  from: string;
  /** Last day counted, `YYYY-MM-DD`, in `timeZone`. */
  to: string;
  timeZone: string;
}

export const dashboardRangeInput = z
  .object({
    days: z
      .number()
      // Checked first and final: a huge number is too many days, whether or not it is whole.
      .max(MAX_RANGE_DAYS, { message: `Show at most ${MAX_RANGE_DAYS} days.`, abort: true })
      .min(1, "Show at least 1 day.")
      .int("Count whole days.")
      .optional()
      .meta({ description: `The last N days, today included (default ${DEFAULT_RANGE_DAYS})` }),
    from: calendarDay.optional().meta({ description: "First day of a custom range (included), YYYY-MM-DD" }),
    to: calendarDay.optional().meta({ description: "Last day of a custom range (included), YYYY-MM-DD" }),
    timeZone: timeZoneInput.optional().meta({ description: "IANA time zone the days are counted in (default UTC)" }),
  })
  .superRefine((input, ctx) => {
    const refuse = (field: "days" | "from" | "to", message: string) =>
      ctx.addIssue({ code: "custom", path: [field], message });
    // zod runs this even when a field failed its own check: those are reported already.
    if (!isDayOrMissing(input.from) || !isDayOrMissing(input.to)) return;
    const custom = input.from !== undefined || input.to !== undefined;
    if (custom && input.days !== undefined) {
      return refuse("days", "Choose the last N days or a custom range (from and to), not both.");
    }
    if (!custom) return;
    if (input.from === undefined) return refuse("from", "A custom range needs its first day too (from).");
    if (input.to === undefined) return refuse("to", "A custom range needs its last day too (to).");
    // An unknown zone is reported by its own field; without a zone there is no "today" to check against.
    const timeZone = canonicalTimeZone(input.timeZone ?? "UTC");
    if (!timeZone) return;
    const today = todayIn(timeZone);
    if (input.from > input.to) {
      return refuse("from", `The range starts (${input.from}) after it ends (${input.to}): swap the two days.`);
    }
    if (input.from < EARLIEST_DAY) return refuse("from", `Ranges start on ${EARLIEST_DAY} or later.`);
    if (input.to > today) {
      return refuse("to", `The range ends in the future: ${input.to} is after today (${today} in ${timeZone}).`);
    }
    const span = daysBetween(input.from, input.to);
    if (span > MAX_RANGE_DAYS) {
      refuse("from", `A range spans at most ${MAX_RANGE_DAYS} days; ${input.from} to ${input.to} spans ${span}.`);
    }
  })
  .transform((input): DashboardRange => {
    const timeZone = input.timeZone ?? "UTC";
    if (input.from !== undefined && input.to !== undefined) return { from: input.from, to: input.to, timeZone };
    const to = todayIn(timeZone);
    return { from: addDays(to, -((input.days ?? DEFAULT_RANGE_DAYS) - 1)), to, timeZone };
  })
  .prefault({});
