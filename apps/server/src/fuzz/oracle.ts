import { resolve } from "node:path";
import type { SqlClient } from "@inkwell/db";
import { acceptsInput, type ProcedureInfo } from "./procedures.ts";
import { type CallAnswer, deserializedInput, type WireRequest, type WireResponse } from "./wire.ts";

/** One broken rule. `kind` names the class of failure (one finding per procedure and kind). */
export interface Violation {
  kind: string;
  detail: string;
}

const repoRoot = resolve(import.meta.dirname, "../../../..");
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** What no answer may contain: SQL, database error text, stack traces, where the code lives. */
const LEAKS: readonly (readonly [string, RegExp])[] = [
  // Drizzle's statements quote identifiers, which JSON escapes: `select \"id\" from \"users\"`.
  ["SQL text", /Failed query|\bselect [^"]{0,40}\\"|\binsert into\b|\bdelete from\b|\bupdate \\"|\bparams: /],
  [
    "PostgreSQL error text",
    /invalid byte sequence|invalid input syntax|out of range for type|violates [a-z ]*constraint|syntax error at or near|duplicate key value|PostgresError|date\/time field value out of range|time zone displacement/,
  ],
  ["stack trace", /(\\n|\n)\s+at \S|"stack":/],
  ["file path of the repository", new RegExp(escapeRegExp(repoRoot))],
  ["node_modules path", /node_modules/],
  ["file URL", /file:\/\//],
];

export function leaks(body: string): Violation[] {
  return LEAKS.flatMap(([name, pattern]) => {
    const match = pattern.exec(body);
    if (!match) return [];
    const start = Math.max(0, match.index - 60);
    return [{ kind: `leaks ${name}`, detail: `…${body.slice(start, match.index + 120)}…` }];
  });
}

export function serverErrors(response: WireResponse): Violation[] {
  if (response.transportError) return [{ kind: "no HTTP answer", detail: response.transportError }];
  const broken = response.brokenConnection
    ? [{ kind: "keep-alive connection closed under the next request", detail: response.brokenConnection }]
    : [];
  const statuses = new Set([response.status, ...response.answers.map((answer) => answer.httpStatus)]);
  const fiveHundreds = [...statuses]
    .filter((status) => status >= 500)
    .map((status) => ({
      kind: `HTTP ${status}`,
      detail: response.answers.map((answer) => answer.errorCode ?? "").join(",") || String(status),
    }));
  return [...fiveHundreds, ...broken];
}

/** Whether the answer came from the tRPC handler (a result or error envelope), not from a middleware in front. */
function fromProcedure(answer: CallAnswer): boolean {
  try {
    const parsed = JSON.parse(answer.body) as { result?: unknown; error?: { json?: unknown } };
    return parsed !== null && (parsed.result !== undefined || parsed.error?.json !== undefined);
  } catch {
    return false;
  }
}

/** What a call of a batch tRPC cannot read gets: no input, which only a procedure that takes none runs with. */
function inputOfUnreadBatch(procedure: ProcedureInfo): { input: undefined } | "invalid" {
  return procedure.parsers.length === 0 ? { input: undefined } : "invalid";
}

interface Expected {
  path: string;
  outcome: "success" | "failure";
  code: string | null;
}

interface AuditRow {
  action: string;
  outcome: string | null;
  code: string | null;
}

/**
 * The audit rule: every mutation that reached its procedure leaves an
 * `audit_events` row with this request's id, its path as the action and its
 * outcome, except when its input failed validation. Whether the input was
 * valid is decided here with the procedure's own parsers on what the
 * server's superjson makes of the payload. An invalid input must not succeed.
 */
export async function auditViolations(
  sql: SqlClient,
  procedures: ReadonlyMap<string, ProcedureInfo>,
  request: WireRequest,
  response: WireResponse,
): Promise<Violation[]> {
  const mutations = request.calls
    .map((call, i) => ({ call, answer: response.answers[i] }))
    .filter(({ call }) => call.type === "mutation");
  if (mutations.length === 0 || response.transportError) return [];

  const violations: Violation[] = [];
  const expected: Expected[] = [];
  // tRPC reads a batch's inputs all at once: when one cannot be read (the body is not JSON, or superjson refuses an
  // envelope), no call of the batch gets its input. One that takes input then fails as invalid; one that takes none
  // runs as usual.
  const batchUnreadable =
    request.calls.length > 1 && request.calls.some((call) => deserializedInput(call.payload) === "invalid");
  for (const { call, answer } of mutations) {
    if (!answer || !fromProcedure(answer)) continue;
    const procedure = procedures.get(call.path);
    if (!procedure) continue;
    const succeeded = answer.httpStatus < 300;
    const received = batchUnreadable ? inputOfUnreadBatch(procedure) : deserializedInput(call.payload);
    if (received === "invalid") {
      if (batchUnreadable && succeeded) {
        violations.push({ kind: "unreadable input accepted", detail: `${call.path} answered ${answer.httpStatus}` });
      }
      continue;
    }
    const valid = await acceptsInput(procedure, received.input);
    if (valid || (!succeeded && (answer.errorCode === "UNAUTHORIZED" || answer.errorCode === "FORBIDDEN"))) {
      // Who may call is decided before the input is parsed, so a refused caller is audited whatever the input.
      expected.push({ path: call.path, outcome: succeeded ? "success" : "failure", code: answer.errorCode });
    } else if (succeeded) {
      violations.push({ kind: "invalid input accepted", detail: `${call.path} answered ${answer.httpStatus}` });
    }
  }
  if (expected.length === 0) return violations;

  const rows = await sql<AuditRow[]>`
    select action, details->>'outcome' as outcome, details->'error'->>'code' as code
    from audit_events where request_id = ${request.requestId}`;
  // Each expected row takes one actual row: exact matches first (a batch may call one procedure twice).
  const take = (match: (row: AuditRow) => boolean) => {
    const index = rows.findIndex(match);
    return index < 0 ? undefined : rows.splice(index, 1)[0];
  };
  const exact = (want: Expected) => (row: AuditRow) =>
    row.action === want.path && row.outcome === want.outcome && (want.outcome === "success" || row.code === want.code);
  const unmatched = expected.filter((want) => !take(exact(want)));
  for (const want of unmatched) {
    const other = take((row) => row.action === want.path);
    if (other?.outcome === want.outcome) {
      violations.push({
        kind: "audit row with the wrong error code",
        detail: `${want.path}: answered ${want.code}, recorded ${other.code}`,
      });
    } else if (other) {
      violations.push({
        kind: "audit row with the wrong outcome",
        detail: `${want.path}: answered ${want.outcome}, recorded ${other.outcome}`,
      });
    } else {
      violations.push({
        kind: want.outcome === "success" ? "succeeded without an audit row" : "failed without an audit row",
        detail: `no audit_events row with action ${want.path} and request_id ${request.requestId} (${want.outcome}${want.code ? ` ${want.code}` : ""})`,
      });
    }
  }
  return violations;
}
