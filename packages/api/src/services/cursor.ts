/** An opaque keyset cursor: the sort key of the last row of a page. */
export interface Cursor {
  createdAt: Date;
  id: number;
}

/** Timestamps Inkwell stores and accepts: PostgreSQL and JavaScript agree on every one of them. */
export const EARLIEST_TIMESTAMP = new Date("1970-01-01T00:00:00.000Z");
export const LATEST_TIMESTAMP = new Date("9999-12-31T23:59:59.999Z");

export function isStorableTimestamp(date: Date): boolean {
  const time = date.getTime();
  return time >= EARLIEST_TIMESTAMP.getTime() && time <= LATEST_TIMESTAMP.getTime();
}

export function encodeCursor(row: Cursor): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString("base64url");
}

/** The cursor `encodeCursor` made, or null for anything else (crafted dates and ids included). */
export function parseCursor(cursor: string): Cursor | null {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) return null;
  const [iso, id] = decoded as [unknown, unknown];
  if (typeof iso !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(iso)) return null;
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 1) return null;
  const createdAt = new Date(iso);
  return Number.isNaN(createdAt.getTime()) || !isStorableTimestamp(createdAt) ? null : { createdAt, id };
}
