import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { CapturedRequest } from "./ceiling.ts";

const run = promisify(execFile);

export interface PgbenchResult {
  tps: number;
  latencyAverageMs: number;
  transactions: number;
  failed: number;
}

/** The `pgbench` on PATH, or undefined: it is optional. */
export async function findPgbench(): Promise<string | undefined> {
  return run("pgbench", ["--version"]).then(
    ({ stdout }) => stdout.trim(),
    () => undefined,
  );
}

/** A parameter written as an SQL literal (pgbench scripts cannot bind arbitrary values). */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  const text =
    value instanceof Date
      ? value.toISOString()
      : Array.isArray(value)
        ? `{${value.map((item) => JSON.stringify(String(item))).join(",")}}`
        : typeof value === "object"
          ? JSON.stringify(value)
          : String(value);
  return `'${text.replace(/'/g, "''")}'`;
}

/** One request as a pgbench script: every statement in order, parameters inlined. */
function script(request: CapturedRequest): string {
  return request.waves
    .flat()
    .map(
      ({ statement, parameters }) =>
        `${statement.replace(/\$(\d+)/g, (_, n: string) => literal(parameters[Number(n) - 1])).replace(/\s+/g, " ")};`,
    )
    .join("\n");
}

/**
 * The same captured requests through pgbench (extended protocol, one client per
 * pooled connection), for a reading of the ceiling without Node in the loop.
 */
export async function runPgbench(
  url: string,
  variants: CapturedRequest[],
  options: { clients: number; durationSeconds: number },
): Promise<PgbenchResult> {
  const folder = await mkdtemp(join(tmpdir(), "inkwell-pgbench-"));
  try {
    const files: string[] = [];
    for (const [index, variant] of variants.entries()) {
      const file = join(folder, `request-${index}.sql`);
      await writeFile(file, `${script(variant)}\n`);
      files.push("-f", `${file}@1`);
    }
    const { stdout } = await run(
      "pgbench",
      [
        "-n",
        "-M",
        "extended",
        "-c",
        String(options.clients),
        "-j",
        "2",
        "-T",
        String(options.durationSeconds),
        ...files,
        url,
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    const number = (pattern: RegExp) => Number(stdout.match(pattern)?.[1] ?? Number.NaN);
    return {
      tps: number(/tps = ([\d.]+) \(without initial connection time\)/),
      latencyAverageMs: number(/latency average = ([\d.]+) ms/),
      transactions: number(/number of transactions actually processed: (\d+)/),
      failed: number(/number of failed transactions: (\d+)/) || 0,
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
