import superjson, { type SuperJSONResult } from "superjson";

/** superjson's annotations for the two kinds of value procedures return beside plain JSON. */
type Annotation = "Date" | "undefined";

/** Thrown inside the walk when a value is not of the kinds handled here: superjson serializes it instead. */
const NOT_PLAIN = Symbol("not plain");

/** superjson's path escaping (`pathstringifier.ts`): a dot or a backslash in a key is escaped with a backslash. */
const escapeKey = (key: string) => key.replace(/\\/g, "\\\\").replace(/\./g, "\\.");

/**
 * superjson's `serialize`, on the fast path for what procedures answer: plain objects and arrays of strings,
 * finite numbers, booleans, null, undefined and valid `Date`s, each object met once. superjson's own walker
 * copies the whole tree and allocates two arrays per value (its path and the objects above it): on the tRPC
 * articles list it was 15 % of the server's CPU (BENCHMARKS.md, finding 11). This walks the tree without
 * copying it, notes where a `Date` or `undefined` is (superjson's `meta.values`, flattened paths, `v: 1`), and
 * leaves the `Date`s to `JSON.stringify`, which writes them with `toISOString()` as superjson does. The one
 * difference on the wire: an `undefined` object property is left out of `json` where superjson writes `null`,
 * and superjson's annotation restores it as `undefined` either way. Anything else (Map, Set, BigInt, NaN, -0, a
 * class instance, an object met twice, a key superjson refuses) goes to superjson whole, so the answer reads
 * back the same through `superjson.deserialize` (`output-serializer.test.ts` checks both on random values).
 */
export function serializeOutput(value: unknown): SuperJSONResult {
  const values: Record<string, [Annotation]> = {};
  let annotated = false;
  /** The value itself is a Date or undefined: superjson's annotation is then the bare list, not a map of paths. */
  let rootAnnotation: [Annotation] | undefined;
  const path: string[] = [];
  const seen = new Set<object>();

  const note = (annotation: Annotation) => {
    if (path.length === 0) rootAnnotation = [annotation];
    else values[path.map(escapeKey).join(".")] = [annotation];
    annotated = true;
  };

  const walk = (item: unknown): void => {
    switch (typeof item) {
      case "string":
      case "boolean":
        return;
      case "number":
        if (!Number.isFinite(item) || Object.is(item, -0)) throw NOT_PLAIN;
        return;
      case "undefined":
        note("undefined");
        return;
      case "object": {
        if (item === null) return;
        if (seen.has(item)) throw NOT_PLAIN;
        seen.add(item);
        if (Array.isArray(item)) {
          for (let index = 0; index < item.length; index++) {
            if (!(index in item)) throw NOT_PLAIN;
            path.push(String(index));
            walk(item[index]);
            path.pop();
          }
          return;
        }
        if (item instanceof Date) {
          if (Number.isNaN(item.getTime())) throw NOT_PLAIN;
          note("Date");
          return;
        }
        const prototype = Object.getPrototypeOf(item);
        if (prototype !== Object.prototype && prototype !== null) throw NOT_PLAIN;
        for (const key of Object.keys(item)) {
          if (key === "__proto__" || key === "constructor" || key === "prototype") throw NOT_PLAIN;
          path.push(key);
          walk((item as Record<string, unknown>)[key]);
          path.pop();
        }
        return;
      }
      default:
        throw NOT_PLAIN;
    }
  };

  try {
    walk(value);
  } catch (error) {
    if (error === NOT_PLAIN) return superjson.serialize(value);
    throw error;
  }
  if (!annotated) return { json: value as SuperJSONResult["json"] };
  return {
    json: (value === undefined ? null : value) as SuperJSONResult["json"],
    meta: { values: rootAnnotation ?? values, v: 1 },
  };
}
