import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { createInkwellClient } from "@inkwell/client";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP } from "@oslojs/otp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCliRunner } from "./testing/run-cli.ts";
import { signUp, startTestServer, type TestServer } from "./testing/server.ts";

let server: TestServer;
let runner: Awaited<ReturnType<typeof createCliRunner>>;
let account: Awaited<ReturnType<typeof signUp>>;
let key: Uint8Array;
let recoveryCodes: string[];

const codeFor = (stepsAhead: number) => generateHOTP(key, BigInt(Math.floor(Date.now() / 30_000) + stepsAhead), 6);

beforeAll(async () => {
  server = await startTestServer();
  runner = await createCliRunner(server.url);
  account = await signUp(server.url, "guarded");
  const client = createInkwellClient({ url: server.url, token: account.token });
  const { secret } = await client.auth.twoFactor.beginEnrolment.mutate();
  key = decodeBase32IgnorePadding(secret);
  ({ recoveryCodes } = await client.auth.twoFactor.confirmEnrolment.mutate({ code: codeFor(0) }));
});
afterAll(async () => {
  await runner?.cleanup();
  await server?.close();
});

const login = (...extra: string[]) =>
  runner.at(["login", "--email", account.email, "--password", account.password, ...extra]);

describe("login with two-factor sign-in", () => {
  it("needs the code: without a terminal to ask on, a usage error naming --code", async () => {
    const result = await login();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Pass --code, or run in a terminal to be asked.");
  });

  it("refuses a wrong code with the server's message, storing nothing", async () => {
    const wrong = codeFor(1) === "000000" ? "000001" : "000000";
    const result = await login("--code", wrong);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("The code is incorrect.");
    await expect(stat(join(runner.configDir, "config.json"))).rejects.toThrow(/ENOENT/);
  });

  it("signs in with --code, and then with --recovery-code", async () => {
    const withCode = await login("--code", codeFor(1));
    expect(withCode).toMatchObject({ code: 0, stderr: "" });
    expect(withCode.stdout).toContain("as guarded");
    const { token } = JSON.parse(await readFile(join(runner.configDir, "config.json"), "utf8"));
    expect((await runner.cli(["whoami"])).stdout).toContain(account.email);

    const withRecovery = await login("--recovery-code", recoveryCodes[0] ?? "");
    expect(withRecovery.code).toBe(0);
    const again = JSON.parse(await readFile(join(runner.configDir, "config.json"), "utf8"));
    expect(again.token).not.toBe(token);
  });
});
