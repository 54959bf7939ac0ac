// Fields whose values are never kept, at any depth: passwords, tokens, keys, cookies, one-time and
// recovery codes, two-factor sign-in challenges, an identity provider's callback (it carries the code).
const SECRET_KEY = /pass(word)?|secret|token|^key$|apikey|cookie|authorization|code$|challenge|^callback$/i;
const MAX_STRING = 200;
const MAX_ITEMS = 20;
const MAX_KEYS = 30;
const MAX_DEPTH = 4;

/**
 * Keys a reader of the summary must not meet as they are: superjson refuses to
 * serialise `__proto__`, `constructor` and `prototype` (prototype pollution),
 * so a client sending them would break the audit log for operators.
 */
const RESERVED_KEYS = new Set(["__proto__", "constructor", "prototype"]);

function storableKey(key: string): string {
  if (RESERVED_KEYS.has(key)) return `[${key}]`;
  return key.length > 100 ? `${key.slice(0, 100)}…` : key;
}

/** Values kept in one summary, in all: bounds its size (about 200 × 200 characters at most). */
const MAX_VALUES = 200;

/**
 * A summary of a procedure's input that is safe and small enough to keep:
 * secrets replaced, long text cut, long lists and objects with many keys
 * shortened, deep nesting elided, and at most `MAX_VALUES` values in all,
 * whatever the client sends.
 */
export function summarizeInput(value: unknown): unknown {
  return summarize(value, 0, { left: MAX_VALUES });
}

function summarize(value: unknown, depth: number, budget: { left: number }): unknown {
  if (budget.left <= 0) return "[more]";
  budget.left--;
  if (value === null || value === undefined) return value;
  if (typeof value === "string")
    return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}… (${value.length} chars)` : value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value !== "object") return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (depth >= MAX_DEPTH) return "[nested]";
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => summarize(item, depth + 1, budget));
    return value.length > MAX_ITEMS ? [...items, `… ${value.length - MAX_ITEMS} more`] : items;
  }
  const entries = Object.entries(value);
  const kept = entries
    .slice(0, MAX_KEYS)
    .map(([key, item]) => [storableKey(key), SECRET_KEY.test(key) ? "[redacted]" : summarize(item, depth + 1, budget)]);
  if (entries.length > MAX_KEYS) kept.push(["…", `${entries.length - MAX_KEYS} more fields`]);
  return Object.fromEntries(kept);
}
