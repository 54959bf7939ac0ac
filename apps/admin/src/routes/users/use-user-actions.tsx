import type { Role } from "@inkwell/auth/permissions";
import { Text } from "@mantine/core";
import { modals } from "@mantine/modals";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { confirmAction } from "../../components/confirm.tsx";
import { plural } from "../../lib/format.ts";
import { notifyError, notifySuccess } from "../../lib/notify.tsx";
import { type RouterOutputs, trpc } from "../../lib/trpc.ts";
import { SuspendUserForm } from "./suspend-user-form.tsx";

type ListedUser = RouterOutputs["users"]["list"]["users"][number];
export type UserLike = Pick<ListedUser, "id" | "username" | "role" | "status">;
type Patch = Partial<Pick<ListedUser, "role" | "status">>;

/**
 * Role changes, suspension (a form: reason and end date), restore, session
 * revocation and deletion, each confirmed when it takes something away, with the table and the user page
 * updated at once and put back if the server refuses.
 */
export function useUserActions() {
  const queryClient = useQueryClient();
  const usersFilter = trpc.users.pathFilter();

  async function applyOptimistically(userId: number, patch: Patch) {
    await queryClient.cancelQueries(usersFilter);
    const snapshot = queryClient.getQueriesData(usersFilter);
    queryClient.setQueriesData<RouterOutputs["users"]["list"]>(trpc.users.list.queryFilter(), (old) =>
      old ? { ...old, users: old.users.map((user) => (user.id === userId ? { ...user, ...patch } : user)) } : old,
    );
    queryClient.setQueryData(trpc.users.detail.queryKey({ userId }), (old) =>
      old ? { ...old, user: { ...old.user, ...patch } } : old,
    );
    return { snapshot };
  }

  function rollback(context: { snapshot: [readonly unknown[], unknown][] } | undefined) {
    for (const [key, data] of context?.snapshot ?? []) queryClient.setQueryData(key, data);
  }

  const settle = () => queryClient.invalidateQueries(usersFilter);

  const setRole = useMutation(
    trpc.users.setRole.mutationOptions({
      onMutate: ({ userId, role }) => applyOptimistically(userId, { role }),
      onError: (error, _input, context) => {
        rollback(context);
        notifyError(error, "Could not change the role");
      },
      onSuccess: (user) => notifySuccess(`${user.username} is now ${user.role === "admin" ? "an" : "a"} ${user.role}.`),
      onSettled: settle,
    }),
  );

  const restore = useMutation(
    trpc.users.restore.mutationOptions({
      onMutate: ({ userId }) => applyOptimistically(userId, { status: "active" }),
      onError: (error, _input, context) => {
        rollback(context);
        notifyError(error, "Could not restore");
      },
      onSuccess: (user) => notifySuccess(`${user.username} can sign in again.`),
      onSettled: settle,
    }),
  );

  const revokeSessions = useMutation(
    trpc.users.revokeSessions.mutationOptions({
      onError: (error) => notifyError(error, "Could not revoke sessions"),
      onSuccess: ({ revoked }) => notifySuccess(`${plural(revoked, "session")} revoked.`),
      onSettled: settle,
    }),
  );

  const remove = useMutation(
    trpc.users.delete.mutationOptions({
      onError: (error) => notifyError(error, "Could not delete"),
      onSuccess: ({ deleted }) =>
        notifySuccess(
          `${deleted.username} is deleted, with ${plural(deleted.articles, "article")} and ${plural(deleted.comments, "comment")}.`,
        ),
      onSettled: settle,
    }),
  );

  return {
    changeRole(user: UserLike, role: Role) {
      confirmAction({
        title: `Make ${user.username} ${role === "admin" ? "an" : "a"} ${role}?`,
        message: `Their permissions change at once, in every session and API key they have.`,
        confirmLabel: `Make ${role}`,
        danger: role !== "admin",
        onConfirm: () => setRole.mutate({ userId: user.id, role }),
      });
    },
    suspend(user: UserLike) {
      const modalId = modals.open({
        title: `Suspend ${user.username}?`,
        children: <SuspendUserForm user={user} onDone={() => modals.close(modalId)} />,
      });
    },
    restore(user: UserLike) {
      restore.mutate({ userId: user.id });
    },
    revokeSessions(user: UserLike) {
      confirmAction({
        title: `Sign ${user.username} out everywhere?`,
        message: "Every session they have ends; their API keys keep working.",
        confirmLabel: "Revoke sessions",
        onConfirm: () => revokeSessions.mutate({ userId: user.id }),
      });
    },
    remove(user: UserLike, onDeleted?: () => void) {
      confirmAction({
        title: `Delete ${user.username}?`,
        message: (
          <Text size="sm">
            This deletes the account with <b>every article and comment</b> they wrote. It cannot be undone; the audit
            log keeps what they did.
          </Text>
        ),
        confirmLabel: "Delete user",
        onConfirm: () => remove.mutate({ userId: user.id }, { onSuccess: onDeleted }),
      });
    },
  };
}
