import { Paper, Switch, Text, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { notifyError, notifySuccess } from "../../lib/notify.tsx";
import { useMe } from "../../lib/permissions.ts";
import { trpc } from "../../lib/trpc.ts";

/** The opt-out that notification emails link to. The switch moves at once and goes back if the server refuses. */
export function NotificationsCard() {
  const { user } = useMe();
  const queryClient = useQueryClient();
  const meKey = trpc.auth.me.queryKey();
  const update = useMutation(
    trpc.auth.updateProfile.mutationOptions({
      onMutate: async ({ notifyOnComment }) => {
        await queryClient.cancelQueries({ queryKey: meKey });
        const previous = queryClient.getQueryData(meKey);
        queryClient.setQueryData(meKey, (old) =>
          old && notifyOnComment !== undefined ? { ...old, user: { ...old.user, notifyOnComment } } : old,
        );
        return { previous };
      },
      onError: (error, _input, context) => {
        queryClient.setQueryData(meKey, context?.previous);
        notifyError(error, "Could not change your notifications");
      },
      onSuccess: (account) =>
        notifySuccess(account.notifyOnComment ? "Comment emails are on." : "Comment emails are off."),
      onSettled: () => queryClient.invalidateQueries({ queryKey: meKey }),
    }),
  );
  return (
    <Paper withBorder p="lg">
      <Title order={3} size="h5" mb="xs">
        Notifications
      </Title>
      <Switch
        checked={user.notifyOnComment}
        onChange={(event) => update.mutate({ notifyOnComment: event.currentTarget.checked })}
        label="Email me when someone comments on my articles"
        description={`Sent to ${user.email}. Your own comments never send one.`}
      />
      <Text size="xs" c="dimmed" mt="sm">
        Every notification email links here.
      </Text>
    </Paper>
  );
}
