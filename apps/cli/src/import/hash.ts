import { createHash } from "node:crypto";

/**
 * Identifies an article's content: same title and body, same hash.
 * Surrounding whitespace does not count: the server trims titles, and editors
 * add or drop final newlines.
 */
export function contentHash(title: string, body: string): string {
  return createHash("sha256")
    .update(JSON.stringify([title.trim(), body.trim()]))
    .digest("hex");
}
