import { isDatabaseUnavailable } from "@inkwell/db";
import { TRPCError } from "@trpc/server";

/** Carries field-level messages to the client, shaped like zod's flattened errors. */
export class FieldErrors extends Error {
  constructor(readonly fields: Record<string, string[]>) {
    super(Object.values(fields).flat().join("; "));
    this.name = "FieldErrors";
  }
}

/** Tells the client when to try again (also sent as the Retry-After header). */
export class RetryAfter extends Error {
  constructor(readonly seconds: number) {
    super(`retry after ${seconds}s`);
    this.name = "RetryAfter";
  }
}

/** Names what was not found, so other facades (REST) can say so in their own words. */
export class NotFound extends Error {
  constructor(
    readonly resource: "article" | "comment" | "profile" | "user" | "tag" | "session" | "apiKey",
    message: string,
  ) {
    super(message);
    this.name = "NotFound";
  }
}

export function notFound(resource: NotFound["resource"], message: string): TRPCError {
  return new TRPCError({ code: "NOT_FOUND", message, cause: new NotFound(resource, message) });
}

export function fieldError(code: TRPCError["code"], field: string, message: string): TRPCError {
  return new TRPCError({ code, message, cause: new FieldErrors({ [field]: [message] }) });
}

export function tooManyRequests(message: string, retryAfterMs: number): TRPCError {
  return new TRPCError({
    code: "TOO_MANY_REQUESTS",
    message,
    cause: new RetryAfter(Math.max(1, Math.ceil(retryAfterMs / 1000))),
  });
}

/** Unique constraints, by name, and what a person should be told when one is hit. */
const uniqueViolations: Record<string, { field: string; message: string }> = {
  users_email_lower_key: { field: "email", message: "This email is already registered." },
  users_username_lower_key: { field: "username", message: "This username is taken." },
  articles_slug_key: { field: "slug", message: "An article with this slug already exists." },
  tags_name_key: { field: "name", message: "A tag with this name already exists." },
  api_keys_prefix_key: { field: "key", message: "Key collision; try again." },
};

interface PostgresErrorLike {
  code: string;
  constraint_name?: string;
}

function postgresError(error: unknown): PostgresErrorLike | null {
  // drizzle wraps the driver's error in `cause`; tRPC wraps again.
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    if (
      typeof current === "object" &&
      "code" in current &&
      typeof current.code === "string" &&
      /^[0-9A-Z]{5}$/.test(current.code)
    ) {
      return current as PostgresErrorLike;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * Turns database errors a client can cause into the right tRPC error, so a
 * duplicate or a vanished reference is never a 500. Returns null for others.
 */
export const DATABASE_UNAVAILABLE = "The database is unavailable right now. Try again in a few seconds.";

export function fromDatabaseError(error: unknown): TRPCError | null {
  if (isDatabaseUnavailable(error)) {
    return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: DATABASE_UNAVAILABLE });
  }
  const pg = postgresError(error);
  if (!pg) return null;
  if (pg.code === "23505") {
    const known = pg.constraint_name ? uniqueViolations[pg.constraint_name] : undefined;
    return known
      ? fieldError("CONFLICT", known.field, known.message)
      : new TRPCError({ code: "CONFLICT", message: "This already exists." });
  }
  if (pg.code === "23503") {
    return new TRPCError({ code: "NOT_FOUND", message: "Something this refers to no longer exists." });
  }
  if (pg.code === "22P02" || pg.code === "22003" || pg.code === "22001") {
    return new TRPCError({ code: "BAD_REQUEST", message: "A value is malformed or out of range." });
  }
  return null;
}
