import { Badge, Paper, Table, Text, Title } from "@mantine/core";
import { DateText } from "../../components/date-text.tsx";
import type { RouterOutputs } from "../../lib/trpc.ts";

type Detail = RouterOutputs["users"]["detail"];

/**
 * The other ways the user signs in, read-only: accounts at identity providers
 * (OIDC, GitHub) linked to theirs, and their passkeys. Only the user can add or remove them.
 */
export function UserSignInMethods({ identities, passkeys }: Pick<Detail, "identities" | "passkeys">) {
  return (
    <Paper withBorder p="md" h="100%">
      <Title order={3} size="h5" mb="sm">
        Linked accounts and passkeys ({identities.length + passkeys.length})
      </Title>
      {identities.length + passkeys.length === 0 ? (
        <Text c="dimmed" size="sm">
          Signs in with a password only: no linked accounts, no passkeys.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={420}>
          <Table aria-label="Linked accounts and passkeys" fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Provider or name</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Last used</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {identities.map((identity) => (
                <Table.Tr key={`identity-${identity.id}`} data-testid={`identity-${identity.provider}`}>
                  <Table.Td>
                    <Badge variant="light" color="grape">
                      Linked account
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {identity.provider}
                    </Text>
                    {(identity.displayName || identity.email) && (
                      <Text size="xs" c="dimmed">
                        {[identity.displayName, identity.email].filter(Boolean).join(" · ")}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <DateText date={identity.createdAt} />
                  </Table.Td>
                  <Table.Td>
                    <DateText date={identity.lastUsedAt} empty="never" />
                  </Table.Td>
                </Table.Tr>
              ))}
              {passkeys.map((passkey) => (
                <Table.Tr key={`passkey-${passkey.id}`} data-testid={`passkey-${passkey.name}`}>
                  <Table.Td>
                    <Badge variant="light" color="indigo">
                      Passkey
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {passkey.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {passkey.multiDevice ? "synced across devices" : "this device only"}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <DateText date={passkey.createdAt} />
                  </Table.Td>
                  <Table.Td>
                    <DateText date={passkey.lastUsedAt} empty="never" />
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
