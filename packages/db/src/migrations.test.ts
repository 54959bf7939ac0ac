import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationStatus, migrationsFolder } from "./migrations.ts";
import { createTestDatabase, type TestDatabase } from "./testing/index.ts";

const run = promisify(execFile);
const packageDir = join(import.meta.dirname, "..");

describe("migrations", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it("match the schema in code (drizzle-kit generates nothing new)", async () => {
    const scratch = await mkdtemp(join(tmpdir(), "inkwell-drift-"));
    try {
      await cp(migrationsFolder, scratch, { recursive: true });
      const before = await readdir(scratch);
      const { stdout, stderr } = await run(
        "pnpm",
        [
          "exec",
          "drizzle-kit",
          "generate",
          "--dialect=postgresql",
          "--schema=./src/schema/index.ts",
          // drizzle-kit treats --out as relative to the working directory, even when absolute.
          `--out=${relative(packageDir, scratch)}`,
        ],
        { cwd: packageDir },
      );
      const output = `${stdout}${stderr}`;
      const after = await readdir(scratch);
      expect(after, `schema and migrations disagree; run \`pnpm db:generate\`\n${output}`).toEqual(before);
      expect(output).toContain("No schema changes");
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }, 60_000);

  it("are all applied to a database cloned from the test template", async () => {
    const status = await migrationStatus(database.sql);
    expect(status.pending).toBe(0);
    expect(status.applied).toBe(status.expected);
    expect(status.expected).toBeGreaterThan(0);
  });
});
