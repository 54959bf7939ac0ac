import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCliRunner } from "./testing/run-cli.ts";
import { signUp, startTestServer, type TestServer } from "./testing/server.ts";

let server: TestServer;
let runner: Awaited<ReturnType<typeof createCliRunner>>;
let owner: { token: string; username: string };

beforeAll(async () => {
  server = await startTestServer();
  runner = await createCliRunner(server.url);
  owner = await signUp(server.url, "keyholder");
});
afterAll(async () => {
  await runner?.cleanup();
  await server?.close();
});

const asOwner = (args: string[]) => runner.at(args, { INKWELL_TOKEN: owner.token });

describe("keys", () => {
  it("creates a key shown once, which then authenticates until it is revoked", async () => {
    const created = await asOwner([
      "--json",
      "keys",
      "create",
      "--name",
      "ci",
      "--scope",
      "articles:write,keys:manage",
    ]);
    expect(created.code).toBe(0);
    const key = JSON.parse(created.stdout);
    expect(key).toMatchObject({ name: "ci", scopes: ["articles:write", "keys:manage"], expiresAt: null });
    expect(typeof key.key).toBe("string");

    const whoami = await runner.at(["whoami", "--api-key", key.key]);
    expect(whoami.code).toBe(0);
    expect(whoami.stdout).toContain(owner.username);
    expect(whoami.stdout).toContain('API key "ci"');

    const listed = await asOwner(["keys", "list"]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain("ci");
    expect(listed.stdout).not.toContain(key.key);

    const revoked = await asOwner(["keys", "revoke", String(key.id)]);
    expect(revoked).toMatchObject({ code: 0, stdout: `Revoked key ${key.id} (ci).\n` });

    const refused = await runner.at(["whoami", "--api-key", key.key]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/invalid, expired or revoked/);
  });

  it("refuses a key living over a year, and prints a new key once with its expiry", async () => {
    const result = await asOwner(["keys", "create", "--name", "deploy", "--expires", "2099-01-01"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Keys last at most a year.");

    const nextMonth = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString();
    const ok = await asOwner(["keys", "create", "--name", "deploy", "--expires", nextMonth]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Key \(shown only now; store it safely\): \S+/);
    expect(ok.stdout).toContain(nextMonth.slice(0, 10));
  });

  it("refuses what the server refuses, with its reason, and bad values as usage errors", async () => {
    const beyond = await asOwner(["keys", "create", "--name", "x", "--scope", "users:manage"]);
    expect(beyond.code).toBe(1);
    expect(beyond.stderr).toContain("You cannot grant permissions you do not hold: users:manage.");

    const missing = await asOwner(["keys", "revoke", "999999"]);
    expect(missing).toMatchObject({ code: 1, stderr: "Error: No such active key of yours.\n" });

    expect((await asOwner(["keys", "create", "--name", "x", "--expires", "soon"])).code).toBe(2);
    expect((await asOwner(["keys", "create"])).code).toBe(2);
  });

  it("lets operators list users, and no one else", async () => {
    const refused = await asOwner(["users", "list"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('You need the "users:read" permission');

    await runner.at(["login", "--email", "admin@example.com", "--password", "admin password 1"]);
    const listed = await runner.at(["--json", "users", "list", "--search", "keyholder", "--page-size", "5"]);
    expect(listed.code).toBe(0);
    const page = JSON.parse(listed.stdout);
    expect(page).toMatchObject({ total: 1, page: 1, pageSize: 5 });
    expect(page.users[0].username).toBe(owner.username);

    const table = await runner.at(["users", "list", "--role", "admin"]);
    expect(table.stdout).toContain("admin@example.com");
    expect(table.stdout).not.toContain("keyholder");
    expect(table.stdout).toContain("Page 1 of 1 (1 users)");

    const badRole = await runner.at(["users", "list", "--role", "emperor"]);
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toMatch(/^Error: role: /);
  });
});
