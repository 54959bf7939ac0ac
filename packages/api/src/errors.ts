import { isDatabaseUnavailable } from "@inkwell/db";

/**
 * Domain errors: how services (and the stream code) refuse a request, in the
 * request's own terms and without knowing the transport. Each kind becomes one
 * tRPC code in one place, `toTRPCError` in `trpc.ts`, which keeps the error as
 * the `cause`: the error formatter reads `fields` and `seconds` from it, the
 * REST facade `fields`, `seconds`, and `name`/`resource` of `NotFound`.
 */

/** Field-level messages for forms, shaped like zod's flattened errors: `{ title: ["Too long"] }`. */
export type FieldMessages = Record<string, string[]>;

/** The input field(s) an error is about: a field's name (the message is about it), or messages by field. */
export type About = string | FieldMessages;

/** What kind of refusal an error is; `trpc.ts` maps each kind to its tRPC code. */
export type DomainErrorKind =
  | "invalid"
  | "unauthorized"
  | "forbidden"
  | "notFound"
  | "conflict"
  | "preconditionFailed"
  | "tooManyRequests"
  | "notImplemented"
  | "unavailable";

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  /** Messages by input field, for forms; undefined when the error is about the request as a whole. */
  readonly fields: FieldMessages | undefined;

  constructor(message: string, about?: About, options?: ErrorOptions) {
    super(message, options);
    this.fields = typeof about === "string" ? { [about]: [message] } : about;
  }
}

/** The input breaks a rule a schema cannot check (BAD_REQUEST). */
export class Invalid extends DomainError {
  readonly kind = "invalid";
  override name = "Invalid";
}

/** The caller is not who they claim, or no longer (UNAUTHORIZED). */
export class Unauthorized extends DomainError {
  readonly kind = "unauthorized";
  override name = "Unauthorized";

  constructor(message: string) {
    super(message);
  }
}

/** The caller is known but may not do this (FORBIDDEN). */
export class Forbidden extends DomainError {
  readonly kind = "forbidden";
  override name = "Forbidden";
}

/** What the REST facade calls the missing thing: `{"errors":{"article":["not found"]}}`. */
export type NotFoundResource =
  | "article"
  | "comment"
  | "profile"
  | "user"
  | "tag"
  | "session"
  | "apiKey"
  | "email"
  | "job"
  | "webhookEndpoint"
  | "webhookDelivery"
  | "identityProvider"
  | "identity"
  | "passkey";

/** Names what was not found, so other facades (REST) can say so in their own words (NOT_FOUND). */
export class NotFound extends DomainError {
  readonly kind = "notFound";
  // The REST facade recognises this error by its name and reads `resource`.
  override name = "NotFound";

  constructor(
    readonly resource: NotFoundResource,
    message: string,
    about?: About,
  ) {
    super(message, about);
  }
}

/**
 * A row the change refers to vanished while it ran (a foreign key found
 * nothing). NOT_FOUND, but without a resource: facades use their own.
 */
export class MissingReference extends DomainError {
  readonly kind = "notFound";
  override name = "MissingReference";

  constructor(message: string) {
    super(message);
  }
}

/** The change collides with what exists, e.g. a taken name (CONFLICT). */
export class Conflict extends DomainError {
  readonly kind = "conflict";
  override name = "Conflict";
}

/** The target is not in a state that allows the change yet (PRECONDITION_FAILED). */
export class PreconditionFailed extends DomainError {
  readonly kind = "preconditionFailed";
  override name = "PreconditionFailed";
}

/** Too many attempts; `seconds` tells the client when to try again (also sent as the Retry-After header). */
export class TooManyRequests extends DomainError {
  readonly kind = "tooManyRequests";
  // The tRPC route finds this error by its name to set the Retry-After header.
  override name = "RetryAfter";
  /** Whole seconds, at least 1. */
  readonly seconds: number;

  constructor(message: string, retryAfterMs: number) {
    super(message);
    this.seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  }
}

/** This server does not offer what was asked (NOT_IMPLEMENTED), e.g. live streams in a script. */
export class NotImplemented extends DomainError {
  readonly kind = "notImplemented";
  override name = "NotImplemented";

  constructor(message: string) {
    super(message);
  }
}

/**
 * Retryable: the database is away, this process is shutting down, or PostgreSQL undid the request's transaction
 * for another at the same moment (SERVICE_UNAVAILABLE). `cause`: the database's own error, for the log.
 */
export class Unavailable extends DomainError {
  readonly kind = "unavailable";
  override name = "Unavailable";

  constructor(message: string, options?: ErrorOptions) {
    super(message, undefined, options);
  }
}

export const DATABASE_UNAVAILABLE = "The database is unavailable right now. Try again in a few seconds.";
export const CONCURRENT_CHANGE =
  "This request ran into another change made at the same moment and was undone: nothing of it was saved. Send it again.";

/**
 * PostgreSQL undid the transaction for another one: a deadlock, or a serialization failure. The same request sent
 * again goes through, so clients are told to retry; a deadlock is still a lock-order bug, which the servers log.
 */
export function isConcurrencyAbort(error: unknown): boolean {
  const code = postgresError(error)?.code;
  return code === "40P01" || code === "40001";
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

/** A unique constraint (the one named, if given) refused a write. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pg = postgresError(error);
  return pg?.code === "23505" && (constraint === undefined || pg.constraint_name === constraint);
}

/**
 * The domain error for a database failure a client can cause or should retry
 * (a duplicate, a vanished reference, a value out of range, the database
 * away, a deadlock), so none of them is a 500. Null for any other failure: a bug.
 */
export function domainErrorFromDatabase(error: unknown): DomainError | null {
  if (isDatabaseUnavailable(error)) return new Unavailable(DATABASE_UNAVAILABLE);
  const pg = postgresError(error);
  if (!pg) return null;
  if (pg.code === "23505") {
    const known = pg.constraint_name ? uniqueViolations[pg.constraint_name] : undefined;
    return known ? new Conflict(known.message, known.field) : new Conflict("This already exists.");
  }
  if (pg.code === "23503") return new MissingReference("Something this refers to no longer exists.");
  if (isConcurrencyAbort(pg)) return new Unavailable(CONCURRENT_CHANGE, { cause: error });
  if (pg.code === "22P02" || pg.code === "22003" || pg.code === "22001") {
    return new Invalid("A value is malformed or out of range.");
  }
  return null;
}
