import { z } from "zod";
import type { ZodOpenApiResponseObject, ZodOpenApiResponsesObject } from "zod-openapi";
import { plainErrorSchema } from "../rest/schemas.ts";
import { errorCodes } from "./errors.ts";

/** The failures /api/rpc documents: one body for all (`ProcedureError`), named responses by status. */

export const procedureErrorSchema = z
  .object({
    error: z.string().meta({ description: "What went wrong and what to do, for a person" }),
    code: z.enum(errorCodes).meta({ description: "The tRPC error code; the HTTP status follows from it" }),
    fieldErrors: z
      .record(z.string(), z.array(z.string()))
      .optional()
      .meta({ description: 'Messages by input field, e.g. `{"name":["A tag cannot be empty."]}`' }),
    retryAfterSeconds: z.int().min(0).optional().meta({ description: "When throttled: seconds to wait" }),
    requestId: z.string().meta({ description: "Quote it when reporting a problem (also in `X-Request-Id`)" }),
  })
  .meta({ id: "ProcedureError" });

/** What the server's own guards answer before a request reaches a procedure (body size, rate limit, database away). */
const guardedSchema = z.union([procedureErrorSchema, plainErrorSchema]);

const failure = (id: string, description: string, schema: z.ZodType = procedureErrorSchema) =>
  ({ id, description, content: { "application/json": { schema } } }) satisfies ZodOpenApiResponseObject;

const errors = {
  400: failure(
    "BadRequest",
    "`BAD_REQUEST`: invalid input (`fieldErrors` names each field and why), a body that is not JSON, or text PostgreSQL cannot store",
  ),
  401: failure("Unauthorized", "`UNAUTHORIZED`: no credential, or one that is unknown, expired or revoked"),
  403: failure(
    "Forbidden",
    "`FORBIDDEN`: the caller lacks the permission (an API key holds only its scopes), the rule refuses it (someone else's article), or their role requires two-factor sign-in they have not turned on",
  ),
  413: failure("PayloadTooLarge", "The body is larger than the server accepts (`BODY_LIMIT_BYTES`)", guardedSchema),
  415: failure("UnsupportedMediaType", "`UNSUPPORTED_MEDIA_TYPE`: a body not sent as `application/json`"),
  429: {
    ...failure(
      "TooManyRequests",
      "`TOO_MANY_REQUESTS`: the rate limit, or too many failed sign-ins or codes; retry after `Retry-After` seconds",
      guardedSchema,
    ),
    headers: z.object({ "Retry-After": z.string().meta({ description: "Seconds to wait before trying again" }) }),
  },
  503: failure(
    "ServiceUnavailable",
    "`SERVICE_UNAVAILABLE`: the database is unreachable, or undid the call for a concurrent change (nothing was saved); retry later",
    guardedSchema,
  ),
  default: failure(
    "OtherError",
    "Any other refusal, by `code`: `NOT_FOUND` (404), `CONFLICT` (409: a name or value already taken), `PRECONDITION_FAILED` (412: not possible in the current state), `NOT_IMPLEMENTED` (501: the server lacks a setting, e.g. an encryption key), `INTERNAL_SERVER_ERROR` (500)",
  ),
} satisfies Record<number | "default", ZodOpenApiResponseObject>;

export type DocumentedError = keyof typeof errors;

export function errorsFor(statuses: readonly DocumentedError[]): ZodOpenApiResponsesObject {
  return Object.fromEntries(statuses.map((status) => [status, errors[status]]));
}
