import { z } from "zod";

/**
 * JSON and query strings carry no dates, and query strings carry only text.
 * These read what a client sent into the values the procedure's own input
 * schema checks, guided by that schema's types alone (its limits and rules
 * stay the procedure's): `"2"` for a number field becomes 2, an ISO 8601 time
 * for a date field a `Date`. A value that does not read as the type is passed
 * on as it came, so the procedure refuses it with its own message.
 */

type Schema = z.core.$ZodType;
type Def = Schema["_zod"]["def"] & {
  innerType?: Schema;
  in?: Schema;
  out?: Schema;
  element?: Schema;
  shape?: Record<string, Schema>;
  getter?: () => Schema;
  values?: unknown[];
  entries?: Record<string, unknown>;
};

const defOf = (schema: Schema) => schema._zod.def as Def;

/** The schema a value meets first, past wrappers that do not change what a client sends. */
export function unwrap(schema: Schema): Schema {
  const def = defOf(schema);
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "catch":
    case "readonly":
    case "nonoptional":
      return def.innerType ? unwrap(def.innerType) : schema;
    case "pipe":
      // `.transform()` checks the pipe's `in` first; `z.preprocess` is a pipe out of a transform, checked by `out`.
      if (!def.in || !def.out) return schema;
      return unwrap(defOf(def.in).type === "transform" ? def.out : def.in);
    case "lazy":
      return def.getter ? unwrap(def.getter()) : schema;
    default:
      return schema;
  }
}

export type ScalarKind = "string" | "number" | "boolean" | "date";

/** What a query parameter holds: one scalar, or a list of them (the parameter repeated). */
export interface QueryField {
  name: string;
  kind: ScalarKind;
  list: boolean;
}

function scalarKind(schema: Schema): ScalarKind | null {
  const def = defOf(unwrap(schema));
  switch (def.type) {
    case "string":
      return "string";
    case "number":
    case "int":
      return "number";
    case "boolean":
      return "boolean";
    case "date":
      return "date";
    case "enum":
      return Object.values(def.entries ?? {}).every((value) => typeof value === "string") ? "string" : null;
    case "literal":
      return def.values?.every((value) => typeof value === "string") ? "string" : null;
    default:
      return null;
  }
}

/**
 * How each field of a query's input travels in the query string, or the
 * fields that cannot (an object, a union): a query's input must be flat.
 */
export function queryFieldsOf(input: Schema): { fields: QueryField[] } | { unsupported: string } {
  const object = unwrap(input);
  const shape = defOf(object).type === "object" ? defOf(object).shape : undefined;
  if (!shape) return { unsupported: "its input is not an object of named fields" };
  const fields: QueryField[] = [];
  const refused: string[] = [];
  for (const [name, schema] of Object.entries(shape)) {
    const inner = unwrap(schema);
    const list = defOf(inner).type === "array";
    const element = list ? defOf(inner).element : inner;
    const kind = element ? scalarKind(element) : null;
    if (kind) fields.push({ name, kind, list });
    else refused.push(name);
  }
  return refused.length === 0
    ? { fields }
    : { unsupported: `input field(s) ${refused.join(", ")} hold neither a scalar nor a list of scalars` };
}

const isoDateTime = z.iso.datetime({ offset: true });

/** An ISO 8601 date and time with its offset (`2025-01-31T12:00:00Z`) as a Date; anything else as it came. */
function readDate(value: string): Date | string {
  return isoDateTime.safeParse(value).success ? new Date(value) : value;
}

const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

function readScalar(kind: ScalarKind, raw: string): unknown {
  switch (kind) {
    case "number":
      return NUMBER.test(raw) ? Number(raw) : raw;
    case "boolean":
      return raw === "true" ? true : raw === "false" ? false : raw;
    case "date":
      return readDate(raw);
    default:
      return raw;
  }
}

/**
 * A query's input from its query string. A list field takes every value of
 * its repeated parameter; a scalar given more than once is passed on as a
 * list, which the procedure refuses. Parameters the input does not name are
 * left out, as the procedure would drop them.
 */
export function readQuery(fields: readonly QueryField[], params: URLSearchParams): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const { name, kind, list } of fields) {
    const values = params.getAll(name);
    if (values.length === 0) continue;
    const read = values.map((value) => readScalar(kind, value));
    input[name] = list || read.length > 1 ? read : read[0];
  }
  return input;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A JSON body with the ISO 8601 strings at the places the schema wants a date read as Dates. */
export function readJsonDates(schema: Schema, value: unknown): unknown {
  const inner = unwrap(schema);
  const def = defOf(inner);
  if (def.type === "date") return typeof value === "string" ? readDate(value) : value;
  if (def.type === "array" && def.element && Array.isArray(value)) {
    const element = def.element;
    return value.map((item) => readJsonDates(element, item));
  }
  if (def.type === "object" && def.shape && isPlainObject(value)) {
    const read: Record<string, unknown> = { ...value };
    for (const [key, field] of Object.entries(def.shape)) {
      if (Object.hasOwn(value, key)) read[key] = readJsonDates(field, value[key]);
    }
    return read;
  }
  return value;
}
