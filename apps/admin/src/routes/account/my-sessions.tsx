import { Badge, Button, Group, Paper, Skeleton, Table, Text, Title } from "@mantine/core";
import { IconLogout2 } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "@tanstack/react-router";
import { confirmAction } from "../../components/confirm.tsx";
import { DateText } from "../../components/date-text.tsx";
import { ErrorAlert } from "../../components/error-alert.tsx";
import { plural } from "../../lib/format.ts";
import { notifyError, notifySuccess } from "../../lib/notify.tsx";
import { trpc } from "../../lib/trpc.ts";

export function MySessions() {
  const queryClient = useQueryClient();
  const router = useRouter();
  const sessions = useQuery(trpc.auth.sessions.list.queryOptions());
  const listKey = trpc.auth.sessions.list.queryKey();

  const revoke = useMutation(
    trpc.auth.sessions.revoke.mutationOptions({
      onMutate: async ({ id }) => {
        await queryClient.cancelQueries({ queryKey: listKey });
        const previous = queryClient.getQueryData(listKey);
        queryClient.setQueryData(listKey, (old) => old?.filter((session) => session.id !== id));
        return { previous };
      },
      onError: (error, _input, context) => {
        queryClient.setQueryData(listKey, context?.previous);
        notifyError(error, "Could not revoke the session");
      },
      onSuccess: async ({ current }) => {
        if (current) {
          await router.navigate({ to: "/sign-in" });
          queryClient.clear();
          return;
        }
        notifySuccess("Session revoked.");
      },
      onSettled: () => queryClient.invalidateQueries({ queryKey: listKey }),
    }),
  );
  const revokeOthers = useMutation(
    trpc.auth.sessions.revokeOthers.mutationOptions({
      onError: (error) => notifyError(error, "Could not sign out other sessions"),
      onSuccess: ({ revoked }) => notifySuccess(`${plural(revoked, "other session")} ended.`),
      onSettled: () => queryClient.invalidateQueries({ queryKey: listKey }),
    }),
  );

  const others = sessions.data?.filter((session) => !session.current).length ?? 0;
  return (
    <Paper withBorder p="lg">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h5">
          Where you are signed in
        </Title>
        <Button
          variant="default"
          size="xs"
          leftSection={<IconLogout2 size={14} />}
          disabled={others === 0}
          loading={revokeOthers.isPending}
          onClick={() =>
            confirmAction({
              title: "Sign out everywhere else?",
              message: `Your ${plural(others, "other session")} will end. This one stays.`,
              confirmLabel: "Sign out others",
              onConfirm: () => revokeOthers.mutate(),
            })
          }
        >
          Sign out other sessions
        </Button>
      </Group>
      {sessions.isPending ? (
        <Skeleton height={96} />
      ) : sessions.isError ? (
        <ErrorAlert title="Could not load your sessions" error={sessions.error} />
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table aria-label="My sessions" fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Device</Table.Th>
                <Table.Th>Address</Table.Th>
                <Table.Th>Signed in</Table.Th>
                <Table.Th>Last active</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sessions.data.map((session) => (
                <Table.Tr key={session.id}>
                  <Table.Td maw={280}>
                    <Group gap="xs" wrap="nowrap">
                      <Text size="sm" truncate="end" title={session.userAgent ?? undefined}>
                        {session.userAgent ?? "Unknown device"}
                      </Text>
                      {session.current && (
                        <Badge size="xs" color="teal" style={{ flexShrink: 0 }}>
                          this one
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{session.ip ?? "—"}</Table.Td>
                  <Table.Td>
                    <DateText date={session.createdAt} />
                  </Table.Td>
                  <Table.Td>
                    <DateText date={session.lastVerifiedAt} />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      onClick={() =>
                        confirmAction({
                          title: session.current ? "Sign out here?" : "Revoke this session?",
                          message: session.current
                            ? "This is the session you are using; you will be signed out."
                            : "That device will be signed out.",
                          confirmLabel: session.current ? "Sign out" : "Revoke",
                          onConfirm: () => revoke.mutate({ id: session.id }),
                        })
                      }
                    >
                      {session.current ? "Sign out" : "Revoke"}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}
