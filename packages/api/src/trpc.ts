/**
 * 1. Initialization: one tRPC instance, one transformer, one error shape.
 * 2. Middleware every procedure gets: error mapping, audit of mutations, CSRF check.
 * 3. Procedure builders: every procedure starts from one of them, which decides
 *    who may call it. Handlers never re-check.
 */
import { judgeOrigin, type Permission } from "@inkwell/auth";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import type { Context } from "./context.ts";
import { FieldErrors, fromDatabaseError, RetryAfter } from "./errors.ts";
import { AuditScope } from "./middleware/audit.ts";
import { recordAuditEvent, summarizeInput } from "./services/audit.ts";

// 1. Initialization ----------------------------------------------------------

export interface ProcedureMeta {
  /** Permissions a caller needs; set by `permissionProcedure` and read by the router-walking test. */
  permissions?: readonly Permission[];
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    transformer: superjson,
    // Subscriptions over server-sent events: a ping every 15 s keeps proxies from closing an idle
    // stream, and a client that hears nothing for 20 s reconnects (resuming from its last event id).
    sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 20_000 } },
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      return {
        ...shape,
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

/**
 * Every mutation leaves an audit event: procedure path, actor, target, a
 * summary of the input without secrets, and the outcome. Input that failed
 * validation is not recorded: nothing happened.
 */
const auditMutations = t.middleware(async ({ ctx, type, path, getRawInput, next }) => {
  if (type !== "mutation") return next();
  const audit = new AuditScope();
  const result = await next({ ctx: { audit } });
  if (!result.ok && result.error.cause instanceof ZodError) return result;

  const scope = audit.toRecord();
  const principal = ctx.principal;
  try {
    await recordAuditEvent(ctx.db, {
      action: path,
      actorId: scope.actorId ?? principal?.user.id ?? null,
      actorApiKeyId: principal?.kind === "apiKey" ? principal.apiKey.id : null,
      targetType: scope.targetType,
      targetId: scope.targetId,
      ip: ctx.meta.ip,
      userAgent: ctx.meta.userAgent,
      requestId: ctx.meta.requestId,
      details: {
        outcome: result.ok ? "success" : "failure",
        ...(result.ok ? {} : { error: { code: result.error.code, message: result.error.message } }),
        input: summarizeInput(await getRawInput().catch(() => undefined)),
        ...scope.details,
      },
    });
  } catch (error) {
    // The change itself is done; a lost audit row must not turn it into an error for the client.
    console.error("audit write failed", error);
  }
  return result;
});

/**
 * CSRF: only a credential the browser attaches by itself (the session cookie)
 * can be abused from another site. A mutation riding on the cookie must come
 * from our own origin (or an allowlisted one); an anonymous mutation on a
 * cookie transport from another site is refused too (no login CSRF). Tokens
 * in headers, and the REST facade, which never reads nor sets cookies, pass.
 */
const checkOrigin = t.middleware(({ ctx, type, next }) => {
  if (type !== "mutation" || !ctx.meta.usesCookies || ctx.credentialSource === "header") return next();
  const verdict = judgeOrigin(ctx.meta.headers, ctx.meta.origin, ctx.authSettings.trustedOrigins);
  if (verdict === "cross-site" || (ctx.credentialSource === "cookie" && verdict !== "trusted")) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: "Cross-site request refused: this change must come from the Inkwell admin or an allowed origin.",
    });
  }
  return next();
});

const baseProcedure = t.procedure.use(auditMutations).use(mapDatabaseErrors).use(checkOrigin);

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

/** A signed-in browser or token session (not an API key): session management, password. */
export const sessionProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.principal.kind !== "session") {
    throw new TRPCError({ code: "FORBIDDEN", message: "This needs a signed-in session; API keys cannot do it." });
  }
  return next({ ctx: { principal: ctx.principal } });
});

/** A caller holding every one of `required` (an API key holds only its scopes). */
export function permissionProcedure(...required: [Permission, ...Permission[]]) {
  return authedProcedure.meta({ permissions: required }).use(({ ctx, next }) => {
    const missing = required.filter((permission) => !ctx.principal.permissions.includes(permission));
    if (missing.length > 0) {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: `You need the ${missing.map((p) => `"${p}"`).join(" and ")} permission to do this.`,
      });
    }
    return next();
  });
}
