import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "@tanstack/react-router";
import { notifyError } from "./notify.tsx";
import { trpc } from "./trpc.ts";

/** Ends this session, then shows sign-in with nothing of the signed-out user left in the cache. */
export function useSignOut() {
  const router = useRouter();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.auth.signOut.mutationOptions({
      onSuccess: async () => {
        await router.navigate({ to: "/sign-in" });
        queryClient.clear();
      },
      onError: (error) => notifyError(error, "Could not sign out"),
    }),
  );
}
