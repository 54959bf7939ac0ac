import type { QueryClient } from "@tanstack/react-query";

const sessionEndedKey = ["inkwell", "session-ended"] as const;

/**
 * Remembers, in the query cache until it is cleared, that the session ended in this
 * tab: the sign-in page then has no need to ask the server who is signed in (an
 * answer of 401, or worse, the user still in the cache, which would send the
 * browser "back" to the dashboard whose queries all fail with 401).
 */
export function rememberSessionEnded(queryClient: QueryClient): void {
  queryClient.setQueryData(sessionEndedKey, true);
}

export function sessionJustEnded(queryClient: QueryClient): boolean {
  return queryClient.getQueryData(sessionEndedKey) === true;
}
