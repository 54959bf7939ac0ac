/**
 * Text PostgreSQL cannot store, found anywhere in a procedure's raw input:
 * U+0000 (refused by `text` and `jsonb`) and lone UTF-16 surrogates (not
 * Unicode; `jsonb` refuses them and UTF-8 cannot encode them). Checked once
 * for every procedure, before validation, so no field can forget it.
 */
export const MAX_INPUT_DEPTH = 32;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Field names superjson refuses to serialise (prototype pollution): an error naming them would itself fail. */
const RESERVED_NAMES = new Set(["__proto__", "constructor", "prototype"]);

/** The path as a field name for error messages: `extra.0.title`, with reserved names bracketed. */
export function fieldNameOf(path: readonly (string | number)[]): string {
  if (path.length === 0) return "input";
  return path.map((part) => (RESERVED_NAMES.has(String(part)) ? `[${part}]` : String(part))).join(".");
}

export interface UnstorableText {
  /** Where it was found, as a field path (`["user", "bio"]`); empty for the input itself. */
  path: (string | number)[];
  message: string;
}

function problemOf(text: string): string | null {
  if (text.includes("\u0000")) return "Text must not contain the NUL character (U+0000).";
  if (LONE_SURROGATE.test(text)) return "Text must be valid Unicode (it contains a lone surrogate).";
  return null;
}

export function findUnstorableText(value: unknown, path: (string | number)[] = []): UnstorableText | null {
  if (typeof value === "string") {
    const message = problemOf(value);
    return message ? { path, message } : null;
  }
  if (typeof value !== "object" || value === null) return null;
  if (path.length >= MAX_INPUT_DEPTH) {
    // Named by its top-level field: the full path would be as long as the nesting.
    return { path: path.slice(0, 1), message: `Input is nested more than ${MAX_INPUT_DEPTH} levels deep.` };
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findUnstorableText(item, [...path, index]);
      if (found) return found;
    }
    return null;
  }
  if (value instanceof Date) return null;
  for (const [key, item] of Object.entries(value)) {
    const keyProblem = problemOf(key);
    if (keyProblem) return { path, message: `A field name is not storable: ${keyProblem}` };
    const found = findUnstorableText(item, [...path, key]);
    if (found) return found;
  }
  return null;
}
