import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../testing/index.ts";
import { Callers } from "./callers.ts";
import { ensureContent, knownValues } from "./fixtures.ts";
import { routerProcedures } from "./procedures.ts";
import { describeFinding, type Finding, type FuzzSettings, fuzzProcedure, summarizeFindings } from "./runner.ts";

/**
 * Every procedure of the router, over real HTTP against a real server and
 * database, called anonymously, as a plain user and as an admin with inputs
 * generated from its own zod schema and mixed with hostile values. For every
 * call: no 5xx, no SQL, stack trace or file path in the answer, and every
 * mutation that reached its procedure has its audit row.
 *
 * FUZZ_RUNS (default 15) sets the requests per procedure (FUZZ_RUNS=100 for a deeper local run), FUZZ_SEED the seed;
 * FUZZ_TRACE=1 prints every request.
 */
const procedures = routerProcedures();
const numRuns = Number(process.env.FUZZ_RUNS ?? 15);
const seed = Number(process.env.FUZZ_SEED ?? 20_251_130);

let server: TestServer;
let settings: FuzzSettings;
const allFindings: Finding[] = [];

beforeAll(async () => {
  server = await startTestServer({
    // The fuzz sends thousands of requests from one address; limits would answer 429 and hide the rest.
    RATE_LIMIT_IP_PER_MINUTE: "0",
    RATE_LIMIT_CREDENTIAL_PER_MINUTE: "0",
    // A request this slow is a finding (504), not something to wait for.
    REQUEST_TIMEOUT_MS: "10000",
  });
  const callers = new Callers(server.url, server.database.sql);
  await callers.start();
  settings = {
    url: server.url,
    sql: server.database.sql,
    callers,
    procedures: new Map(procedures.map((procedure) => [procedure.path, procedure])),
    seed,
    numRuns,
    maxFindings: 8,
    shrinkTimeLimitMs: 3_000,
    trace: Boolean(process.env.FUZZ_TRACE),
  };
});
afterAll(async () => {
  if (allFindings.length > 0) console.log(`Failure classes of this run:\n${summarizeFindings(allFindings)}`);
  await server?.close();
});

describe("the router over HTTP, fuzzed from its own input schemas", () => {
  it("finds every procedure by walking the router", () => {
    expect(procedures.length).toBeGreaterThan(40);
    expect(new Set(procedures.map((p) => p.type))).toEqual(new Set(["query", "mutation", "subscription"]));
  });

  it.each(procedures)(
    "$path ($type)",
    async (procedure) => {
      await ensureContent(server.url, server.database.sql, settings.callers);
      const known = await knownValues(server.database.sql, settings.callers);
      const findings = await fuzzProcedure(procedure, known, settings);
      allFindings.push(...findings);
      if (findings.length > 0) {
        throw new Error(`${findings.length} kind(s) of failure:\n\n${findings.map(describeFinding).join("\n\n")}`);
      }
    },
    180_000,
  );
});
