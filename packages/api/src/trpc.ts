/**
 * How the API is layered: router → service → database (see packages/api/README.md).
 *
 * - A router procedure validates its input (zod), picks who may call it (one of
 *   the builders below) and calls services; it may shape the answer and tell
 *   the audit scope its target. It builds no query and opens no transaction.
 *   A rule on the caller and the input alone (an operator acting on
 *   themselves) may be checked there, throwing a domain error.
 * - A service (`services/`) owns the queries and transactions. It takes plain
 *   arguments (an `Executor`, ids, the caller as a user id or `Principal`,
 *   settings), never the tRPC context, and refuses with the domain errors of
 *   `errors.ts`; it never imports `@trpc/server`. Checks that depend on the
 *   data (ownership of an article or comment, whether a hidden article is
 *   visible to the caller) live there.
 * - Domain errors become `TRPCError`s in one place, `toTRPCError` below, used by
 *   the error middleware, the audit of failures and live streams alike. Only
 *   this file throws `TRPCError`.
 *
 * This file, in order:
 * 1. Initialization: one tRPC instance, one transformer, one error shape, the error mapping.
 * 2. Middleware every procedure gets, in one: error mapping, unstorable text, read routing, audit of mutations,
 *    CSRF check.
 * 3. Procedure builders: every procedure starts from one of them, which decides
 *    who may call it (signed in, with which permissions, session or key).
 * 4. Live streams: what subscriptions return, with their failures mapped too.
 */
import { judgeOrigin, type Permission } from "@inkwell/auth";
import { type Executor, isDatabaseUnavailable } from "@inkwell/db";
import { initTRPC, type TRPC_ERROR_CODE_KEY, TRPCError, type TrackedEnvelope, tracked } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import type { Context } from "./context.ts";
import { DomainError, type DomainErrorKind, domainErrorFromDatabase, Invalid, TooManyRequests } from "./errors.ts";
import { type AuditOutcome, auditRecord } from "./middleware/audit-record.ts";
import { AuditScope } from "./middleware/audit-scope.ts";
import { fieldNameOf, findUnstorableText } from "./middleware/unstorable-text.ts";
import { serializeOutput } from "./output-serializer.ts";
import type { StreamItem } from "./realtime/resumable-stream.ts";
import { recordAuditEvent } from "./services/audit-writer.ts";

// 1. Initialization ----------------------------------------------------------

export const INTERNAL_ERROR_MESSAGE =
  "Something went wrong on our side. Try again; if it keeps failing, report the X-Request-Id of this answer.";

/** What the procedure builders declare about who may call; read by the router-walking test and /api/rpc. */
export interface ProcedureMeta {
  /** Only a signed-in caller (session or API key) may call it; set by `authedProcedure` and every builder on it. */
  signedIn?: boolean;
  /** Permissions a caller needs; set by `permissionProcedure`. */
  permissions?: readonly Permission[];
  /** Only a signed-in session may call it, never an API key; set by the session builders. */
  sessionOnly?: boolean;
  /**
   * A step of a sign-in that only a browser completes (an identity provider's redirect, a passkey prompt):
   * not offered to other apps over plain HTTP (`/api/rpc`), which sign in with a password or use API keys.
   */
  browserSignIn?: boolean;
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    // superjson both ways; answers are written by a faster walk of the same format (output-serializer.ts).
    transformer: { input: superjson, output: { serialize: serializeOutput, deserialize: superjson.deserialize } },
    // Subscriptions over server-sent events: a ping every 15 s keeps proxies from closing an idle
    // stream, and a client that hears nothing for 20 s reconnects (resuming from its last event id).
    sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 20_000 } },
    // Stack traces stay in the server's logs, never in answers.
    isDev: false,
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      // An unexpected failure's own message may quote SQL, parameters or internals: clients get a generic one.
      const internal = error.code === "INTERNAL_SERVER_ERROR";
      return {
        ...shape,
        message: internal ? INTERNAL_ERROR_MESSAGE : shape.message,
        data: {
          ...shape.data,
          // Field-level messages for forms: { title: ["Too long"] }. Not for an internal failure: an answer that
          // fails its own `.output()` schema would otherwise name internal fields.
          fieldErrors: internal
            ? undefined
            : cause instanceof ZodError
              ? z.flattenError(cause).fieldErrors
              : cause instanceof DomainError
                ? cause.fields
                : undefined,
          retryAfterSeconds: cause instanceof TooManyRequests ? cause.seconds : undefined,
        },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

const codeOf: Record<DomainErrorKind, TRPC_ERROR_CODE_KEY> = {
  invalid: "BAD_REQUEST",
  unauthorized: "UNAUTHORIZED",
  forbidden: "FORBIDDEN",
  notFound: "NOT_FOUND",
  conflict: "CONFLICT",
  preconditionFailed: "PRECONDITION_FAILED",
  tooManyRequests: "TOO_MANY_REQUESTS",
  notImplemented: "NOT_IMPLEMENTED",
  unavailable: "SERVICE_UNAVAILABLE",
};

/**
 * The one mapping from what services throw to what clients receive: a domain
 * error, or a database error a client can cause (a duplicate, a vanished
 * reference) or should retry (the database away), as a `TRPCError` with the
 * domain error as its `cause`. Null for anything else: a bug, answered 500.
 * tRPC hands middleware a thrown error wrapped in a `TRPCError`; its cause is looked at first.
 */
export function toTRPCError(error: unknown): TRPCError | null {
  const thrown = error instanceof TRPCError && error.cause ? error.cause : error;
  const domain = thrown instanceof DomainError ? thrown : domainErrorFromDatabase(thrown);
  return domain ? new TRPCError({ code: codeOf[domain.kind], message: domain.message, cause: domain }) : null;
}

/** `toTRPCError` for what only the database can throw: the server uses it when building a context fails. */
export function fromDatabaseError(error: unknown): TRPCError | null {
  const domain = domainErrorFromDatabase(error);
  return domain ? toTRPCError(domain) : null;
}

// 2. Middleware ----------------------------------------------------------------

/**
 * The steps every call passes, in one middleware: tRPC copies its options twice for every middleware a call goes
 * through, and five of them were a twentieth of a cheap read's CPU (BENCHMARKS.md, finding 12). In the order a
 * call meets them:
 * 1. errors mapped, last on the way out, so the transaction they abort is rolled back first;
 * 2. unstorable text refused;
 * 3. reads routed to a replica;
 * 4. a mutation audited in its transaction;
 * 5. a cookie-riding mutation's origin checked.
 */
const guardCalls = t.middleware(async ({ ctx, type, path, getRawInput, next }) => {
  const call: GuardedCall = { ctx, type, path, getRawInput, next: (patch) => (patch ? next({ ctx: patch }) : next()) };
  let result: Awaited<ReturnType<typeof next>>;
  try {
    await refuseUnstorableText(call);
    result = await routeReads(call);
  } catch (error) {
    throw toTRPCError(error) ?? error;
  }
  if (!result.ok) {
    const mapped = toTRPCError(result.error);
    if (mapped) throw mapped;
  }
  return result;
});

/** What the steps see of a call; `next` goes on to the procedure, with the context changed by `patch`. */
interface GuardedCall {
  ctx: Context;
  type: "query" | "mutation" | "subscription";
  path: string;
  getRawInput: () => Promise<unknown>;
  next: (patch?: { db: Executor; audit?: AuditScope }) => Promise<CallResult>;
}
/** What a middleware's `next()` resolves to: the procedure's result, or its failure (tRPC does not name the type). */
type CallResult = Awaited<ReturnType<Parameters<Parameters<typeof t.middleware>[0]>[0]["next"]>>;

/** Text PostgreSQL cannot store (NUL, lone surrogates) is refused in every input, whatever the field. */
async function refuseUnstorableText({ getRawInput }: GuardedCall): Promise<void> {
  // An unreadable body is the input parser's to report, and only if the procedure takes input.
  const found = findUnstorableText(await getRawInput().catch(() => undefined));
  if (found) throw new Invalid(found.message, fieldNameOf(found.path));
}

/**
 * With replicas (decision 014): a query reads from a replica that has replayed the caller's last write, and is
 * run once more on the primary when that replica cannot be reached; a mutation that committed leaves the
 * primary's write position for the caller's next reads. Subscriptions and mutations read the primary. Without
 * replicas this passes every call straight on.
 */
async function routeReads(call: GuardedCall): Promise<CallResult> {
  const { ctx, type, path } = call;
  const routing = ctx.readRouting;
  if (!routing) return auditMutations(call);
  if (type === "mutation") {
    const result = await auditMutations(call);
    if (result.ok) {
      // The change is committed: failing the answer now would lie. Without the position the caller's next read
      // may lag behind their write until the replica catches up; the primary being away is the likely cause.
      await routing.recordWrite().catch((error: unknown) => {
        ctx.logger.warn({ err: error, procedure: path, requestId: ctx.meta.requestId }, "write position unknown");
      });
    }
    return result;
  }
  const replica = type === "query" ? routing.pickReplica() : null;
  if (!replica) return call.next();
  const result = await call.next({ db: replica as Executor });
  if (result.ok || !isDatabaseUnavailable(result.error)) return result;
  routing.replicaUnavailable(replica, result.error);
  return call.next();
}

/** Thrown inside a mutation's transaction to roll it back when the procedure failed. */
const ROLLBACK = Symbol("rollback");

/**
 * Every mutation runs in one transaction together with its audit event
 * (procedure path, actor, target, a bounded summary of the input without
 * secrets, the outcome): a change cannot commit without its audit row. A
 * failed mutation is rolled back, then its failure is recorded on its own;
 * so is one refused for its origin, which never starts. Input that failed
 * validation is not recorded: nothing happened.
 */
async function auditMutations(call: GuardedCall): Promise<CallResult> {
  const { ctx, type, path, getRawInput } = call;
  if (type !== "mutation") return call.next();
  const audit = new AuditScope();
  const record = async (outcome: AuditOutcome) =>
    auditRecord(ctx, path, audit, outcome, await getRawInput().catch(() => undefined));
  const recordFailure = async (error: TRPCError) => {
    try {
      await recordAuditEvent(ctx.db, await record({ ok: false, code: error.code, message: error.message }));
    } catch (auditError) {
      ctx.logger.error({ err: auditError, procedure: path, requestId: ctx.meta.requestId }, "audit write failed");
    }
  };

  const refusal = crossSiteRefusal(ctx);
  if (refusal) {
    await recordFailure(refusal);
    throw refusal;
  }
  let failed: Extract<CallResult, { ok: false }> | undefined;
  try {
    return await ctx.db.transaction(async (tx) => {
      const result = await call.next({ audit, db: tx as Executor });
      if (!result.ok) {
        failed = result;
        throw ROLLBACK;
      }
      await recordAuditEvent(tx, await record({ ok: true }));
      return result;
    });
  } catch (error) {
    // Anything but our own rollback (the audit row or the commit failed) means the change did not happen.
    if (!failed) throw error;
  }
  if (failed.error.cause instanceof ZodError) return failed;
  // Recorded as the client is told it: a domain or database error with its mapped code.
  await recordFailure(toTRPCError(failed.error) ?? failed.error);
  return failed;
}

/**
 * CSRF, for a mutation: only a credential the browser attaches by itself (the
 * session cookie) can be abused from another site. A mutation riding on the
 * cookie must come from our own origin (or an allowlisted one); an anonymous
 * mutation on a cookie transport from another site is refused too (no login
 * CSRF), also when it carries an empty or unusable Authorization header.
 * Callers authenticated by a token in a header, and the REST facade, which
 * never reads nor sets cookies, pass.
 */
function crossSiteRefusal(ctx: Context): TRPCError | null {
  const bearerCaller = ctx.credentialSource === "header" && ctx.principal !== null;
  if (!ctx.meta.usesCookies || bearerCaller) return null;
  const verdict = judgeOrigin(ctx.meta.headers, ctx.meta.origin, ctx.authSettings.trustedOrigins);
  if (verdict === "cross-site" || (ctx.credentialSource === "cookie" && verdict !== "trusted")) {
    return new TRPCError({
      code: "FORBIDDEN",
      message: "Cross-site request refused: this change must come from the Inkwell admin or an allowed origin.",
    });
  }
  return null;
}

const baseProcedure = t.procedure.use(guardCalls);

// 3. Procedure builders --------------------------------------------------------

/** Anyone may call it; `ctx.principal` is the caller if signed in, else null. */
export const publicProcedure = baseProcedure;

/** A signed-in user or an API key; `ctx.principal` and `ctx.user` are non-null. */
export const authedProcedure = baseProcedure.meta({ signedIn: true }).use(({ ctx, next }) => {
  if (!ctx.principal) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: ctx.credentialProblem ?? "Sign in to do this." });
  }
  return next({ ctx: { principal: ctx.principal, user: ctx.principal.user } });
});

const SESSION_ONLY = "This needs a signed-in session; API keys cannot do it.";

/** A signed-in browser or token session (not an API key): session management, password. */
export const sessionProcedure = authedProcedure.meta({ sessionOnly: true }).use(({ ctx, next }) => {
  if (ctx.principal.kind !== "session") throw new TRPCError({ code: "FORBIDDEN", message: SESSION_ONLY });
  return next({ ctx: { principal: ctx.principal } });
});

function refuseMissing(held: readonly Permission[], required: readonly Permission[]): void {
  const missing = required.filter((permission) => !held.includes(permission));
  if (missing.length > 0) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: `You need the ${missing.map((p) => `"${p}"`).join(" and ")} permission to do this.`,
    });
  }
}

/** A caller holding every one of `required` (an API key holds only its scopes). */
export function permissionProcedure(...required: [Permission, ...Permission[]]) {
  return authedProcedure.meta({ permissions: required }).use(({ ctx, next }) => {
    refuseMissing(ctx.principal.permissions, required);
    return next();
  });
}

/** A signed-in session holding every one of `required`; API keys are refused whatever their scopes. */
export function sessionPermissionProcedure(...required: [Permission, ...Permission[]]) {
  return sessionProcedure.meta({ permissions: required }).use(({ ctx, next }) => {
    refuseMissing(ctx.principal.permissions, required);
    return next();
  });
}

// 4. Live streams ---------------------------------------------------------------

/**
 * What a subscription returns: the stream's items, with a failure that ends
 * it (caller revoked, article hidden, database away, server shutting down)
 * mapped like any procedure's. Errors thrown while it starts pass through the
 * middleware; these come later, while the client reads.
 */
export async function* liveStream<T>(items: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* items;
  } catch (error) {
    throw toTRPCError(error) ?? error;
  }
}

/** `liveStream` for items carrying their id: sent as tracked events, so a reconnecting client resumes after the last. */
export async function* trackedLiveStream<T>(items: AsyncIterable<StreamItem<T>>): AsyncGenerator<TrackedEnvelope<T>> {
  for await (const item of liveStream(items)) yield tracked(item.id, item.data);
}
