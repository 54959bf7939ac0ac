import { spawn } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "@inkwell/config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/index.ts";

const cli = join(import.meta.dirname, "seed.ts");
const small = [
  "--users",
  "5",
  "--articles",
  "4",
  "--comments",
  "3",
  "--favorites",
  "2",
  "--follows",
  "2",
  "--tags",
  "3",
];

/** `pnpm db:seed` as a person (or a script, with no terminal) runs it. */
function runSeed(url: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", cli, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, DATABASE_URL: url },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}

async function snapshot(database: TestDatabase): Promise<string> {
  const [row] = await database.sql<{ rows: string }[]>`
    select concat_ws('|',
      (select string_agg(u::text, ',' order by id) from users u),
      (select string_agg(e::text, ',' order by id) from audit_events e)) as rows`;
  return row?.rows ?? "";
}

describe("pnpm db:seed", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    // The bootstrap admin and their audit trail, as a server's first start and first sign-in leave them.
    await database.sql`insert into users (email, username, password_hash, role)
                       values ('root@inkwell.local', 'admin', 'argon2-hash', 'admin')`;
    await database.sql`insert into audit_events (actor_id, action) values (1, 'auth.signIn'), (1, 'auth.signOut')`;
  });
  afterAll(() => database.drop());

  it("without --reset, refuses a database with only the bootstrap admin: exit code 1, nothing changed", async () => {
    const before = await snapshot(database);
    const { code, stdout, stderr } = await runSeed(database.url, small);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^The database is not empty \(audit_events: 2, users: 1\); nothing was changed\./);
    expect(stderr).toContain("--reset");
    expect(stdout).toBe("");
    expect(await snapshot(database)).toBe(before);
  });

  it("with --reset, prints what it deletes per table before deleting it, then seeds", async () => {
    const { code, stdout, stderr } = await runSeed(database.url, [...small, "--reset"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const announced = stdout.slice(0, stdout.indexOf("Seeded in"));
    expect(announced).toMatch(/^--reset deletes 3 rows:\n/);
    const perTable = Object.fromEntries(
      [...announced.matchAll(/^ {2}(\w+) +(\d+)$/gm)].map(([, table, count]) => [table, Number(count)]),
    );
    expect(perTable).toEqual({
      account_tokens: 0,
      api_keys: 0,
      article_tags: 0,
      articles: 0,
      audit_events: 2,
      comments: 0,
      favorites: 0,
      follows: 0,
      sessions: 0,
      tags: 0,
      two_factor_challenges: 0,
      two_factor_recovery_codes: 0,
      user_two_factor: 0,
      oauth_flows: 0,
      passkeys: 0,
      user_identities: 0,
      webauthn_challenges: 0,
      webhook_attempts: 0,
      webhook_deliveries: 0,
      webhook_endpoints: 0,
      users: 1,
    });
    const [after] = await database.sql`
      select (select count(*)::int from users) as users, (select count(*)::int from audit_events) as events,
             (select count(*)::int from users where email = 'root@inkwell.local') as "oldAdmin"`;
    expect(after).toEqual({ users: 5, events: 0, oldAdmin: 0 });
  });

  it("exits 2 with the usage on a bad flag, before touching the database", async () => {
    const { code, stderr } = await runSeed("postgres://nobody@127.0.0.1:1/none", ["--users", "many"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--users expects a whole number ≥ 0, got "many"\nUsage: pnpm db:seed/);
  });
});
