import { useMutation, useQueryClient } from "@tanstack/react-query";
import { confirmAction } from "../../components/confirm.tsx";
import { notifyError, notifySuccess } from "../../lib/notify.tsx";
import { trpc } from "../../lib/trpc.ts";

/**
 * What an operator does to one credential of a user: end one session (a lost
 * laptop), revoke one API key (a leaked key). Each asks first; the user's
 * page reloads afterwards.
 */
export function useOperatorControls(user: { id: number; username: string }) {
  const queryClient = useQueryClient();
  const settle = () => queryClient.invalidateQueries(trpc.users.pathFilter());

  const revokeSession = useMutation(
    trpc.users.revokeSession.mutationOptions({
      onError: (error) => notifyError(error, "Could not revoke the session"),
      onSuccess: () => notifySuccess(`That session of ${user.username} has ended.`),
      onSettled: settle,
    }),
  );
  const revokeApiKey = useMutation(
    trpc.users.revokeApiKey.mutationOptions({
      onError: (error) => notifyError(error, "Could not revoke the key"),
      onSuccess: (key) => notifySuccess(`${user.username}'s key "${key.name}" no longer works.`),
      onSettled: settle,
    }),
  );

  return {
    revokeSession(session: { id: string; userAgent: string | null; ip: string | null }) {
      confirmAction({
        title: `End this session of ${user.username}?`,
        message: `${session.userAgent ?? "Unknown device"}${session.ip ? ` at ${session.ip}` : ""} is signed out. Their other sessions and API keys keep working.`,
        confirmLabel: "Revoke session",
        onConfirm: () => revokeSession.mutate({ userId: user.id, sessionId: session.id }),
      });
    },
    revokeApiKey(key: { id: number; name: string; prefix: string }) {
      confirmAction({
        title: `Revoke ${user.username}'s key "${key.name}"?`,
        message: `Requests with ${key.prefix}… are refused from now on. Their other keys and sessions keep working. This cannot be undone.`,
        confirmLabel: "Revoke key",
        onConfirm: () => revokeApiKey.mutate({ userId: user.id, keyId: key.id }),
      });
    },
  };
}
