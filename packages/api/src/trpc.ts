/**
 * 1. Initialization: one tRPC instance, one transformer, one error shape.
 * 2. Middleware every procedure gets: error mapping, audit of mutations, CSRF check.
 * 3. Procedure builders: every procedure starts from one of them, which decides
 *    who may call it (signed in, with which permissions, session or key).
 *    Handlers check only what depends on the data: ownership of an article or
 *    comment, whether a hidden article is visible to the caller, self-actions.
 */
import { judgeOrigin, type Permission } from "@inkwell/auth";
import type { Executor } from "@inkwell/db";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import type { Context } from "./context.ts";
import { FieldErrors, fieldError, fromDatabaseError, RetryAfter } from "./errors.ts";
import { AuditScope } from "./middleware/audit.ts";
import { type AuditOutcome, auditRecord } from "./middleware/audit-record.ts";
import { fieldNameOf, findUnstorableText } from "./middleware/unstorable-text.ts";
import { recordAuditEvent } from "./services/audit.ts";

// 1. Initialization ----------------------------------------------------------

export const INTERNAL_ERROR_MESSAGE =
  "Something went wrong on our side. Try again; if it keeps failing, report the X-Request-Id of this answer.";

/** What the procedure builders declare about who may call; read by the router-walking test. */
export interface ProcedureMeta {
  /** Permissions a caller needs; set by `permissionProcedure`. */
  permissions?: readonly Permission[];
  /** Only a signed-in session may call it, never an API key; set by the session builders. */
  sessionOnly?: boolean;
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    transformer: superjson,
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
          // Field-level messages for forms: { title: ["Too long"] }.
          fieldErrors:
            cause instanceof ZodError
              ? z.flattenError(cause).fieldErrors
              : cause instanceof FieldErrors
                ? cause.fields
                : undefined,
          retryAfterSeconds: cause instanceof RetryAfter ? cause.seconds : undefined,
        },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

// 2. Middleware ----------------------------------------------------------------

/** Database errors a client can cause (duplicates, vanished references) become 4xx, never 500. */
const mapDatabaseErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const mapped = fromDatabaseError(result.error.cause ?? result.error);
    if (mapped) throw mapped;
  }
  return result;
});

/** Text PostgreSQL cannot store (NUL, lone surrogates) is refused in every input, whatever the field. */
const refuseUnstorableText = t.middleware(async ({ getRawInput, next }) => {
  // An unreadable body is the input parser's to report, and only if the procedure takes input.
  const found = findUnstorableText(await getRawInput().catch(() => undefined));
  if (found) throw fieldError("BAD_REQUEST", fieldNameOf(found.path), found.message);
  return next();
});

/** Thrown inside a mutation's transaction to roll it back when the procedure failed. */
const ROLLBACK = Symbol("rollback");

/**
 * Every mutation runs in one transaction together with its audit event
 * (procedure path, actor, target, a bounded summary of the input without
 * secrets, the outcome): a change cannot commit without its audit row. A
 * failed mutation is rolled back, then its failure is recorded on its own.
 * Input that failed validation is not recorded: nothing happened.
 */
const auditMutations = t.middleware(async ({ ctx, type, path, getRawInput, next }) => {
  if (type !== "mutation") return next();
  const audit = new AuditScope();
  const record = async (outcome: AuditOutcome) =>
    auditRecord(ctx, path, audit, outcome, await getRawInput().catch(() => undefined));

  let failed: Extract<Awaited<ReturnType<typeof next>>, { ok: false }> | undefined;
  try {
    return await ctx.db.transaction(async (tx) => {
      const result = await next({ ctx: { audit, db: tx as Executor } });
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
  const error = fromDatabaseError(failed.error.cause ?? failed.error) ?? failed.error;
  try {
    await recordAuditEvent(ctx.db, await record({ ok: false, code: error.code, message: error.message }));
  } catch (auditError) {
    ctx.logger.error({ err: auditError, procedure: path, requestId: ctx.meta.requestId }, "audit write failed");
  }
  return failed;
});

/**
 * CSRF: only a credential the browser attaches by itself (the session cookie)
 * can be abused from another site. A mutation riding on the cookie must come
 * from our own origin (or an allowlisted one); an anonymous mutation on a
 * cookie transport from another site is refused too (no login CSRF), also
 * when it carries an empty or unusable Authorization header. Callers
 * authenticated by a token in a header, and the REST facade, which never
 * reads nor sets cookies, pass.
 */
const checkOrigin = t.middleware(({ ctx, type, next }) => {
  const bearerCaller = ctx.credentialSource === "header" && ctx.principal !== null;
  if (type !== "mutation" || !ctx.meta.usesCookies || bearerCaller) return next();
  const verdict = judgeOrigin(ctx.meta.headers, ctx.meta.origin, ctx.authSettings.trustedOrigins);
  if (verdict === "cross-site" || (ctx.credentialSource === "cookie" && verdict !== "trusted")) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: "Cross-site request refused: this change must come from the Inkwell admin or an allowed origin.",
    });
  }
  return next();
});

// In the order a call meets them: database errors are mapped last, so the transaction they abort is rolled back first.
const baseProcedure = t.procedure.use(mapDatabaseErrors).use(refuseUnstorableText).use(auditMutations).use(checkOrigin);

// 3. Procedure builders --------------------------------------------------------

/** Anyone may call it; `ctx.principal` is the caller if signed in, else null. */
export const publicProcedure = baseProcedure;

/** A signed-in user or an API key; `ctx.principal` and `ctx.user` are non-null. */
export const authedProcedure = baseProcedure.use(({ ctx, next }) => {
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
