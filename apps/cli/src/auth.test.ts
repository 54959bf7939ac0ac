import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, createCliRunner } from "./testing/run-cli.ts";
import { ADMIN, startTestServer, type TestServer } from "./testing/server.ts";

let server: TestServer;
let runner: Awaited<ReturnType<typeof createCliRunner>>;

beforeAll(async () => {
  server = await startTestServer();
  runner = await createCliRunner(server.url);
});
afterAll(async () => {
  await runner?.cleanup();
  await server?.close();
});

const login = () => runner.at(["login", "--email", ADMIN.email, "--password", ADMIN.password]);
const storedConfig = async () => JSON.parse(await readFile(join(runner.configDir, "config.json"), "utf8"));
const jsonOf = (result: CliResult) => JSON.parse(result.stdout);

describe("login, whoami, logout", () => {
  it("refuses a wrong password with the server's message, storing nothing", async () => {
    const result = await runner.at(["login", "--email", ADMIN.email, "--password", "wrong password"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Error: .*(password|email)/i);
    await expect(stat(join(runner.configDir, "config.json"))).rejects.toThrow(/ENOENT/);
  });

  it("asks for missing credentials only on a terminal: without one it is a usage error", async () => {
    const result = await runner.at(["login", "--email", ADMIN.email]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Pass --password, or run in a terminal to be asked.");
  });

  it("stores the session in a file only its owner can read, and whoami uses it", async () => {
    const result = await login();
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toContain(`as ${ADMIN.username}`);

    const file = join(runner.configDir, "config.json");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(runner.configDir)).mode & 0o777).toBe(0o700);
    const config = await storedConfig();
    expect(config.url).toBe(server.url);
    expect(config.token).toMatch(/\S{20,}/);

    // No --url: the server comes from the stored login too.
    const whoami = await runner.cli(["whoami"]);
    expect(whoami.code).toBe(0);
    expect(whoami.stdout).toContain(ADMIN.email);
    expect(whoami.stdout).toContain("session");
  });

  it("prints JSON that parses with --json", async () => {
    const result = await runner.at(["--json", "whoami"]);
    expect(result.code).toBe(0);
    const me = jsonOf(result);
    expect(me.user.email).toBe(ADMIN.email);
    expect(me.credential.kind).toBe("session");
    expect(me.permissions).toContain("users:read");
    // Global options may come after the command too.
    expect(jsonOf(await runner.at(["whoami", "--json"])).user.username).toBe(ADMIN.username);
  });

  it("prefers a flag over the environment, and the environment over the stored login", async () => {
    const { token } = await storedConfig();
    const flagWins = await runner.at(["whoami", "--token", "not-a-token"], { INKWELL_TOKEN: token });
    expect(flagWins.code).toBe(1);
    const envWins = await runner.at(["whoami"], { INKWELL_API_KEY: "not-a-key" });
    expect(envWins.code).toBe(1);
    expect(envWins.stderr).toContain("invalid, expired or revoked");
  });

  it("exits 2 on usage errors, printing why", async () => {
    const cases = [
      ["articles", "list", "--limit", "many"],
      ["articles", "frobnicate"],
      ["articles", "create", "--title", "No description"],
      ["--api-key", "a", "--token", "b", "whoami"],
      ["keys", "revoke", "seven"],
      ["articles"],
    ];
    for (const args of cases) {
      const result = await runner.at(args);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).not.toBe("");
    }
  });

  it("logout ends the session on the server and forgets it", async () => {
    const { token } = await storedConfig();
    const result = await runner.cli(["logout"]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(await storedConfig()).toEqual({ url: server.url });

    const whoami = await runner.at(["whoami"]);
    expect(whoami.code).toBe(1);
    expect(whoami.stderr).toBe("Error: Sign in to do this.\n");
    const oldToken = await runner.at(["whoami", "--token", token]);
    expect(oldToken.code).toBe(1);
    expect(oldToken.stderr).toContain("invalid, expired or revoked");
  });

  it("reports an unreachable server as a failure, not a crash", async () => {
    const result = await runner.cli(["--url", "http://127.0.0.1:1", "whoami"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Error: Could not reach the Inkwell server at http:\/\/127\.0\.0\.1:1/);
  });
});
