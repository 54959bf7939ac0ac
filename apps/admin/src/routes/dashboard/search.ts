import { z } from "zod/mini";
import { optionalParam, withFallback } from "../../lib/search.ts";

/** The ranges the picker offers in one click: the last 7, 30 or 90 days, today included. */
export const dashboardPresets = [7, 30, 90] as const;

export const dashboardSearchDefaults = { days: 30 } as const;

/** A calendar day, `YYYY-MM-DD`; whether it exists is the server's to say (this schema ships in the first download). */
const dayParam = optionalParam(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)));

/**
 * The dashboard's range in the URL: `?days=7` (30 when absent), or a custom
 * range `?from=2026-11-01&to=2026-11-15`, which wins when both days are there.
 * The server refuses a custom range it cannot show (in the future, too long) with a message.
 */
export const dashboardSearchSchema = z.object({
  days: withFallback(
    z.pipe(z.union([z.number(), z.pipe(z.string(), z.transform(Number))]), z.literal(dashboardPresets)),
    dashboardSearchDefaults.days,
  ),
  from: dayParam,
  to: dayParam,
});

export type DashboardSearch = z.output<typeof dashboardSearchSchema>;
