import { type Context as ApiContext, appRouter } from "@inkwell/api";
import { getTRPCErrorFromUnknown, getTRPCErrorShape, type TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Every tRPC error code; the type makes the list complete. A failure's `code` is one of these. */
export const errorCodes = Object.keys({
  PARSE_ERROR: true,
  BAD_REQUEST: true,
  INTERNAL_SERVER_ERROR: true,
  NOT_IMPLEMENTED: true,
  BAD_GATEWAY: true,
  SERVICE_UNAVAILABLE: true,
  GATEWAY_TIMEOUT: true,
  UNAUTHORIZED: true,
  PAYMENT_REQUIRED: true,
  FORBIDDEN: true,
  NOT_FOUND: true,
  METHOD_NOT_SUPPORTED: true,
  TIMEOUT: true,
  CONFLICT: true,
  PRECONDITION_FAILED: true,
  PAYLOAD_TOO_LARGE: true,
  UNSUPPORTED_MEDIA_TYPE: true,
  UNPROCESSABLE_CONTENT: true,
  PRECONDITION_REQUIRED: true,
  TOO_MANY_REQUESTS: true,
  CLIENT_CLOSED_REQUEST: true,
} satisfies Record<TRPC_ERROR_CODE_KEY, true>) as [TRPC_ERROR_CODE_KEY, ...TRPC_ERROR_CODE_KEY[]];

/** What /api/rpc answers when a call fails (`ProcedureError` in the document). */
export interface ErrorBody {
  /** For a person: what went wrong and what to do. */
  error: string;
  code: TRPC_ERROR_CODE_KEY;
  /** Messages by input field, for invalid input and for refusals about one field. */
  fieldErrors?: Record<string, string[]>;
  retryAfterSeconds?: number;
  requestId: string;
}

export interface ErrorAnswer {
  status: ContentfulStatusCode;
  body: ErrorBody;
}

/** A failure the transport finds itself, before any procedure runs (a body that is not JSON, an unknown path). */
export class TransportError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: TRPC_ERROR_CODE_KEY,
    message: string,
  ) {
    super(message);
  }
}

interface FormattedShape {
  message: string;
  data: { code: TRPC_ERROR_CODE_KEY; fieldErrors?: Record<string, string[]>; retryAfterSeconds?: number };
}

/**
 * A procedure's failure as the tRPC endpoint words it: the same error
 * formatter (field errors, retry time, no internals in a 500's message) and
 * the same HTTP status for each code.
 */
export function errorAnswer(
  error: unknown,
  call: { requestId: string; path?: string; type?: "query" | "mutation"; input?: unknown; ctx?: ApiContext },
): ErrorAnswer {
  if (error instanceof TransportError) {
    return { status: error.status, body: { error: error.message, code: error.code, requestId: call.requestId } };
  }
  const trpcError = getTRPCErrorFromUnknown(error);
  const shape = getTRPCErrorShape({
    config: appRouter._def._config,
    error: trpcError,
    type: call.type ?? "unknown",
    path: call.path,
    input: call.input,
    ctx: call.ctx,
  }) as FormattedShape;
  const { fieldErrors, retryAfterSeconds } = shape.data;
  return {
    status: getHTTPStatusCodeFromError(trpcError) as ContentfulStatusCode,
    body: {
      error: shape.message,
      code: shape.data.code,
      ...(fieldErrors ? { fieldErrors } : {}),
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      requestId: call.requestId,
    },
  };
}
