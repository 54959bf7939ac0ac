/**
 * Values a hostile client sends. Nothing here may contain the words the leak
 * check looks for (SQL keywords, stack lines, file paths), or an echo of
 * our own input would read as a leak.
 */

/** Where the value travels: a GET query string is limited by the header size, a POST body by BODY_LIMIT_BYTES. */
export type Transport = "get" | "post";

/** The two halves of a forged keyset cursor (base64url JSON `[createdAt, id]`), mixed freely. */
export const CURSOR_TIMES: readonly unknown[] = [
  "+275760-09-13T00:00:00.000Z",
  "-271821-04-20T00:00:00.000Z",
  "+010000-01-01T00:00:00.000Z",
  "0000-01-01T00:00:00.000Z",
  "2024-01-01T00:00:00.000Z",
  "2024-01-01T00:00:00.000Z\u0000",
  "1",
  "x",
  null,
];
export const CURSOR_IDS: readonly unknown[] = [1, 1e30, 2 ** 31, 2 ** 53 + 2, -1, 0.5, "1", null];

export const encodeCursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** Cursors of the wrong shape altogether. */
export const MALFORMED_CURSORS: readonly string[] = [
  encodeCursor({ createdAt: "2024-01-01T00:00:00.000Z", id: 1 }),
  encodeCursor([]),
  encodeCursor("x"),
  Buffer.from([0xff, 0xfe, 0x00, 0x80]).toString("base64url"),
  "not base64 !!",
  "%%%",
  "====",
];

/** A few forged cursors for fields that are not known to carry one. */
const SOME_FORGED_CURSORS = [
  encodeCursor(["+275760-09-13T00:00:00.000Z", 1]),
  encodeCursor(["x", 1e30]),
  ...MALFORMED_CURSORS.slice(0, 2),
];

/** Strings that fit most length limits but not most assumptions. */
const SHORT_STRINGS: readonly string[] = [
  "\u0000",
  "a\u0000b",
  "\u0000\u0000\u0000",
  "\uD800",
  "a\uDFFFb",
  "\uDBFF\uDFFF",
  "\u202Eevil",
  "\uFEFF",
  "\u200B",
  "👩‍👩‍👧‍👦",
  "Ａ",
  "ǅ",
  "\r\n",
  "\t",
  " ",
  "",
  "'\"\\`",
  "%",
  "_",
  "\\",
  "'; drop table users; --",
  "1 OR 1=1",
  "../../../etc/passwd",
  "<script>alert(1)</script>",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4j-style lookup, sent as text on purpose.
  "${jndi:ldap://x}",
  "{{7*7}}",
  "-1",
  "0",
  "1e309",
  "NaN",
  "null",
  "undefined",
  "[]",
  "{}",
  "2147483648",
  "9223372036854775808",
  "+275760-09-13T00:00:00.000Z",
  "a@b.co\u0000",
  "https://example.com/\u0000",
  "javascript:alert(1)",
  ...SOME_FORGED_CURSORS,
];

/** One large string per transport: a 1 MB body still under the default body limit, one just over it, or what fits a URL. */
export function longStrings(transport: Transport): string[] {
  return transport === "post"
    ? ["x".repeat(1_000_000), "x".repeat(1024 * 1024 + 1), "\u0000".repeat(100_000), "é".repeat(300_000)]
    : ["x".repeat(4_000), "\u0000".repeat(500)];
}

export function hostileStrings(transport: Transport): string[] {
  return [...SHORT_STRINGS, ...longStrings(transport)];
}

/** Numbers JSON cannot carry but superjson can (NaN, ±Infinity, -0, BigInt), and numbers no column takes. */
export const HOSTILE_NUMBERS: readonly unknown[] = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  0,
  -1,
  0.5,
  1.5,
  1e308,
  -1e308,
  2 ** 31,
  2 ** 31 - 1,
  -(2 ** 31),
  2 ** 53,
  2 ** 53 + 2,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e21,
  10n ** 30n,
  1n,
];

/** The first and last instants a JavaScript Date holds, and others PostgreSQL or ISO strings handle badly. */
export const HOSTILE_DATES: readonly Date[] = [
  new Date(8.64e15),
  new Date(-8.64e15),
  new Date(0),
  new Date(-1),
  new Date(Date.UTC(10_000, 0, 1)),
  new Date("0000-01-01T00:00:00.000Z"),
  new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999)),
  new Date(Date.UTC(1, 0, 1)),
];

/** A value of the wrong type for any field. */
export const WRONG_TYPES: readonly unknown[] = [
  null,
  undefined,
  true,
  false,
  0,
  "",
  "x",
  [],
  [null],
  {},
  { "0": 1 },
  new Map([[1, 2]]),
  new Set([1]),
  /x/,
  new Date(0),
  10n ** 30n,
  Number.NaN,
];

/** Keys a schema does not declare, some of which mean something to JavaScript or to the audit summary. */
export const EXTRA_KEYS: readonly string[] = [
  "__proto__",
  "constructor",
  "prototype",
  "\u0000",
  "x\u0000y",
  "\uD800",
  "",
  "extra",
  "password",
  "token",
  "id",
  "role",
  "a".repeat(300),
];

function nested(depth: number, wrap: (inner: unknown) => unknown): unknown {
  let value: unknown = 0;
  for (let i = 0; i < depth; i++) value = wrap(value);
  return value;
}

function manyKeys(count: number, value: unknown): Record<string, unknown> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, value]));
}

/**
 * Nesting too deep to build as a value here (JSON.stringify would overflow the
 * stack): superjson envelopes written as text.
 */
export function deepEnvelopes(transport: Transport): string[] {
  const depth = transport === "post" ? 100_000 : 1_500;
  return [
    `{"json":${"[".repeat(depth)}${"]".repeat(depth)}}`,
    `{"json":${'{"a":'.repeat(depth)}0${"}".repeat(depth)}}`,
    `{"json":{"a":0},"meta":{"values":{"${"a.".repeat(depth)}a":["undefined"]}}}`,
  ];
}

/** Whole inputs that no schema expects: deep nesting, thousands of keys, big arrays, wrong root types. */
export function hostileRoots(transport: Transport): unknown[] {
  const big = transport === "post";
  return [
    ...WRONG_TYPES,
    nested(1_000, (inner) => [inner]),
    nested(1_000, (inner) => ({ a: inner })),
    manyKeys(big ? 2_000 : 300, 1),
    manyKeys(big ? 2_000 : 100, "\u0000"),
    Array.from({ length: big ? 20_000 : 500 }, () => 0),
    JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'),
    "x".repeat(big ? 1_000_000 : 4_000),
  ];
}
