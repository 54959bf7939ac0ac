import { inkwellErrorDetails } from "@inkwell/client/errors";
import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";

let unauthorizedHandler: () => void = () => {};

/** Called when any query learns that the session is gone (expired, revoked, signed out elsewhere). */
export function onUnauthorized(handler: () => void): void {
  unauthorizedHandler = handler;
}

/** True for errors the caller caused (4xx): retrying will not help. */
function isClientError(error: unknown): boolean {
  const { httpStatus } = inkwellErrorDetails(error);
  return httpStatus !== null && httpStatus >= 400 && httpStatus < 500;
}

function checkSession(error: unknown): void {
  if (inkwellErrorDetails(error).code === "UNAUTHORIZED") unauthorizedHandler();
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: checkSession }),
  mutationCache: new MutationCache({ onError: checkSession }),
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      // A 4xx will not change on retry; a dropped connection might.
      retry: (failures, error) => !isClientError(error) && failures < 1,
    },
  },
});
