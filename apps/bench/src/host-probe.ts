import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, type Socket } from "node:net";
import { percentile } from "./percentile.ts";

/**
 * How long one byte takes to reach another process over loopback TCP and come
 * back. Every request crosses processes four times (load generator, server,
 * PostgreSQL, server, load generator) and a ceiling's query twice, so on a
 * virtual machine whose host is busy the server's fraction of its ceiling
 * falls while a CPU loop keeps its speed (BENCHMARKS.md, finding 19). The
 * run records this before and after, so a reader can tell such a stretch.
 */
export interface ProcessHop {
  roundTrips: number;
  p50Micros: number;
  p99Micros: number;
}

/** Echoes every byte back on the connection to the port in argv[1]. */
const ECHO = `const s = require("node:net").connect(Number(process.argv[1]), "127.0.0.1");
s.setNoDelay(true); s.on("data", (d) => s.write(d)); s.on("error", () => process.exit(0)); s.on("end", () => process.exit(0));`;

const CONNECT_TIMEOUT_MS = 10_000;

export async function probeProcessHop(seconds = 2): Promise<ProcessHop> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the probe's listener has no port");
  const echo = spawn(process.execPath, ["-e", ECHO, String(address.port)], { stdio: "ignore" });
  try {
    const exited = Promise.race([once(echo, "exit"), once(echo, "error")]).then(() => {
      throw new Error("the probe's echo process exited before it connected");
    });
    exited.catch(() => {});
    const [socket] = (await Promise.race([
      once(server, "connection", { signal: AbortSignal.timeout(CONNECT_TIMEOUT_MS) }),
      exited,
    ])) as [Socket];
    socket.setNoDelay(true);
    const micros: number[] = [];
    const until = performance.now() + seconds * 1_000;
    await new Promise<void>((resolve, reject) => {
      let sentAt = performance.now();
      socket.on("error", reject);
      socket.on("close", () => reject(new Error("the probe's echo process closed the connection")));
      socket.on("data", () => {
        const now = performance.now();
        micros.push((now - sentAt) * 1_000);
        if (now >= until) return resolve();
        sentAt = now;
        socket.write("x");
      });
      socket.write("x");
    });
    socket.end();
    micros.sort((a, b) => a - b);
    return { roundTrips: micros.length, p50Micros: percentile(micros, 0.5), p99Micros: percentile(micros, 0.99) };
  } finally {
    echo.kill();
    server.close();
  }
}
