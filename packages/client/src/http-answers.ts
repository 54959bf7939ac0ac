import type { InkwellError, InkwellErrorCode, InkwellErrorDetails } from "./error-types.ts";

/** tRPC codes for the statuses the server's HTTP layer answers itself (rate limits, body limit, timeouts). */
const codeByStatus: Record<number, InkwellErrorCode> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  413: "PAYLOAD_TOO_LARGE",
  429: "TOO_MANY_REQUESTS",
  500: "INTERNAL_SERVER_ERROR",
  502: "BAD_GATEWAY",
  503: "SERVICE_UNAVAILABLE",
  504: "GATEWAY_TIMEOUT",
};

interface ResponseLike {
  status: number;
  statusText: string;
  headers: { get(name: string): string | null };
}

function isResponseLike(value: unknown): value is ResponseLike {
  return typeof value === "object" && value !== null && typeof (value as ResponseLike).status === "number";
}

type HttpAnswer = Omit<InkwellErrorDetails, "fieldErrors">;

/**
 * What an answer that is not a tRPC error says: the HTTP layer in front of
 * the router (e.g. a 429 from the rate limiter, with Retry-After) answers in
 * its own JSON, `{ "error": "…" }`. Null when no answer arrived at all.
 */
export function httpAnswerOf(error: InkwellError): HttpAnswer | null {
  const response = error.meta?.response;
  if (!isResponseLike(response)) return null;
  const body = error.meta?.responseJSON as { error?: unknown } | undefined;
  const retryAfter = Number(response.headers.get("retry-after"));
  return {
    code: codeByStatus[response.status] ?? null,
    httpStatus: response.status,
    message:
      typeof body?.error === "string"
        ? body.error
        : `The server answered ${response.status} ${response.statusText}`.trim(),
    retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
  };
}
