import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "@tanstack/react-router";
import { notifyError } from "./notify.tsx";
import { rememberSessionEnded } from "./session-ended.ts";
import { trpc } from "./trpc.ts";

/**
 * Ends this session, then shows sign-in; the sign-in page drops what was cached for the signed-out user once
 * the console's pages are gone (`forgetSignedOutUser`).
 */
export function useSignOut() {
  const router = useRouter();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.auth.signOut.mutationOptions({
      onSuccess: async () => {
        // Nothing of the signed-out user loads again: stop what is in flight, and tell sign-in the session is
        // over (it must not find the cached user and send them back in).
        await queryClient.cancelQueries();
        rememberSessionEnded(queryClient);
        await router.navigate({ to: "/sign-in" });
      },
      onError: (error) => notifyError(error, "Could not sign out"),
    }),
  );
}
