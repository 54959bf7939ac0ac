import { createInkwellClient } from "@inkwell/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importArticles } from "./import/run-import.ts";
import { signUp, startTestServer, type TestServer } from "./testing/server.ts";

let server: TestServer;

// Four requests a minute per credential: who-am-I, the list of published articles, and two creations.
beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_CREDENTIAL_PER_MINUTE: "4" });
});
afterAll(() => server?.close());

const article = (title: string) => ({ title, description: "Rate limited.", body: `Body of ${title}.`, tagList: [] });
const silent = { start() {}, step() {}, stop() {} };

describe("importArticles under a rate limit", () => {
  it("waits as long as the server asks before trying an item again, then reports it", async () => {
    const { token } = await signUp(server.url, "hasty");
    const client = createInkwellClient({ url: server.url, token });
    const waits: number[] = [];
    const items = ["one", "two", "three"].map((title) => ({ source: `${title}.md`, article: article(title) }));

    const report = await importArticles(client, items, silent, { wait: async (seconds) => waits.push(seconds) });

    expect(report.created.map((item) => item.source)).toEqual(["one.md", "two.md"]);
    expect(waits).toHaveLength(2);
    for (const seconds of waits) expect(seconds).toBeGreaterThan(0);
    expect(report.failed).toEqual([
      { source: "three.md", reason: expect.stringMatching(/^Too many requests.* Retry in \d+s\.$/) },
    ]);
  });
});
