import { connect } from "@inkwell/db";
import type { CapturedRequest } from "./ceiling.ts";
import { literal } from "./pgbench.ts";

const oneLine = (statement: string) => statement.replace(/\s+/g, " ").trim();

/**
 * Plans of the first captured request's statements: as the server runs them
 * (unnamed, planned for the values), and as a named prepared statement that
 * PostgreSQL switches to a generic plan (what `plan_cache_mode = auto` picks
 * after five executions when the generic plan looks no dearer).
 */
export async function explainCaptured(url: string, name: string, request: CapturedRequest): Promise<string> {
  const { sql, close } = connect({ url, maxConnections: 1, applicationName: "inkwell-bench-explain" });
  const out: string[] = [`## ${name}`, ""];
  try {
    const reserved = await sql.reserve();
    try {
      for (const [index, { statement, parameters }] of request.waves.flat().entries()) {
        out.push("```sql", oneLine(statement), "```", `parameters: ${JSON.stringify(parameters)}`, "");
        const custom = await reserved.unsafe(
          `explain (analyze, buffers, costs off) ${statement}`,
          parameters as never[],
        );
        out.push("Planned for the values (as sent by the server):", "```");
        for (const row of custom) out.push(String(row["QUERY PLAN"]));
        out.push("```");

        const prepared = `bench_explain_${index}`;
        await reserved.unsafe(`set plan_cache_mode = force_generic_plan`);
        await reserved.unsafe(`prepare ${prepared} as ${statement}`);
        const values = parameters.map(literal).join(", ");
        const generic = await reserved.unsafe(
          `explain (analyze, buffers, costs off) execute ${prepared}${parameters.length ? `(${values})` : ""}`,
        );
        out.push("Generic plan (a named prepared statement after five runs, if PostgreSQL prefers it):", "```");
        for (const row of generic) out.push(String(row["QUERY PLAN"]));
        out.push("```", "");
        await reserved.unsafe(`deallocate ${prepared}`);
        await reserved.unsafe(`reset plan_cache_mode`);
      }
    } finally {
      reserved.release();
    }
  } finally {
    await close();
  }
  return out.join("\n");
}
