import { sql } from "drizzle-orm";
import type { Database, Executor } from "../client.ts";

/** Rows per table that a reset deletes (or that made a plain seed refuse), in table-name order. */
export type TableCounts = Record<string, number>;

export class SeedRefusedError extends Error {
  constructor(readonly existing: TableCounts) {
    const found = Object.entries(existing)
      .filter(([, count]) => count > 0)
      .map(([table, count]) => `${table}: ${count.toLocaleString("en")}`)
      .join(", ");
    super(
      `The database is not empty (${found}); nothing was changed. ` +
        "Seed an empty database, or run with --reset to delete all of these rows and seed.",
    );
  }
}

/**
 * The tables the seed writes: `users` and `tags`, and every table that
 * references them directly or through another — exactly what
 * `TRUNCATE users, tags CASCADE` would empty, found in the catalog so a table
 * added later (and its rows) is never emptied without being counted first —
 * and `audit_events`, whose actors are plain ids (no foreign key, so a deleted
 * user's trail stays) but which belong to the users all the same.
 */
async function seedTables(db: Executor): Promise<string[]> {
  const rows = await db.execute<{ name: string }>(sql`
    with recursive owned(oid) as (
      select unnest(array['users'::regclass, 'tags'::regclass, 'audit_events'::regclass])::oid
      union
      select constraints.conrelid
      from pg_constraint constraints join owned on constraints.confrelid = owned.oid
      where constraints.contype = 'f'
    )
    select oid::regclass::text as name from owned order by 1`);
  return rows.map((row) => row.name);
}

async function countRows(db: Executor, tables: string[]): Promise<TableCounts> {
  // Names come from the catalog, already quoted by regclass's output.
  const [row] = await db.execute<Record<string, number>>(
    sql.raw(`select ${tables.map((table, i) => `(select count(*)::int from ${table}) as "${i}"`).join(", ")}`),
  );
  return Object.fromEntries(tables.map((table, i) => [table, row?.[i] ?? 0]));
}

/**
 * Empties the seed's tables and restarts their ids (the seed relies on ids 1…N).
 * Without `reset` it only goes ahead when every one of them is already empty,
 * and otherwise throws `SeedRefusedError` having changed nothing. With `reset`,
 * `onReset` hears the rows about to be deleted, per table, before they are.
 * One transaction holding the tables' locks from count to truncate, so the
 * counts are exactly what goes, and no row slips in after the check.
 */
export async function clearForSeed(
  db: Database,
  options: { reset: boolean; onReset?: (deleting: TableCounts) => void },
): Promise<TableCounts> {
  return db.transaction(async (tx) => {
    const tables = await seedTables(tx);
    const list = tables.join(", ");
    await tx.execute(sql.raw(`lock table ${list} in access exclusive mode`));
    const counts = await countRows(tx, tables);
    const hasRows = Object.values(counts).some((count) => count > 0);
    if (hasRows && !options.reset) throw new SeedRefusedError(counts);
    if (options.reset) options.onReset?.(counts);
    await tx.execute(sql.raw(`truncate ${list} restart identity`));
    return counts;
  });
}
