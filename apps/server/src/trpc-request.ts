import { appRouter } from "@inkwell/api";
import type { Context } from "hono";

/** The most calls one batched request may carry; tRPC refuses larger batches, and our clients split theirs. */
export const MAX_BATCH_CALLS = 50;

export const BATCH_TOO_LARGE = `A batch holds at most ${MAX_BATCH_CALLS} calls.`;

type ProcedureType = "query" | "mutation" | "subscription";

type Procedure = { _def: { procedure: true; type: ProcedureType } };

const isProcedure = (value: unknown): value is Procedure =>
  typeof value === "function" && (value as Partial<Procedure>)._def?.procedure === true;

/** Every procedure of the router by its dotted path, e.g. `articles.list`. */
function procedurePaths(record: object, prefix = "", into = new Map<string, ProcedureType>()) {
  for (const [key, value] of Object.entries(record)) {
    if (isProcedure(value)) into.set(`${prefix}${key}`, value._def.type);
    else if (typeof value === "object" && value !== null) procedurePaths(value, `${prefix}${key}.`, into);
  }
  return into;
}

const procedureTypes: ReadonlyMap<string, ProcedureType> = procedurePaths(appRouter._def.record);

export interface TrpcCalls {
  /** The procedure paths as tRPC reads them; unknown ones included. */
  paths: string[];
  batch: boolean;
}

/**
 * The calls a `/trpc` request makes, read the way tRPC's fetch adapter reads
 * them: the path after `/trpc/`, URL-decoded, split on commas when `batch=1`.
 * A path tRPC cannot decode is one (failing) call.
 */
export function trpcCalls(c: Context): TrpcCalls {
  let calls = readCalls.get(c.req.raw);
  if (!calls) {
    calls = readTrpcCalls(new URL(c.req.url));
    readCalls.set(c.req.raw, calls);
  }
  return calls;
}

/** Read once per request: rate limits, the stream cap and metrics all ask. */
const readCalls = new WeakMap<Request, TrpcCalls>();

function readTrpcCalls(url: URL): TrpcCalls {
  const raw = url.pathname.replace(/^\/trpc\/?/, "").replace(/\/+$/, "");
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return { paths: [raw], batch: false };
  }
  const batch = url.searchParams.get("batch") === "1";
  return { paths: batch ? path.split(",") : [path], batch };
}

/** How many calls the request makes: what rate limits count. */
export function trpcCallCount(c: Context): number {
  return trpcCalls(c).paths.length;
}

/**
 * A bounded metrics label: the procedure's name when the router has it, one
 * value for every unknown path (so random paths cannot add series), and one
 * for batches of several calls (so combinations cannot either).
 */
export function trpcRouteLabel(c: Context): string {
  const { paths } = trpcCalls(c);
  if (paths.length > 1) return "trpc:batch";
  const [path = ""] = paths;
  return procedureTypes.has(path) ? `trpc:${path}` : "trpc:unknown";
}

/** A request that opens a live stream: a GET of one subscription procedure (tRPC answers it with server-sent events). */
export function isSubscriptionRequest(c: Context): boolean {
  if (c.req.method !== "GET") return false;
  const { paths, batch } = trpcCalls(c);
  return !batch && paths.length === 1 && procedureTypes.get(paths[0] ?? "") === "subscription";
}

/**
 * The `token` connection parameter of a subscription, which carries the
 * credential for browsers' EventSource (it cannot send headers). Like tRPC,
 * it is read for subscriptions only; anything malformed is no token.
 */
export function subscriptionConnectionToken(c: Context): string | null {
  if (!isSubscriptionRequest(c)) return null;
  const raw = c.req.query("connectionParams");
  if (raw === undefined) return null;
  try {
    const params: unknown = JSON.parse(raw);
    const token = (params as { token?: unknown } | null)?.token;
    return typeof token === "string" && token !== "" ? token : null;
  } catch {
    return null;
  }
}
