import fc from "fast-check";
import { FUZZ_ROLES, type FuzzRole } from "./callers.ts";
import { deepEnvelopes, hostileRoots, type Transport } from "./hostile-values.ts";
import { inputArbitrary, type KnownValues } from "./json-schema.ts";
import type { ProcedureInfo } from "./procedures.ts";
import { type Payload, serialize } from "./wire.ts";

export interface FuzzRequest {
  role: FuzzRole;
  /** One payload, or several sent as one tRPC batch to the same procedure. */
  payloads: Payload[];
}

/** Text where the JSON envelope belongs (for GET it goes into the URL unencoded, broken escapes included). */
const RAW_TEXTS: readonly string[] = [
  "",
  "{",
  "null",
  "[]",
  '{"json":',
  "\u0000",
  '{"json":1e999}',
  "%",
  "%E0%A4%A",
  '{"json":"\\ud800"}',
  '{"json":{}}{"json":{}}',
];

/**
 * Envelopes a lying client writes: superjson type tags on values they do not
 * fit (dates that are not dates, BigInts that are not numbers), prototype
 * paths, and broken shapes, built around a valid input.
 */
function craftedEnvelopes(valid: unknown): unknown[] {
  const { json } = serialize(valid);
  const isObject = typeof json === "object" && json !== null && !Array.isArray(json);
  const key = isObject ? Object.keys(json)[0] : undefined;
  const tagged = (raw: unknown, tag: unknown[]) =>
    key === undefined
      ? { json: raw, meta: { values: tag } }
      : { json: { ...(json as object), [key]: raw }, meta: { values: { [key]: tag } } };
  return [
    tagged("garbage", ["Date"]),
    tagged("+275760-09-13T00:00:00.001Z", ["Date"]),
    tagged("+275760-09-13T00:00:00.000Z", ["Date"]),
    tagged("1e999", ["bigint"]),
    tagged("abc", ["number"]),
    tagged("/[/", ["regexp"]),
    tagged(5, ["set"]),
    tagged([[1]], ["map"]),
    tagged("x", ["custom", "Nope"]),
    tagged({}, ["class", "Nope"]),
    tagged("x", ["symbol", "Nope"]),
    tagged("http://[", ["URL"]),
    { json, meta: { values: { "__proto__.polluted": ["Date"] } } },
    { json, meta: { values: { "constructor.prototype.polluted": ["undefined"] } } },
    { json, meta: { referentialEqualities: { [key ?? ""]: ["nope.deeper"] } } },
    { json, meta: { referentialEqualities: JSON.parse('{"__proto__":["x"]}') } },
    { json, meta: { values: ["Date"] } },
    { json, meta: { values: Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`k${i}`, ["undefined"]])) } },
    { json, meta: { v: 999 } },
    { json, meta: "x" },
    { meta: { values: ["undefined"] } },
    [json],
    "json",
  ];
}

function payloadArbitrary(procedure: ProcedureInfo, transport: Transport, known: KnownValues): fc.Arbitrary<Payload> {
  const values: fc.Arbitrary<unknown> = procedure.inputSchema
    ? inputArbitrary(procedure.inputSchema, { transport, known })
    : fc.constant(undefined);
  return fc.oneof(
    { withCrossShrink: true },
    { weight: 14, arbitrary: values.map((value) => ({ value })) },
    { weight: 2, arbitrary: fc.constantFrom(...hostileRoots(transport)).map((value) => ({ value })) },
    {
      weight: 1,
      arbitrary: values.chain((valid) => fc.constantFrom(...craftedEnvelopes(valid))).map((envelope) => ({ envelope })),
    },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_TEXTS, ...deepEnvelopes(transport)).map((text) => ({ text })) },
  );
}

/** Who calls, and with what: one call, or now and then a batch of two (subscriptions are never batched). */
export function requestArbitrary(procedure: ProcedureInfo, known: KnownValues): fc.Arbitrary<FuzzRequest> {
  const transport: Transport = procedure.type === "mutation" ? "post" : "get";
  const payload = payloadArbitrary(procedure, transport, known);
  const payloads =
    procedure.type === "subscription"
      ? payload.map((p) => [p])
      : fc.oneof(
          { withCrossShrink: true },
          { weight: 8, arbitrary: payload.map((p) => [p]) },
          { weight: 1, arbitrary: fc.tuple(payload, payload) },
        );
  return fc.record({ role: fc.constantFrom(...FUZZ_ROLES), payloads });
}
