import fc from "fast-check";
import superjson, { type SuperJSONResult } from "superjson";
import { describe, expect, it } from "vitest";
import { serializeOutput } from "./output-serializer.ts";

/** What a client reads: the answer through JSON, then superjson's deserialize. */
const readBack = (result: SuperJSONResult) => superjson.deserialize(JSON.parse(JSON.stringify(result)));
const wire = (result: SuperJSONResult) => JSON.parse(JSON.stringify(result)) as unknown;

const keys = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom("a.b", "a\\b", "a\\.b", "", "0", "__proto__", "constructor", "prototype", "json", "meta"),
);
const leaves = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.date(),
  fc.bigInt(),
  fc.constantFrom(-0, Number.NaN, Number.POSITIVE_INFINITY, new Map([[1, 2]]), new Set([1]), /x/g, Symbol("s")),
);
const { value: values } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    leaves,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(keys, tie("value"), { maxKeys: 4 }),
  ),
}));
/** Values and the same object met twice (superjson's referential equalities). */
const answers = fc.oneof(
  values,
  values.map((shared) => ({ first: shared, second: [shared] })),
);

/** Whether `value` holds `undefined` anywhere, where the two differ on the wire (null against left out). */
function holdsUndefined(value: unknown, seen = new Set<unknown>()): boolean {
  if (value === undefined) return true;
  if (typeof value !== "object" || value === null || seen.has(value)) return false;
  seen.add(value);
  return Object.values(value).some((item) => holdsUndefined(item, seen));
}

describe("serializeOutput", () => {
  it("reads back as superjson's own serialization does, and refuses what superjson refuses", () => {
    fc.assert(
      fc.property(answers, (answer) => {
        let expected: SuperJSONResult;
        try {
          expected = superjson.serialize(answer);
        } catch {
          expect(() => serializeOutput(answer)).toThrow();
          return;
        }
        const result = serializeOutput(answer);
        expect(readBack(result)).toStrictEqual(readBack(expected));
        if (!holdsUndefined(answer)) expect(wire(result)).toStrictEqual(wire(expected));
      }),
      { numRuns: 2_000 },
    );
  });

  it("takes the fast path for what procedures answer: no copy, Dates annotated by escaped path", () => {
    const createdAt = new Date("2026-11-30T10:00:00.000Z");
    const page = {
      articles: [
        { slug: "a", createdAt, updatedAt: new Date("2026-11-30T11:00:00.000Z"), tagList: ["x"], bio: null },
        { slug: "b", createdAt: new Date(0), "odd.key": new Date(1), note: undefined },
      ],
      nextCursor: null,
    };
    const result = serializeOutput(page);
    expect(result.json).toBe(page);
    expect(result.meta).toEqual({
      values: {
        "articles.0.createdAt": ["Date"],
        "articles.0.updatedAt": ["Date"],
        "articles.1.createdAt": ["Date"],
        "articles.1.odd\\.key": ["Date"],
        "articles.1.note": ["undefined"],
      },
      v: 1,
    });
    expect(readBack(result)).toStrictEqual(page);
  });

  it("annotates a Date or undefined answer itself as superjson does, with the bare list", () => {
    const when = new Date("2026-12-01T00:00:00.000Z");
    expect(wire(serializeOutput(when))).toStrictEqual(wire(superjson.serialize(when)));
    expect(wire(serializeOutput(undefined))).toStrictEqual(wire(superjson.serialize(undefined)));
    expect(wire(serializeOutput({ "": when }))).toStrictEqual(wire(superjson.serialize({ "": when })));
    expect(serializeOutput("plain")).toStrictEqual({ json: "plain" });
  });
});
