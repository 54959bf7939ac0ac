/**
 * True when `error` (or what it wraps) says the database cannot be reached
 * right now: refused or dropped connections, timeouts, a server shutting
 * down or starting up. Such failures are the client's to retry (503), not bugs.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && UNAVAILABLE.test(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

// Node socket errors, postgres.js connection errors, and SQLSTATE classes 08 (connection) and 57P (operator intervention).
const UNAVAILABLE =
  /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|CONNECTION_CLOSED|CONNECTION_ENDED|CONNECTION_DESTROYED|CONNECT_TIMEOUT|08\w{3}|57P0[1-3])$/;
