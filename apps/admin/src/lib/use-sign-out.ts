import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "@tanstack/react-router";
import { notifyError } from "./notify.tsx";
import { rememberSessionEnded } from "./session-ended.ts";
import { trpc } from "./trpc.ts";

/** Ends this session, then shows sign-in with nothing of the signed-out user left in the cache. */
export function useSignOut() {
  const router = useRouter();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.auth.signOut.mutationOptions({
      onSuccess: async () => {
        // Nothing of the signed-out user loads again: stop what is in flight, tell sign-in the session is over
        // (it must not find the cached user and send them back in), leave the page, and only then forget the
        // cache (cleared under a mounted page, its queries would fetch again, and fail with 401).
        await queryClient.cancelQueries();
        rememberSessionEnded(queryClient);
        await router.navigate({ to: "/sign-in" });
        queryClient.clear();
      },
      onError: (error) => notifyError(error, "Could not sign out"),
    }),
  );
}
