import { inkwellErrorDetails, isInkwellError } from "@inkwell/client";

/** The command line itself is wrong (exit code 2), as opposed to work that failed (1). */
export class UsageError extends Error {
  override name = "UsageError";
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** One line for people: the server's message, with field messages when it sent them. */
export function describeError(error: unknown, serverUrl?: string): string {
  const details = inkwellErrorDetails(error);
  if (isInkwellError(error) && details.httpStatus === null) {
    return `Could not reach the Inkwell server${serverUrl ? ` at ${serverUrl}` : ""}: ${reasonOf(error)}`;
  }
  const fields = Object.entries(details.fieldErrors)
    .map(([field, messages]) => `${field}: ${messages.join(" ")}`)
    .join("; ");
  const message = fields && !details.message.includes(fields) ? `${details.message} (${fields})` : details.message;
  return details.retryAfterSeconds ? `${message} Retry in ${details.retryAfterSeconds}s.` : message;
}

/** fetch reports "fetch failed" and keeps the useful part (ECONNREFUSED…) in its cause. */
function reasonOf(error: Error): string {
  const cause = error.cause as { cause?: { code?: string; message?: string } } | undefined;
  return cause?.cause?.code ?? cause?.cause?.message ?? error.message;
}

export function exitCodeOf(error: unknown): number {
  return error instanceof UsageError ? EXIT_USAGE : EXIT_FAILED;
}
