import { TRPCError } from "@trpc/server";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ZodError } from "zod";
import type { Resource } from "./context.ts";

export type RealWorldErrors = { errors: Record<string, string[]> };

/** An answer the facade decides itself, e.g. a malformed envelope (422) or the login's "credentials invalid" (401). */
export class RestError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly errors: Record<string, string[]>,
  ) {
    super(Object.keys(errors).join(", "));
  }
}

/** A problem found while reading the request itself (envelope, query string, JSON). */
export class RestInputError extends RestError {
  constructor(errors: Record<string, string[]>) {
    super(422, errors);
  }
}

const isBlank = (value: unknown) =>
  value === undefined || value === null || (typeof value === "string" && value.trim() === "");

/** Zod issues as RealWorld field errors; a missing, null or empty field "can't be blank". */
function fieldErrors(error: ZodError, input: Record<string, unknown>): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "body");
    const message = issue.path.length === 1 && isBlank(input[field]) ? "can't be blank" : issue.message;
    errors[field] = [...new Set([...(errors[field] ?? []), message])];
  }
  return errors;
}

interface Mapped {
  status: ContentfulStatusCode;
  body: RealWorldErrors;
  retryAfter?: number;
}

/**
 * Translates a procedure's error into the RealWorld contract's status and
 * body. `input` is what the facade passed, to tell blank fields apart.
 */
export function toRealWorldError(error: unknown, resource: Resource, input: Record<string, unknown> = {}): Mapped {
  if (error instanceof RestError) return { status: error.status, body: { errors: error.errors } };
  if (!(error instanceof TRPCError)) return { status: 500, body: { errors: { server: ["Something went wrong."] } } };

  const cause = error.cause as {
    name?: string;
    fields?: Record<string, string[]>;
    resource?: string;
    seconds?: number;
  };
  switch (error.code) {
    case "BAD_REQUEST":
      return {
        status: 422,
        body: {
          errors:
            error.cause instanceof ZodError
              ? fieldErrors(error.cause, input)
              : (cause?.fields ?? { [resource]: [error.message] }),
        },
      };
    case "UNAUTHORIZED":
      return { status: 401, body: { errors: { token: ["is missing"] } } };
    case "FORBIDDEN":
      return { status: 403, body: { errors: cause?.fields ?? { [resource]: ["forbidden"] } } };
    case "NOT_FOUND":
      return {
        status: 404,
        body: { errors: { [cause?.name === "NotFound" ? String(cause.resource) : resource]: ["not found"] } },
      };
    case "CONFLICT": {
      const fields = Object.keys(cause?.fields ?? { [resource]: [] });
      return {
        status: 409,
        body: { errors: Object.fromEntries(fields.map((field) => [field, ["has already been taken"]])) },
      };
    }
    case "TOO_MANY_REQUESTS":
      return { status: 429, body: { errors: { [resource]: [error.message] } }, retryAfter: cause?.seconds };
    case "SERVICE_UNAVAILABLE":
      return { status: 503, body: { errors: { database: [error.message] } } };
    case "PAYLOAD_TOO_LARGE":
      return { status: 413, body: { errors: { body: [error.message] } } };
    default:
      return { status: 500, body: { errors: { server: ["Something went wrong."] } } };
  }
}
