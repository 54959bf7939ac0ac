import {
  type Database,
  formatWalPosition,
  parseWalPosition,
  type ReadReplicas,
  type WalPosition,
  WRITE_MEMORY_MS,
} from "@inkwell/db";
import { parseCookie, stringifySetCookie } from "cookie";
import type { Principal } from "../auth/principal.ts";

/**
 * Read-your-writes across processes (decision 014): after a mutation the answer carries the primary's write
 * position in this header; a client that sends it back with its next requests reads from a replica only once
 * that replica has replayed it. The typed client echoes it; browsers get it as a cookie on /trpc as well.
 */
export const READ_AFTER_HEADER = "Inkwell-Read-After";
export const READ_AFTER_COOKIE = "inkwell_read_after";

/** Which database a request's queries read from, and what a mutation leaves behind for the next read. */
export interface ReadRouting {
  /** A replica that has replayed everything this caller wrote, or null: read from the primary. */
  pickReplica(): Database | null;
  /** A read on `handle` could not reach its replica (it is retried on the primary). */
  replicaUnavailable(handle: Database, error: unknown): void;
  /** After a mutation committed: remember the primary's write position for this caller and hand it to the client. */
  recordWrite(): Promise<void>;
}

export interface ReadRoutingOptions {
  replicas: ReadReplicas;
  headers: Headers;
  /** The /trpc transport (cookies) also keeps the position in a cookie; REST and /api/rpc only in the header. */
  usesCookies: boolean;
  principal: Principal | null;
  resHeaders: Headers;
  secureCookie: boolean;
}

/** What this process remembers a credential by: one session, or one API key. */
function credentialKey(principal: Principal | null): string | null {
  if (!principal) return null;
  return principal.kind === "session" ? `session:${principal.session.id}` : `apiKey:${principal.apiKey.id}`;
}

const later = (a: WalPosition | null, b: WalPosition | null) => (a === null ? b : b === null || a >= b ? a : b);

export function readRouting(options: ReadRoutingOptions): ReadRouting {
  const { replicas, headers, usesCookies, principal, resHeaders, secureCookie } = options;
  const key = credentialKey(principal);
  // What the client says it wrote (a malformed value counts as none: it can only make reads slower, never wrong).
  const sent = later(
    parseWalPosition(headers.get(READ_AFTER_HEADER)),
    usesCookies ? parseWalPosition(readCookie(headers)) : null,
  );
  // Written by this request (an earlier call of the same batch).
  let written: WalPosition | null = null;

  return {
    pickReplica: () => replicas.pick(later(later(sent, written), key ? replicas.recallWrite(key) : null)),
    replicaUnavailable: (handle, error) => replicas.reportUnavailable(handle, error),
    async recordWrite() {
      const position = await replicas.writePosition();
      if (key) replicas.rememberWrite(key, position);
      if (written !== null && written >= position) return;
      written = position;
      const text = formatWalPosition(position);
      resHeaders.set(READ_AFTER_HEADER, text);
      // Appended, not replaced (the session cookie may be in the same answer); a later one is larger and wins.
      if (usesCookies) resHeaders.append("Set-Cookie", readAfterCookie(text, secureCookie));
    },
  };
}

function readCookie(headers: Headers): string | undefined {
  const header = headers.get("cookie");
  return header ? parseCookie(header)[READ_AFTER_COOKIE] : undefined;
}

function readAfterCookie(position: string, secure: boolean): string {
  return stringifySetCookie({
    name: READ_AFTER_COOKIE,
    value: position,
    httpOnly: true,
    sameSite: "lax",
    path: "/trpc",
    secure,
    // As long as the server remembers it: a replica that lags longer than this is in trouble anyway.
    maxAge: WRITE_MEMORY_MS / 1000,
  });
}
