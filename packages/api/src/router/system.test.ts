import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DATABASE_UNAVAILABLE } from "../errors.ts";
import { expectTRPCError } from "../testing/errors.ts";
import { createHarness, type Harness } from "../testing/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe("system.status", () => {
  it("tells nothing to an anonymous caller or a plain user", async () => {
    await expectTRPCError((await h.as()).system.status(), "UNAUTHORIZED");
    const { token } = await h.signedIn("user");
    const refused = await expectTRPCError((await h.as({ bearer: token })).system.status(), "FORBIDDEN");
    expect(refused.message).toBe('You need the "dashboard:read" permission to do this.');
  });

  it("gives a moderator the version, the database latency and the migration count", async () => {
    const { token } = await h.signedIn("moderator");
    const status = await (await h.as({ bearer: token })).system.status();
    expect(status.version).toBe("0.0.0-test");
    expect(status.database).toMatchObject({ reachable: true, migrations: { pending: 0 } });
    if (!status.database.reachable) throw new Error("unreachable");
    expect(status.database.latencyMs).toBeGreaterThanOrEqual(0);
    expect(status.database.migrations.applied).toBe(status.database.migrations.expected);
    expect(status.database.migrations.expected).toBeGreaterThan(0);
  });

  it("reports a failing database check without the database's own error text", async () => {
    const { token } = await h.signedIn("admin");
    const admin = await h.as({ bearer: token });
    const leak = "could not connect to db-internal.example:5432 as inkwell_owner";
    // A real PostgreSQL error from the very query the check runs: the migrations table becomes a view that raises.
    await h.database.sql.unsafe(`
      create function drizzle.failing_hashes() returns setof text language plpgsql
        as $$ begin raise exception '${leak}'; end $$;
      alter table drizzle.__drizzle_migrations rename to __drizzle_migrations_kept;
      create view drizzle.__drizzle_migrations as select hash from drizzle.failing_hashes() as hash;
    `);
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const status = await admin.system.status();
      expect(status).toEqual({ version: "0.0.0-test", database: { reachable: false, error: DATABASE_UNAVAILABLE } });
      expect(JSON.stringify(status)).not.toContain("inkwell_owner");
      // The details are for the operator's log.
      expect(String(logged.mock.calls[0]?.[1])).toContain(leak);
    } finally {
      logged.mockRestore();
      await h.database.sql.unsafe(`
        drop view drizzle.__drizzle_migrations;
        drop function drizzle.failing_hashes();
        alter table drizzle.__drizzle_migrations_kept rename to __drizzle_migrations;
      `);
    }
    expect((await admin.system.status()).database.reachable).toBe(true);
  });
});
