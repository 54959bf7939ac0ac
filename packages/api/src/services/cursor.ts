import { TRPCError } from "@trpc/server";

/** An opaque keyset cursor: the sort key of the last row of a page. */
export function encodeCursor(row: { createdAt: Date; id: number }): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString("base64url");
}

export function decodeCursor(cursor: string): { createdAt: Date; id: number } {
  try {
    const [iso, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [unknown, unknown];
    const createdAt = new Date(String(iso));
    if (typeof iso === "string" && Number.isInteger(id) && !Number.isNaN(createdAt.getTime())) {
      return { createdAt, id: id as number };
    }
  } catch {
    // fall through
  }
  throw new TRPCError({ code: "BAD_REQUEST", message: "Invalid cursor: pass back the nextCursor of a previous page." });
}
