import { timestamp } from "drizzle-orm/pg-core";

/**
 * Every time column is `timestamptz`, read as a `Date`. Millisecond precision
 * matches `Date`, so a keyset cursor built from a row's time finds that row exactly.
 */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

export const createdAt = () => timestamptz("created_at").notNull().defaultNow();
export const updatedAt = () =>
  timestamptz("updated_at")
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());
