import fc from "fast-check";
import {
  CURSOR_IDS,
  CURSOR_TIMES,
  EXTRA_KEYS,
  encodeCursor,
  HOSTILE_DATES,
  HOSTILE_NUMBERS,
  hostileStrings,
  MALFORMED_CURSORS,
  type Transport,
  WRONG_TYPES,
} from "./hostile-values.ts";

/** The part of JSON Schema (2020-12) that `z.toJSONSchema` emits, plus our `x-date` marker. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  "x-date"?: true;
}

/** Values already in the database (slugs, usernames, ids…), so generated inputs also reach the paths behind "not found". */
export interface KnownValues {
  /** By the field name they belong in (`slug`, `userId`, `cursor`…), for fields of that name. */
  byName: Readonly<Record<string, readonly (string | number)[]>>;
  /** All of them, for fields of other names. */
  strings: readonly string[];
  integers: readonly number[];
}

export interface GeneratorOptions {
  transport: Transport;
  known: KnownValues;
}

interface Context extends GeneratorOptions {
  root: JsonSchema;
  depth: number;
  /** The property this value is for (array items inherit their array's), to pick known values by name. */
  name?: string;
}

/** Known values for this field: those kept under its name when there are any, else all of that type. */
function knownFor<T extends string | number>(ctx: Context, type: "string" | "number", all: readonly T[]) {
  const named = (ctx.name ? (ctx.known.byName[ctx.name] ?? []) : []).filter((v): v is T => typeof v === type);
  return { values: named.length > 0 ? named : all, named: named.length > 0 };
}

/** Generated values, or known ones: mostly known ones when the field's name says which. */
function withKnown<T>(generated: fc.Arbitrary<T>, known: { values: readonly T[]; named: boolean }): fc.Arbitrary<T> {
  if (known.values.length === 0) return generated;
  return fc.oneof(
    { weight: known.named ? 1 : 2, arbitrary: generated },
    { weight: known.named ? 3 : 1, arbitrary: fc.constantFrom(...known.values) },
  );
}

const MAX_DEPTH = 8;
/** Long enough to hit every limit the router has without slowing the run: longer strings come from hostile values. */
const MAX_GENERATED_STRING = 300;

function resolve(schema: JsonSchema, ctx: Context): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace(/^#\/\$defs\//, "");
  return ctx.root.$defs?.[name] ?? {};
}

function typesOf(schema: JsonSchema): string[] {
  if (schema["x-date"]) return ["date"];
  if (Array.isArray(schema.type)) return schema.type;
  if (schema.type) return [schema.type];
  if (schema.properties) return ["object"];
  if (schema.items || schema.prefixItems) return ["array"];
  return [];
}

/** Whether a known string satisfies the simple constraints of a string schema (zod checks the rest). */
function stringFits(schema: JsonSchema, value: string): boolean {
  if (schema.minLength !== undefined && value.length < schema.minLength) return false;
  if (schema.maxLength !== undefined && value.length > schema.maxLength) return false;
  if (schema.pattern && !new RegExp(schema.pattern, "u").test(value)) return false;
  return !schema.enum || schema.enum.includes(value);
}

function integerBounds(schema: JsonSchema): { min: number; max: number } {
  const min = Math.max(
    schema.minimum ?? Number.MIN_SAFE_INTEGER,
    schema.exclusiveMinimum === undefined ? Number.MIN_SAFE_INTEGER : Math.floor(schema.exclusiveMinimum) + 1,
  );
  const max = Math.min(
    schema.maximum ?? Number.MAX_SAFE_INTEGER,
    schema.exclusiveMaximum === undefined ? Number.MAX_SAFE_INTEGER : Math.ceil(schema.exclusiveMaximum) - 1,
  );
  return { min, max };
}

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? MAX_GENERATED_STRING, MAX_GENERATED_STRING);
  const withinLength = (value: string) => value.length >= minLength && value.length <= (schema.maxLength ?? Infinity);
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter(withinLength);
  if (schema.format === "uri") return fc.webUrl().filter(withinLength);
  if (schema.format === "email") return fc.emailAddress().filter(withinLength);
  return fc.oneof(
    fc.string({ minLength, maxLength }),
    fc.string({ minLength, maxLength, unit: "grapheme" }),
    fc.string({ minLength, maxLength, unit: "binary" }),
  );
}

/** A value the schema accepts (as far as JSON Schema can say), with known database values mixed in. */
function validValue(schema: JsonSchema, ctx: Context): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((option) => value(option, ctx)));
  if (schema.allOf) return validValue(mergeAll(schema.allOf.map((part) => resolve(part, ctx))), ctx);
  const types = typesOf(schema);
  if (types.length === 0) return fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(...WRONG_TYPES));
  return fc.oneof(...types.map((type) => validOfType(type, schema, ctx)));
}

function validOfType(type: string, schema: JsonSchema, ctx: Context): fc.Arbitrary<unknown> {
  switch (type) {
    case "date":
      return fc.date({ min: new Date(Date.now() - 400 * 86_400_000), max: new Date(Date.now() + 400 * 86_400_000) });
    case "string": {
      const known = knownFor(ctx, "string", ctx.known.strings);
      return withKnown(validString(schema), { ...known, values: known.values.filter((s) => stringFits(schema, s)) });
    }
    case "integer": {
      const { min, max } = integerBounds(schema);
      const known = knownFor(ctx, "number", ctx.known.integers);
      return withKnown(fc.integer({ min, max }), {
        ...known,
        values: known.values.filter((n) => n >= min && n <= max),
      });
    }
    case "number":
      return fc.double({ min: schema.minimum, max: schema.maximum, noNaN: true, noDefaultInfinity: true });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array": {
      const item = schema.items ? resolve(schema.items, ctx) : {};
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 5, 5));
      return fc.array(value(item, ctx), { minLength, maxLength });
    }
    case "object":
      return objectValue(schema, ctx);
    default:
      return fc.anything();
  }
}

function objectValue(schema: JsonSchema, ctx: Context): fc.Arbitrary<unknown> {
  const properties = Object.fromEntries(
    Object.entries(schema.properties ?? {}).map(([key, property]) => [
      key,
      value(resolve(property, ctx), { ...ctx, name: key }),
    ]),
  );
  const declared = fc.record(properties, { requiredKeys: schema.required ?? [] });
  // Unknown keys: a few, now and then, or (rarely) thousands.
  const extras = fc.oneof(
    { withCrossShrink: true },
    { weight: 12, arbitrary: fc.constant({}) },
    {
      weight: 3,
      arbitrary: fc.dictionary(
        fc.oneof(fc.constantFrom(...EXTRA_KEYS), fc.string({ maxLength: 8 })),
        fc.oneof(fc.constantFrom(...hostileStrings("get")), fc.constantFrom(...WRONG_TYPES)),
        { minKeys: 1, maxKeys: 3 },
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(ctx.transport === "post" ? 2_000 : 200)
        .map((count) =>
          Object.fromEntries(Array.from({ length: count }, (_, i) => [`extra${i}`, i % 2 ? "\u0000" : i])),
        ),
    },
  );
  return fc.tuple(declared, extras).map(([known, extra]) => {
    // Assigned key by key: `{ ...extra }` would drop a "__proto__" key, which JSON.parse keeps as an own property.
    const merged: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(extra))
      Object.defineProperty(merged, key, { value: item, enumerable: true, writable: true, configurable: true });
    for (const [key, item] of Object.entries(known as Record<string, unknown>)) merged[key] = item;
    return merged;
  });
}

function mergeAll(parts: JsonSchema[]): JsonSchema {
  const merged: JsonSchema = { properties: {}, required: [] };
  for (const part of parts) {
    Object.assign(merged, { ...part, properties: merged.properties, required: merged.required });
    Object.assign(merged.properties ?? {}, part.properties);
    merged.required?.push(...(part.required ?? []));
  }
  return merged;
}

const forgedCursor = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.tuple(fc.constantFrom(...CURSOR_TIMES), fc.constantFrom(...CURSOR_IDS)).map(encodeCursor),
  },
  { weight: 1, arbitrary: fc.constantFrom(...MALFORMED_CURSORS) },
);

/** Whether a string is base64url-encoded JSON, like the keyset cursors the server hands out. */
function isEncodedJson(value: string): boolean {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    return typeof decoded === "object" && decoded !== null;
  } catch {
    return false;
  }
}

/** Breaks the schema on purpose: the type's own hostile values, and values of the wrong type. */
function hostileValue(schema: JsonSchema, ctx: Context): fc.Arbitrary<unknown> {
  const types = typesOf(schema);
  const own: fc.WeightedArbitrary<unknown>[] = [];
  if (types.includes("string") || types.length === 0) {
    own.push({ weight: 3, arbitrary: fc.constantFrom(...hostileStrings(ctx.transport)) });
    const known = knownFor(ctx, "string", ctx.known.strings);
    // A known value with a NUL or a lone surrogate after it: passes length checks, reaches the database.
    const twisted = known.values.slice(0, 5).flatMap((value) => [`${value}\u0000`, `${value}\uD800`]);
    if (twisted.length > 0) own.push({ weight: 1, arbitrary: fc.constantFrom(...twisted) });
    // The field carries encoded JSON the server issued (a cursor): mostly forge some.
    if (known.named && known.values.some(isEncodedJson)) own.push({ weight: 6, arbitrary: forgedCursor });
  }
  if (types.includes("integer") || types.includes("number")) {
    own.push({ weight: 3, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS) });
  }
  if (types.includes("date")) own.push({ weight: 3, arbitrary: fc.constantFrom(...HOSTILE_DATES) });
  if (types.includes("array")) {
    const max = schema.maxItems ?? 10;
    const arrays = [Array.from({ length: max + 1 }, (_, i) => i + 1), [null], [[]]];
    own.push({ weight: 3, arbitrary: fc.constantFrom(...arrays) });
  }
  return fc.oneof(...own, { weight: 1, arbitrary: fc.constantFrom(...WRONG_TYPES) });
}

/** Mostly valid, sometimes hostile: a field at a time, so most inputs still get past validation. */
function value(schema: JsonSchema, ctx: Context): fc.Arbitrary<unknown> {
  if (ctx.depth > MAX_DEPTH) return fc.constant(null);
  const inner = { ...ctx, depth: ctx.depth + 1 };
  const resolved = resolve(schema, ctx);
  // Fields where a forgery does most harm get attacked more: a token the server issued (a cursor), and dates
  // (superjson carries any instant a Date holds; the database and ISO strings hold fewer).
  const prime = Boolean(resolved["x-date"]) || knownFor(ctx, "string", []).values.some(isEncodedJson);
  // Cross-shrinking lets a failure shrink from a hostile value to a valid one, leaving only the culprits hostile.
  return fc.oneof(
    { withCrossShrink: true },
    { weight: 11, arbitrary: validValue(resolved, inner) },
    { weight: prime ? 11 : 1, arbitrary: hostileValue(resolved, inner) },
  );
}

/**
 * Inputs for a procedure whose input is described by `schema`: valid ones
 * (a schema with a default may also be omitted) with hostile fields mixed in.
 */
export function inputArbitrary(schema: JsonSchema, options: GeneratorOptions): fc.Arbitrary<unknown> {
  const ctx: Context = { ...options, root: schema, depth: 0 };
  const generated = value(schema, ctx);
  if (schema.default === undefined) return generated;
  return fc.oneof({ weight: 5, arbitrary: generated }, { weight: 1, arbitrary: fc.constant(undefined) });
}
