import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEventStream, subscriptionUrl } from "./testing/event-stream.ts";
import { startTestServer, type TestServer } from "./testing/index.ts";

const ADMIN = { email: "root@example.com", password: "correct horse battery" };
// Short, so the stream visibly outlives it; long enough for a sign-in (argon2) on two busy cores.
const REQUEST_TIMEOUT_MS = 1_500;

async function mutate(url: string, path: string, input: unknown, token?: string) {
  const response = await fetch(`${url}/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ json: input }),
  });
  return (await response.json()) as { result: { data: { json: Record<string, unknown> } } };
}

/** Subscriptions as plain HTTP clients and browsers see them: server-sent events through the whole middleware stack. */
describe("live streams over HTTP", () => {
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer({
      INKWELL_ADMIN_EMAIL: ADMIN.email,
      INKWELL_ADMIN_PASSWORD: ADMIN.password,
      REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    });
    token = (await mutate(server.url, "auth.signIn", { ...ADMIN, session: "token" })).result.data.json.token as string;
  });
  afterAll(async () => {
    await server?.close();
  });

  it("outlive the request timeout and are neither compressed nor buffered", async () => {
    const stream = await openEventStream(subscriptionUrl(server.url, "activity.onEvent"), {
      authorization: `Bearer ${token}`,
      "accept-encoding": "gzip, deflate",
    });
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(stream.response.headers.get("content-encoding")).toBeNull();
    await stream.waitFor((event) => event.event === "connected");

    await new Promise((resolve) => setTimeout(resolve, REQUEST_TIMEOUT_MS * 3));
    await mutate(server.url, "articles.create", { title: "After the timeout", description: "d", body: "b" }, token);
    const { id, data } = await stream.nextData();
    expect(data).toMatchObject({ action: "articles.create" });
    expect(id).toBe(String((data as { id: number }).id));
    await stream.close();
  });

  it("accept the credential as a connection parameter, as browsers' EventSource must send it", async () => {
    const url = `${subscriptionUrl(server.url, "activity.onEvent")}&connectionParams=${encodeURIComponent(JSON.stringify({ token }))}`;
    const stream = await openEventStream(url);
    await stream.waitFor((event) => event.event === "connected");
    await mutate(server.url, "articles.create", { title: "Seen by a browser", description: "d", body: "b" }, token);
    expect((await stream.nextData()).data).toMatchObject({ action: "articles.create" });
    await stream.close();
  });

  it("take connection parameters for subscriptions only", async () => {
    const params = encodeURIComponent(JSON.stringify({ token }));
    const response = await fetch(`${server.url}/trpc/auth.me?connectionParams=${params}`);
    expect(response.status).toBe(401);
  });

  it("tell an anonymous caller why, in the stream, and end", async () => {
    const stream = await openEventStream(subscriptionUrl(server.url, "activity.onEvent"));
    const error = await stream.waitFor((event) => event.event === "serialized-error");
    expect(JSON.parse(error.data).json).toMatchObject({ data: { code: "UNAUTHORIZED" } });
    await stream.close();
  });
});
