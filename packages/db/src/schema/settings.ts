import { jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { updatedAt } from "./columns.ts";

/**
 * Settings operators change at run time, shared by every server process: one
 * row per setting, its value as JSON (validated by the service that reads it).
 * Changes are audited like every mutation.
 */
export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: updatedAt(),
});
