import { Button, Group, Paper, Skeleton, Table, Text, Title } from "@mantine/core";
import { IconLink } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { confirmAction } from "../../components/confirm.tsx";
import { DateText } from "../../components/date-text.tsx";
import { ErrorAlert } from "../../components/error-alert.tsx";
import { notifyError, notifySuccess } from "../../lib/notify.tsx";
import { trpc } from "../../lib/trpc.ts";

/** Accounts at identity providers that sign in as this user: link one (through the provider), unlink. */
export function LinkedAccountsCard() {
  const queryClient = useQueryClient();
  const providers = useQuery(trpc.auth.identities.providers.queryOptions());
  const identities = useQuery(trpc.auth.identities.list.queryOptions());
  const listKey = trpc.auth.identities.list.queryKey();

  const link = useMutation(
    trpc.auth.identities.beginLink.mutationOptions({
      onSuccess: ({ authorizationUrl }) => window.location.assign(authorizationUrl),
      onError: (error) => notifyError(error, "Could not start linking"),
    }),
  );
  const unlink = useMutation(
    trpc.auth.identities.unlink.mutationOptions({
      onError: (error) => notifyError(error, "Could not unlink the account"),
      onSuccess: () => notifySuccess("It no longer signs you in.", "Account unlinked"),
      onSettled: () => queryClient.invalidateQueries({ queryKey: listKey }),
    }),
  );

  if (providers.data?.length === 0 && identities.data?.length === 0) return null;
  return (
    <Paper withBorder p="lg">
      <Title order={3} size="h5">
        Linked accounts
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Sign in with your account at an identity provider. Linking takes you to the provider and back.
      </Text>
      <Group mb="md">
        {providers.data?.map((provider) => (
          <Button
            key={provider.id}
            size="xs"
            variant="default"
            leftSection={<IconLink size={14} />}
            loading={link.isPending && link.variables?.provider === provider.id}
            onClick={() => link.mutate({ provider: provider.id })}
          >
            Link {provider.name}
          </Button>
        ))}
      </Group>
      {identities.isPending ? (
        <Skeleton height={48} />
      ) : identities.isError ? (
        <ErrorAlert title="Could not load your linked accounts" error={identities.error} />
      ) : identities.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          No linked accounts.
        </Text>
      ) : (
        <Table aria-label="Linked accounts" fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Provider</Table.Th>
              <Table.Th>Account</Table.Th>
              <Table.Th>Linked</Table.Th>
              <Table.Th>Last used</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {identities.data.map((identity) => {
              const providerName = identity.providerName ?? `${identity.provider} (no longer configured)`;
              return (
                <Table.Tr key={identity.id}>
                  <Table.Td>{providerName}</Table.Td>
                  <Table.Td>{identity.displayName ?? identity.email ?? "—"}</Table.Td>
                  <Table.Td>
                    <DateText date={identity.createdAt} />
                  </Table.Td>
                  <Table.Td>
                    <DateText date={identity.lastUsedAt} empty="never" />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      aria-label={`Unlink ${providerName}`}
                      onClick={() =>
                        confirmAction({
                          title: `Unlink ${providerName}?`,
                          message: "It will no longer sign you in. You can link it again later.",
                          confirmLabel: "Unlink",
                          onConfirm: () => unlink.mutate({ id: identity.id }),
                        })
                      }
                    >
                      Unlink
                    </Button>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
