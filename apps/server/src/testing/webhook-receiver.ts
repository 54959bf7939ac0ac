import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface WebhookArrival {
  /** 1-based, in order of arrival. */
  number: number;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** `performance.now()` when the body had arrived. */
  at: number;
}

export interface WebhookReceiver {
  /** `http://<host>:<port>`: append a path for an endpoint URL. */
  url: string;
  port: number;
  arrivals: WebhookArrival[];
  /**
   * How to answer an arrival: a status (and body) now, or `"never"` to hold the
   * request open until the sender gives up. Default: 200 "ok".
   */
  answer: (arrival: WebhookArrival) => { status: number; body?: string; headers?: Record<string, string> } | "never";
  close(): Promise<void>;
}

/** A real HTTP server on a free port of `host` (127.0.0.1 by default) that records every webhook it receives. */
export async function startWebhookReceiver(host = "127.0.0.1"): Promise<WebhookReceiver> {
  const held = new Set<ServerResponse>();
  const receiver: WebhookReceiver = {
    url: "",
    port: 0,
    arrivals: [],
    answer: () => ({ status: 200, body: "ok" }),
    close: async () => {},
  };
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => {
      const arrival: WebhookArrival = {
        number: receiver.arrivals.length + 1,
        path: req.url ?? "",
        headers: req.headers,
        body,
        at: performance.now(),
      };
      receiver.arrivals.push(arrival);
      const answer = receiver.answer(arrival);
      if (answer === "never") {
        held.add(res);
        res.on("close", () => held.delete(res));
        return;
      }
      res.writeHead(answer.status, answer.headers).end(answer.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  receiver.port = port;
  receiver.url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
