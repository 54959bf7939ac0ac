import type { SqlClient } from "@inkwell/db";
import fc from "fast-check";
import type { Callers, FuzzRole } from "./callers.ts";
import { inputTraits } from "./input-traits.ts";
import type { KnownValues } from "./json-schema.ts";
import { auditViolations, leaks, serverErrors, type Violation } from "./oracle.ts";
import type { ProcedureInfo } from "./procedures.ts";
import { type FuzzRequest, requestArbitrary } from "./requests.ts";
import { payloadText, send, type WireRequest, type WireResponse } from "./wire.ts";

export interface FuzzSettings {
  url: string;
  sql: SqlClient;
  callers: Callers;
  procedures: ReadonlyMap<string, ProcedureInfo>;
  seed: number;
  numRuns: number;
  /** Stop looking for further kinds of failure in one procedure after this many. */
  maxFindings: number;
  /** Time for shrinking one failure (each step is a request). */
  shrinkTimeLimitMs: number;
  /** Print one line per request (procedure, caller, time, status, input). */
  trace: boolean;
}

/** A failing call, shrunk by fast-check, with what it broke. */
export interface Finding {
  procedure: string;
  role: FuzzRole;
  request: FuzzRequest;
  response: WireResponse;
  violations: Violation[];
  /** The hostile ingredients of the input (see input-traits.ts). */
  traits: string[];
  shrinks: number;
}

class FuzzFailure extends Error {
  constructor(readonly finding: Omit<Finding, "shrinks">) {
    super(finding.violations.map((v) => v.kind).join("; "));
  }
}

let requestCounter = 0;

/** Sends one generated request and checks every rule on its answer. */
async function exercise(
  procedure: ProcedureInfo,
  sample: FuzzRequest,
  settings: FuzzSettings,
): Promise<{ response: WireResponse; violations: Violation[] }> {
  requestCounter++;
  const request: WireRequest = {
    calls: sample.payloads.map((payload) => ({ path: procedure.path, type: procedure.type, payload })),
    headers: settings.callers.headers(sample.role),
    requestId: `fuzz-${process.pid}-${requestCounter}`,
  };
  const started = performance.now();
  const response = await send(settings.url, request);
  if (settings.trace) {
    const inputs = request.calls.map((call) => payloadText(call.payload).slice(0, 80)).join(" | ");
    console.log(
      `${procedure.path} ${sample.role} ${Math.round(performance.now() - started)}ms ${response.status} ${inputs}`,
    );
  }
  const violations = [
    ...serverErrors(response),
    ...leaks(response.body),
    ...(await auditViolations(settings.sql, settings.procedures, request, response)),
  ];
  // A change went through: it may have ended a caller (deleted, suspended, signed out, demoted).
  if (procedure.type === "mutation" && response.answers.some((answer) => answer.httpStatus < 300)) {
    await settings.callers.heal();
  }
  return { response, violations };
}

/** A stable per-procedure seed: adding a procedure does not change what the others get. */
function seedFor(path: string, seed: number): number {
  let hash = 2166136261;
  for (const char of path) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  return (hash ^ seed) | 0;
}

/**
 * Fuzzes one procedure. fast-check stops at the first failing request, which
 * is then shrunk; to see every kind of failure, the search runs again (same
 * seed) with the kinds already found set aside, until none is left. (A kind
 * found once hides other causes of the same kind in this procedure until it
 * is fixed.)
 */
export async function fuzzProcedure(
  procedure: ProcedureInfo,
  known: KnownValues,
  settings: FuzzSettings,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  const setAside = new Set<string>();
  const arbitrary = requestArbitrary(procedure, known);
  const seed = seedFor(procedure.path, settings.seed);
  while (findings.length < settings.maxFindings) {
    const property = fc.asyncProperty(arbitrary, async (sample) => {
      const { response, violations } = await exercise(procedure, sample, settings);
      const fresh = violations.filter((violation) => !setAside.has(violation.kind));
      if (fresh.length > 0) {
        throw new FuzzFailure({
          procedure: procedure.path,
          role: sample.role,
          request: sample,
          response,
          violations,
          // Only for the report: reading them off every request (megabytes of text) cost more than the checks.
          traits: inputTraits(sample.payloads),
        });
      }
    });
    // Search without shrinking, then shrink the failure found within a time limit (each step is a request).
    const search = await fc.check(property, { seed, numRuns: settings.numRuns, endOnFailure: true });
    if (!search.failed) break;
    if (!(search.errorInstance instanceof FuzzFailure)) throw search.errorInstance;
    const shrink = await fc.check(property, {
      seed,
      numRuns: settings.numRuns,
      path: search.counterexamplePath ?? undefined,
      interruptAfterTimeLimit: settings.shrinkTimeLimitMs,
    });
    // Replayed against a database that has moved on, the failure may not come back: keep the first one then.
    const shrunk = shrink.failed && shrink.errorInstance instanceof FuzzFailure;
    const { finding } = shrunk ? (shrink.errorInstance as FuzzFailure) : search.errorInstance;
    findings.push({ ...finding, shrinks: shrunk ? shrink.numShrinks : 0 });
    for (const violation of finding.violations) setAside.add(violation.kind);
  }
  return findings;
}

function excerpt(text: string, max: number): string {
  const shown = JSON.stringify(text.slice(0, max));
  return text.length > max ? `${shown}… (${text.length} chars)` : shown;
}

/** A finding as a person reads it: procedure, caller, input, status, what broke, and the answer. */
export function describeFinding(finding: Finding): string {
  const { request, response } = finding;
  const inputs = request.payloads.map((payload) => excerpt(payloadText(payload), 300));
  return [
    `${finding.procedure} as ${finding.role}: ${finding.violations.map((v) => v.kind).join("; ")}`,
    `  input has: ${finding.traits.join(", ") || "nothing hostile"}`,
    `  request: ${response.method} ${excerpt(response.url, 300)}${request.payloads.length > 1 ? " (batch)" : ""}`,
    ...inputs.map((input, i) => `  input${inputs.length > 1 ? ` ${i}` : ""} (superjson envelope): ${input}`),
    `  answer: ${response.status || response.transportError} ${excerpt(response.body, 400)}`,
    ...finding.violations.map((v) => `  - ${v.kind}: ${excerpt(v.detail, 300)}`),
    `  (shrunk ${finding.shrinks} times)`,
  ].join("\n");
}

/** Every kind of failure of the run, with where it showed and the ingredients of its shrunk input. */
export function summarizeFindings(findings: readonly Finding[]): string {
  const kinds = new Map<string, string[]>();
  for (const finding of findings) {
    const where = `${finding.procedure} as ${finding.role} [${finding.traits.join(", ")}]`;
    for (const { kind } of finding.violations) kinds.set(kind, [...(kinds.get(kind) ?? []), where]);
  }
  return [...kinds]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, where]) => `- ${kind}:\n    ${where.join("\n    ")}`)
    .join("\n");
}
