import { doublePrecision, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";

/**
 * Shared counters for throttling (failed sign-ins) and rate limiting, kept in
 * PostgreSQL so every server process sees the same numbers.
 * `key` names the subject, e.g. `signin:ip:203.0.113.7` or `rate:user:42`.
 */
export const throttleCounters = pgTable(
  "throttle_counters",
  {
    key: text("key").primaryKey(),
    hits: integer("hits").notNull().default(0),
    // Token-bucket level for rate limits; unused by failure counters.
    tokens: doublePrecision("tokens"),
    windowStartedAt: timestamptz("window_started_at").notNull().defaultNow(),
    blockedUntil: timestamptz("blocked_until"),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  // Lets a sweeper delete stale counters without a full scan.
  (t) => [index("throttle_counters_updated_at_idx").on(t.updatedAt)],
);
