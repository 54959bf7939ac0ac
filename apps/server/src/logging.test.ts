import { Writable } from "node:stream";
import { parseEnv } from "@inkwell/config";
import { createTestDatabase, type TestDatabase } from "@inkwell/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "./logger.ts";
import { type RunningServer, startServer } from "./server.ts";

const PASSWORD = "very secret password 42";
const lines: Record<string, unknown>[] = [];
let raw = "";
let database: TestDatabase;
let server: RunningServer;

beforeAll(async () => {
  database = await createTestDatabase();
  const destination = new Writable({
    write(chunk, _encoding, done) {
      raw += chunk.toString();
      for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  server = await startServer(
    parseEnv({
      DATABASE_URL: database.url,
      PORT: "0",
      INKWELL_ADMIN_EMAIL: "ops@example.com",
      INKWELL_ADMIN_PASSWORD: PASSWORD,
    }),
    createLogger({ level: "info", pretty: false, destination }),
  );
});
afterAll(async () => {
  await server.close();
  await database.drop();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "sec-fetch-site": "same-origin", ...headers },
    body: JSON.stringify(body),
  });

describe("request logs", () => {
  it("log one JSON line per request with request id, method, path, procedure, status, duration and user", async () => {
    const signIn = await post(
      "/trpc/auth.signIn",
      { json: { email: "ops@example.com", password: PASSWORD, session: "token" } },
      { "x-request-id": "proxy-abc-123" },
    );
    const token = ((await signIn.json()) as { result: { data: { json: { token: string } } } }).result.data.json.token;
    await fetch(`${server.url}/trpc/auth.me`, { headers: { authorization: `Bearer ${token}` } });

    const signInLine = lines.find((line) => line.requestId === "proxy-abc-123");
    expect(signInLine).toMatchObject({
      msg: "request",
      method: "POST",
      path: "/trpc/auth.signIn",
      procedure: "auth.signIn",
      status: 200,
    });
    expect(signInLine?.durationMs).toEqual(expect.any(Number));
    const meLine = lines.findLast((line) => line.procedure === "auth.me");
    expect(meLine).toMatchObject({ status: 200, userId: 1 });
    expect(meLine?.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("never contain passwords, tokens, API keys or cookies", async () => {
    const signUp = await post("/api/users", {
      user: { username: "logged", email: "logged@example.com", password: PASSWORD },
    });
    const { user } = (await signUp.json()) as { user: { token: string } };
    await fetch(`${server.url}/api/user`, { headers: { authorization: `Token ${user.token}` } });
    const cookieLogin = await post("/trpc/auth.signIn", { json: { email: "logged@example.com", password: PASSWORD } });
    const cookie = (cookieLogin.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    await fetch(`${server.url}/trpc/auth.me`, { headers: { cookie } });
    const key = await post(
      "/trpc/apiKeys.create",
      { json: { name: "logged key", scopes: [] } },
      { authorization: `Bearer ${user.token}` },
    );
    const apiKey = ((await key.json()) as { result: { data: { json: { key: string } } } }).result.data.json.key;
    await fetch(`${server.url}/trpc/auth.me`, { headers: { authorization: `Bearer ${apiKey}` } });
    await post("/trpc/auth.signIn", { json: { email: "logged@example.com", password: `${PASSWORD}!` } });

    expect(lines.filter((line) => line.msg === "request").length).toBeGreaterThanOrEqual(8);
    for (const secret of [PASSWORD, user.token, user.token.split(".")[1], cookie.split("=")[1], apiKey]) {
      expect(secret && raw.includes(secret as string), `a secret leaked into the logs`).toBe(false);
    }
  });
});
