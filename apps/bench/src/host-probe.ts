import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, type Socket } from "node:net";
import { promisify } from "node:util";
import { percentile } from "./percentile.ts";

/**
 * How long one byte takes to reach another process over loopback TCP and come
 * back. Every request crosses processes four times (load generator, server,
 * PostgreSQL, server, load generator) and a ceiling's query twice, so the cost
 * of waking another process weighs more on the server's side of a ratio than
 * on its ceiling's. A CPU loop does not show it; this does.
 */
export interface ProcessHop {
  roundTrips: number;
  p50Micros: number;
  p99Micros: number;
}

/** Round trips with the two processes on different cores and on the same core; unpinned without `taskset`. */
export type HostProbe =
  | { pinned: true; acrossCores: ProcessHop; oneCore: ProcessHop }
  | { pinned: false; unpinned: ProcessHop };

/** Echoes every byte back on the connection to the port in argv[1]. */
const ECHO = `const s = require("node:net").connect(Number(process.argv[1]), "127.0.0.1");
s.setNoDelay(true); s.on("data", (d) => s.write(d)); s.on("error", () => process.exit(0)); s.on("end", () => process.exit(0));`;

const CONNECT_TIMEOUT_MS = 10_000;
const run = promisify(execFile);

/**
 * Both pinned layouts, on the first two cores this process may use, when `taskset` can pin it (Linux, two cores or
 * more); else, or when pinning fails, one unpinned measure: a run is not lost to its probe.
 */
export async function probeHost(seconds = 1): Promise<HostProbe> {
  const allowed = await allowedCores(process.pid);
  const pinned =
    allowed && allowed.length >= 2 ? await probePinned(seconds, allowed).catch(() => undefined) : undefined;
  return pinned ?? { pinned: false, unpinned: await probeProcessHop(seconds) };
}

async function probePinned(seconds: number, allowed: number[]): Promise<HostProbe> {
  const [first = 0, second = 1] = allowed;
  try {
    // Every thread of this process on the first core while it measures, then back to where the bench may run.
    await run("taskset", ["-a", "-c", "-p", String(first), String(process.pid)]);
    const acrossCores = await probeProcessHop(seconds, second);
    const oneCore = await probeProcessHop(seconds, first);
    return { pinned: true, acrossCores, oneCore };
  } finally {
    await run("taskset", ["-a", "-c", "-p", allowed.join(","), String(process.pid)]);
  }
}

/** The cores `pid` may run on, as taskset lists them; undefined without taskset. */
async function allowedCores(pid: number): Promise<number[] | undefined> {
  const listed = await run("taskset", ["-c", "-p", String(pid)]).catch(() => undefined);
  const list = listed && /:\s*([\d,-]+)\s*$/.exec(listed.stdout)?.[1];
  return list ? parseCoreList(list) : undefined;
}

/** A CPU list as Linux writes it: "0,2-3" → [0, 2, 3]. */
export function parseCoreList(list: string): number[] {
  return list.split(",").flatMap((part) => {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!range) return [];
    const from = Number(range[1]);
    const to = Number(range[2] ?? range[1]);
    return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
  });
}

/** Round trips to an echo process for `seconds`: pinned to `core` (with `taskset`), or wherever the system puts it. */
export async function probeProcessHop(seconds: number, core?: number): Promise<ProcessHop> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the probe's listener has no port");
  const echoArgs = ["-e", ECHO, String(address.port)];
  const echo =
    core === undefined
      ? spawn(process.execPath, echoArgs, { stdio: "ignore" })
      : spawn("taskset", ["-c", String(core), process.execPath, ...echoArgs], { stdio: "ignore" });
  try {
    // `once` rejects on "error" too (a spawn that failed).
    const exited = once(echo, "exit").then(() => {
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
