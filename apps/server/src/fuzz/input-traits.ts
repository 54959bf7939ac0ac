import { type Payload, payloadText } from "./wire.ts";

/**
 * The hostile ingredients of a request, read off what went on the wire, so a
 * failure report says what in the input is the likely cause.
 */
const TRAITS: readonly (readonly [string, (text: string, payload: Payload) => boolean])[] = [
  ["U+0000", (text) => text.includes("\\u0000") || text.includes("\u0000")],
  // JSON.stringify writes a lone surrogate as an escape (paired ones stay characters).
  ["lone surrogate", (text) => /\\ud[89a-f][0-9a-f]{2}/i.test(text)],
  ["date beyond year 9999 or before year 1", (text) => /"[+-]\d{6}-\d\d-\d\dT|"0000-\d\d-\d\dT/.test(text)],
  ["BigInt", (text) => text.includes('["bigint"]')],
  ["NaN or Infinity", (text) => /"(NaN|-?Infinity)"[^}]*"number"/.test(text)],
  ["key __proto__, constructor or prototype", (text) => /"(__proto__|constructor|prototype)":/.test(text)],
  ["hand-written superjson type tags", (_text, payload) => "envelope" in payload],
  ["not a superjson envelope", (_text, payload) => "text" in payload],
  ["body over 1 MiB", (text) => text.length > 1024 * 1024],
  ["nesting deeper than 500", (text) => /\[{500}|(\{"a":){500}/.test(text)],
  ["thousands of keys", (text) => /"(extra|k)1999"/.test(text)],
];

/** Strings that decode as base64url JSON (keyset cursors), shown decoded. */
function cursors(text: string): string[] {
  return [...text.matchAll(/"([A-Za-z0-9_-]{8,})"/g)].flatMap(([, candidate]) => {
    const decoded = Buffer.from(candidate ?? "", "base64url").toString("utf8");
    try {
      return typeof JSON.parse(decoded) === "object" ? [`cursor ${decoded}`] : [];
    } catch {
      return [];
    }
  });
}

export function inputTraits(payloads: readonly Payload[]): string[] {
  const found = new Set<string>();
  for (const payload of payloads) {
    const text = payloadText(payload);
    for (const [name, test] of TRAITS) if (test(text, payload)) found.add(name);
    for (const cursor of cursors(text)) found.add(cursor);
  }
  return [...found];
}
