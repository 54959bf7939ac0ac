import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { errorCode, isClientError } from "./errors.ts";

let unauthorizedHandler: () => void = () => {};

/** Called when any query learns that the session is gone (expired, revoked, signed out elsewhere). */
export function onUnauthorized(handler: () => void): void {
  unauthorizedHandler = handler;
}

function checkSession(error: unknown): void {
  if (errorCode(error) === "UNAUTHORIZED") unauthorizedHandler();
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
