import { sql } from "@inkwell/db";

/**
 * `count(*) over ()` as a column: the total of matching rows, computed with
 * the page in one scan instead of a second COUNT query.
 */
export const totalRows = () => sql<number>`(count(*) over ())::int`.as("total_rows");

/** Pattern for ILIKE substring search with the user's `%`, `_` and `\` taken literally. */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function offsetOf(page: number, pageSize: number): number {
  return (page - 1) * pageSize;
}

/** Splits the window total off the rows; an empty page past the end reports 0 and lets the caller count. */
export function splitTotal<T extends { total_rows: number }>(
  rows: T[],
): { rows: Omit<T, "total_rows">[]; total: number | null } {
  if (rows.length === 0) return { rows: [], total: null };
  const total = rows[0]?.total_rows ?? 0;
  return { rows: rows.map(({ total_rows: _total, ...row }) => row), total };
}

/**
 * The total for a page: the window count carried by its rows, 0 for an empty
 * first page, and a separate count only for an empty page past the end.
 */
export async function pageTotal(total: number | null, page: number, count: () => Promise<number>): Promise<number> {
  if (total !== null) return total;
  return page === 1 ? 0 : count();
}
