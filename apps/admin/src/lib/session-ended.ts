import type { QueryClient } from "@tanstack/react-query";

const sessionEndedKey = ["inkwell", "session-ended"] as const;

/**
 * Remembers, in the query cache until the next sign-in clears it, that the session
 * ended in this tab: the sign-in page then has no need to ask the server who is
 * signed in (an answer of 401, or worse, the user still in the cache, which would
 * send the browser "back" to the dashboard whose queries all fail with 401).
 */
export function rememberSessionEnded(queryClient: QueryClient): void {
  queryClient.setQueryData(sessionEndedKey, true);
}

export function sessionJustEnded(queryClient: QueryClient): boolean {
  return queryClient.getQueryData(sessionEndedKey) === true;
}

/**
 * Drops everything cached for the user who signed out, keeping the note that they did. Called by the sign-in
 * page once it shows: cleared while a console page is still mounted (React renders the next page in a
 * transition), that page's queries would fetch again, and fail with 401.
 */
export function forgetSignedOutUser(queryClient: QueryClient): void {
  if (!sessionJustEnded(queryClient)) return;
  queryClient.clear();
  rememberSessionEnded(queryClient);
}
