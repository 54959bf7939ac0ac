import { inkwellErrorDetails, isInkwellError } from "@inkwell/client/errors";

/**
 * What to tell a person about a failure: the server's message, as the client
 * package reads it, or, when no server answered, that it could not be reached
 * (the browser's own words, "Failed to fetch", say nothing to a person).
 */
export function errorMessage(error: unknown): string {
  const details = inkwellErrorDetails(error);
  return isInkwellError(error) && details.httpStatus === null
    ? "Could not reach the server. Check your connection."
    : details.message;
}
