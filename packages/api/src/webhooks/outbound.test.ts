import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { addressPolicy } from "./address-policy.ts";
import { closeWebhookConnections, type OutboundRequest, sendWebhookRequest } from "./outbound.ts";

/** A real receiver on 127.0.0.1 (and ::1 when the machine has it), answering as each test says. */
let receiver: Server;
let port: number;
let answer: (req: IncomingMessage, res: ServerResponse, body: string) => void;
const seen: {
  url: string;
  method: string;
  body: string;
  host: string | undefined;
  from: string | undefined;
  /** Tells connections apart. */
  fromPort: number | undefined;
}[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      seen.push({
        url: req.url ?? "",
        method: req.method ?? "",
        body,
        host: req.headers.host,
        from: req.socket.remoteAddress,
        fromPort: req.socket.remotePort,
      });
      answer(req, res, body);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  port = (receiver.address() as AddressInfo).port;
});
afterAll(async () => {
  await closeWebhookConnections();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});
beforeEach(() => {
  seen.length = 0;
  answer = (_req, res) => res.end("ok");
});

const send = (url: string, options: Partial<OutboundRequest> = {}) =>
  sendWebhookRequest({
    url,
    headers: { "content-type": "application/json", "webhook-id": "msg_test" },
    body: '{"type":"test"}',
    policy: addressPolicy(["127.0.0.1"]),
    timeoutMs: 2_000,
    ...options,
  });

describe("sendWebhookRequest", () => {
  it("POSTs the body to an allowed receiver and keeps the first kilobyte of its answer", async () => {
    answer = (_req, res) => res.writeHead(202).end(`${"é".repeat(600)}tail`);
    const result = await send(`http://127.0.0.1:${port}/hooks?x=1`);
    expect(result).toMatchObject({ ok: true, statusCode: 202, error: null, url: `http://127.0.0.1:${port}/hooks?x=1` });
    // 1,024 bytes of two-byte characters: 512 of them.
    expect(result.body).toBe("é".repeat(512));
    expect(seen).toEqual([expect.objectContaining({ url: "/hooks?x=1", method: "POST", body: '{"type":"test"}' })]);
  });

  it("records a non-2xx answer as a failure with its status and body", async () => {
    answer = (_req, res) => res.writeHead(500).end("boom");
    expect(await send(`http://127.0.0.1:${port}/`)).toMatchObject({
      ok: false,
      statusCode: 500,
      body: "boom",
      error: "answered 500",
    });
  });

  it("gives up on a receiver that never answers after the timeout", async () => {
    answer = () => {};
    const started = performance.now();
    const result = await send(`http://127.0.0.1:${port}/`, { timeoutMs: 300 });
    expect(result).toMatchObject({ ok: false, statusCode: null, error: "no answer within 0.3 s" });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("reports a refused connection", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await send(`http://127.0.0.1:${closedPort}/`);
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/ECONNREFUSED/);
  });
});

describe("the SSRF policy, at delivery time", () => {
  it("refuses private, link-local and loopback addresses that WEBHOOK_ALLOWED_HOSTS does not name, sending nothing", async () => {
    const none = addressPolicy([]);
    for (const [url, reason] of [
      [`http://127.0.0.1:${port}/`, "127.0.0.1, a loopback address"],
      [`http://[::1]:${port}/`, "::1, a loopback address"],
      ["http://169.254.169.254/latest/meta-data/", "169.254.169.254, a linkLocal address"],
      ["http://10.0.0.1/", "10.0.0.1, a private address"],
      [`http://[::ffff:127.0.0.1]:${port}/`, "127.0.0.1, a loopback address"],
    ] as const) {
      const result = await send(url, { policy: none });
      expect(result, url).toMatchObject({ ok: false, statusCode: null });
      expect(result.error, url).toBe(
        `refused: ${reason}, which webhooks may not reach (allow it with WEBHOOK_ALLOWED_HOSTS)`,
      );
    }
    expect(seen).toEqual([]);
  });

  it("refuses a name that resolves to a private address, or to any forbidden address among public ones", async () => {
    const resolve = async (host: string) =>
      host === "mixed.example"
        ? [
            { address: "93.184.215.14", family: 4 },
            { address: "10.1.2.3", family: 4 },
          ]
        : [{ address: "10.9.8.7", family: 4 }];
    expect((await send("http://hooks.example/", { resolve, policy: addressPolicy([]) })).error).toBe(
      "refused: hooks.example resolves to 10.9.8.7, a private address, which webhooks may not reach (allow it with WEBHOOK_ALLOWED_HOSTS)",
    );
    expect((await send("http://mixed.example/", { resolve, policy: addressPolicy([]) })).error).toMatch(
      /^refused: mixed.example resolves to 10.1.2.3, a private address/,
    );
  });

  it("connects to the address it checked, whatever DNS would say next (no rebinding)", async () => {
    // The name resolves once, to the receiver; a second lookup (which a socket would make) would say 10.0.0.1.
    let lookups = 0;
    const resolve = async () => {
      lookups++;
      return [{ address: lookups === 1 ? "127.0.0.1" : "10.0.0.1", family: 4 }];
    };
    const result = await send(`http://rebind.test:${port}/pinned`, { resolve, policy: addressPolicy(["rebind.test"]) });
    expect(result).toMatchObject({ ok: true, statusCode: 200 });
    expect(lookups).toBe(1);
    expect(seen).toEqual([expect.objectContaining({ url: "/pinned", host: `rebind.test:${port}`, from: "127.0.0.1" })]);
  });

  it("keeps connections open for the next attempts to the same address, and drops one whose answer it cut short", async () => {
    for (let i = 0; i < 6; i++) await send(`http://127.0.0.1:${port}/short`);
    // One after the other; the next request can start before the last one's connection is free again: at most two.
    const kept = new Set(seen.map((request) => request.fromPort));
    expect(kept.size).toBeLessThanOrEqual(2);
    answer = (_req, res) => res.end("x".repeat(64 * 1024));
    expect((await send(`http://127.0.0.1:${port}/long`)).body).toBe("x".repeat(1024));
    const long = seen.at(-1)?.fromPort;
    expect(kept).toContain(long);
    answer = (_req, res) => res.end("ok");
    for (let i = 0; i < 3; i++) await send(`http://127.0.0.1:${port}/after`);
    // The rest of the long answer was not read: its connection was closed rather than left half-read.
    expect(seen.slice(-3).map((request) => request.fromPort)).not.toContain(long);
  });

  it("reuses a kept connection only for the address it was opened to: a name that now resolves elsewhere goes there", async () => {
    // The receiver listens on 127.0.0.1 only; the second answer of DNS (127.0.0.2, allowed by name) has nobody there.
    let lookups = 0;
    const resolve = async () => {
      lookups++;
      return [{ address: lookups === 1 ? "127.0.0.1" : "127.0.0.2", family: 4 }];
    };
    const options = { resolve, policy: addressPolicy(["moving.test"]) };
    expect(await send(`http://moving.test:${port}/kept`, options)).toMatchObject({ ok: true });
    const moved = await send(`http://moving.test:${port}/moved`, options);
    expect(moved).toMatchObject({ ok: false, statusCode: null });
    expect(moved.error).toContain("ECONNREFUSED");
    expect(seen.map((request) => request.url)).toEqual(["/kept"]);
  });

  it("checks every redirect: one to a loopback address not allowed is refused and not followed", async () => {
    answer = (req, res) =>
      req.url === "/start"
        ? res.writeHead(302, { location: `http://127.0.0.1:${port}/internal` }).end()
        : res.end("should not be reached");
    // `localhost` is allowed by name; the address it redirects to is not.
    const resolve = async () => [{ address: "127.0.0.1", family: 4 }];
    const result = await send(`http://localhost:${port}/start`, { resolve, policy: addressPolicy(["localhost"]) });
    expect(result).toMatchObject({
      ok: false,
      statusCode: null,
      url: `http://127.0.0.1:${port}/internal`,
      error:
        "refused: 127.0.0.1, a loopback address, which webhooks may not reach (allow it with WEBHOOK_ALLOWED_HOSTS)",
    });
    expect(seen.map((request) => request.url)).toEqual(["/start"]);
  });

  it("follows allowed redirects with the same POST, up to five, and refuses other schemes", async () => {
    answer = (req, res) => {
      const hop = Number(req.url?.slice(1));
      if (hop < 3) res.writeHead(307, { location: `/${hop + 1}` }).end();
      else res.end(`arrived at ${hop}`);
    };
    const followed = await send(`http://127.0.0.1:${port}/0`);
    expect(followed).toMatchObject({ ok: true, body: "arrived at 3", url: `http://127.0.0.1:${port}/3` });
    expect(seen.map((request) => [request.url, request.method, request.body])).toEqual(
      [0, 1, 2, 3].map((hop) => [`/${hop}`, "POST", '{"type":"test"}']),
    );

    seen.length = 0;
    answer = (_req, res) => res.writeHead(301, { location: "/again" }).end();
    expect(await send(`http://127.0.0.1:${port}/loop`)).toMatchObject({
      ok: false,
      statusCode: 301,
      error: "more than 5 redirects",
    });
    expect(seen).toHaveLength(6);

    answer = (_req, res) => res.writeHead(302, { location: "file:///etc/passwd" }).end();
    expect((await send(`http://127.0.0.1:${port}/`)).error).toBe(
      "refused: a redirect to file: (webhooks use http and https only)",
    );
  });
});
