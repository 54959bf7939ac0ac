import { createInkwellClient } from "@inkwell/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCliRunner } from "./testing/run-cli.ts";
import { ADMIN, signUp, startTestServer, type TestServer } from "./testing/server.ts";

let server: TestServer;
let runner: Awaited<ReturnType<typeof createCliRunner>>;
let adminToken: string;

beforeAll(async () => {
  server = await startTestServer();
  runner = await createCliRunner(server.url);
  const { token } = await createInkwellClient({ url: server.url }).auth.signIn.mutate({ ...ADMIN, session: "token" });
  if (!token) throw new Error("no token");
  adminToken = token;
});
afterAll(async () => {
  await runner?.cleanup();
  await server?.close();
});

const asAdmin = () => ({ INKWELL_TOKEN: adminToken });

async function until(ready: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const newArticle = (title: string) =>
  createInkwellClient({ url: server.url, token: adminToken }).articles.create.mutate({
    title,
    description: "d",
    body: "b",
  });

describe("activity tail", () => {
  it("prints events as they happen, one line each, and stops after --count", async () => {
    const tail = runner.startAt(["activity", "tail", "--count", "2"], asAdmin());
    await until(() => tail.stderr().includes("Watching activity"), "the stream to start");
    expect(tail.stdout()).toBe("");
    const first = await newArticle("Tailed one");
    const second = await newArticle("Tailed two");

    const result = await tail.done;
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\S+Z  #\\d+  articles\\.create  by admin article ${first.id}$`),
    );
    expect(lines[1]).toContain(`articles.create  by admin article ${second.id}`);
  });

  it("resumes after --since with what was missed, as JSON lines with --json", async () => {
    const first = runner.startAt(["--json", "activity", "tail", "--count", "1"], asAdmin());
    await until(() => first.stderr().includes("Watching activity"), "the stream to start");
    await newArticle("Last seen");
    const lastSeen = JSON.parse((await first.done).stdout);

    const missed = [await newArticle("Missed A"), await newArticle("Missed B")];
    const resumed = await runner.at(
      ["--json", "activity", "tail", "--since", String(lastSeen.id), "--count", "2"],
      asAdmin(),
    );
    expect(resumed.code).toBe(0);
    const events = resumed.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(events.map((event) => event.targetId)).toEqual(missed.map((article) => String(article.id)));
    expect(events[0].id).toBeGreaterThan(lastSeen.id);
  });

  it("is for operators: others get the server's refusal and exit code 1", async () => {
    const user = await signUp(server.url, "watcher");
    const result = await runner.at(["activity", "tail", "--count", "1"], { INKWELL_TOKEN: user.token });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('You need the "audit:read" permission');
  });

  it("fails when the session is ended while it runs", async () => {
    const { token } = await createInkwellClient({ url: server.url }).auth.signIn.mutate({ ...ADMIN, session: "token" });
    if (!token) throw new Error("no token");
    const tail = runner.startAt(["activity", "tail"], { INKWELL_TOKEN: token });
    await until(() => tail.stderr().includes("Watching activity"), "the stream to start");
    await createInkwellClient({ url: server.url, token }).auth.signOut.mutate();
    const result = await tail.done;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Your session has ended or your key was revoked");
  });
});
