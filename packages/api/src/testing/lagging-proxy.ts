import { once } from "node:events";
import { type AddressInfo, connect, createServer, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

export interface LaggingProxy {
  /** The database URL given, with its host and port pointing at the proxy. */
  url: string;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of the server `url` names that holds what a client sends for `lagFor(bytes)`
 * milliseconds before passing it on, in order: a network or server slow on the statements it picks.
 */
export async function startLaggingProxy(url: string, lagFor: (bytes: Buffer) => number): Promise<LaggingProxy> {
  const target = new URL(url);
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
  };
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    track(client);
    track(upstream);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    upstream.pipe(client);
    // Chained, so that a chunk held back also holds back every chunk after it.
    let sent = Promise.resolve();
    client.on("data", (bytes) => {
      const lag = lagFor(bytes);
      sent = sent.then(async () => {
        if (lag > 0) await sleep(lag);
        upstream.write(bytes);
      });
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const proxied = new URL(url);
  proxied.hostname = "127.0.0.1";
  proxied.port = String((server.address() as AddressInfo).port);
  return {
    url: proxied.toString(),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
