import { Button, Code, Group, Paper, Skeleton, Table, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { IconKey, IconPlus } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiKeyName, ScopeBadges } from "../../components/api-key-cells.tsx";
import { KeyStateBadge, keyState } from "../../components/api-key-state.tsx";
import { confirmAction } from "../../components/confirm.tsx";
import { DateText } from "../../components/date-text.tsx";
import { ErrorAlert } from "../../components/error-alert.tsx";
import { notifyError, notifySuccess } from "../../lib/notify.tsx";
import { trpc } from "../../lib/trpc.ts";
import { CreateKeyModal } from "./create-key-modal.tsx";

export function MyApiKeys() {
  const queryClient = useQueryClient();
  const [creating, createModal] = useDisclosure(false);
  const keys = useQuery(trpc.apiKeys.list.queryOptions());
  const listKey = trpc.apiKeys.list.queryKey();

  const revoke = useMutation(
    trpc.apiKeys.revoke.mutationOptions({
      onMutate: async ({ id }) => {
        await queryClient.cancelQueries({ queryKey: listKey });
        const previous = queryClient.getQueryData(listKey);
        queryClient.setQueryData(listKey, (old) =>
          old?.map((key) => (key.id === id ? { ...key, revokedAt: new Date() } : key)),
        );
        return { previous };
      },
      onError: (error, _input, context) => {
        queryClient.setQueryData(listKey, context?.previous);
        notifyError(error, "Could not revoke the key");
      },
      onSuccess: (key) => notifySuccess(`“${key.name}” no longer works.`, "Key revoked"),
      onSettled: () => queryClient.invalidateQueries({ queryKey: listKey }),
    }),
  );

  return (
    <Paper withBorder p="lg">
      <Group justify="space-between" mb="sm">
        <div>
          <Title order={3} size="h5">
            API keys
          </Title>
          <Text size="sm" c="dimmed">
            Scripts and other apps use these as <Code>Authorization: Bearer &lt;key&gt;</Code>.
          </Text>
        </div>
        <Button size="xs" leftSection={<IconPlus size={14} />} onClick={createModal.open}>
          Create API key
        </Button>
      </Group>
      {keys.isPending ? (
        <Skeleton height={96} />
      ) : keys.isError ? (
        <ErrorAlert title="Could not load your API keys" error={keys.error} />
      ) : keys.data.length === 0 ? (
        <Group gap="xs" c="dimmed" py="md">
          <IconKey size={18} />
          <Text size="sm">No keys yet.</Text>
        </Group>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table aria-label="My API keys" fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Scopes</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {keys.data.map((key) => (
                <Table.Tr key={key.id} data-testid={`api-key-${key.name}`}>
                  <Table.Td>
                    <ApiKeyName apiKey={key} />
                  </Table.Td>
                  <Table.Td>
                    <ScopeBadges scopes={key.scopes} />
                  </Table.Td>
                  <Table.Td>
                    <DateText date={key.createdAt} />
                  </Table.Td>
                  <Table.Td>
                    <DateText date={key.lastUsedAt} empty="never" />
                  </Table.Td>
                  <Table.Td>
                    <DateText date={key.expiresAt} empty="never" />
                  </Table.Td>
                  <Table.Td>
                    <KeyStateBadge apiKey={key} />
                  </Table.Td>
                  <Table.Td ta="right">
                    {keyState(key) === "active" && (
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        aria-label={`Revoke ${key.name}`}
                        onClick={() =>
                          confirmAction({
                            title: `Revoke “${key.name}”?`,
                            message: "Anything using this key stops working at once. This cannot be undone.",
                            confirmLabel: "Revoke key",
                            onConfirm: () => revoke.mutate({ id: key.id }),
                          })
                        }
                      >
                        Revoke
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CreateKeyModal opened={creating} onClose={createModal.close} />
    </Paper>
  );
}
