import { Paper, Table, Text, Title } from "@mantine/core";
import { ApiKeyName, ScopeBadges } from "../../components/api-key-cells.tsx";
import { KeyStateBadge } from "../../components/api-key-state.tsx";
import { DateText } from "../../components/date-text.tsx";
import type { RouterOutputs } from "../../lib/trpc.ts";

type ApiKey = RouterOutputs["users"]["detail"]["apiKeys"][number];

export function UserKeys({ apiKeys }: { apiKeys: ApiKey[] }) {
  return (
    <Paper withBorder p="md" h="100%">
      <Title order={3} size="h5" mb="sm">
        API keys ({apiKeys.length})
      </Title>
      {apiKeys.length === 0 ? (
        <Text c="dimmed" size="sm">
          No API keys.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={420}>
          <Table aria-label="API keys" fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Scopes</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th>State</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {apiKeys.map((key) => (
                <Table.Tr key={key.id}>
                  <Table.Td>
                    <ApiKeyName apiKey={key} />
                  </Table.Td>
                  <Table.Td>
                    <ScopeBadges scopes={key.scopes} />
                  </Table.Td>
                  <Table.Td>
                    <DateText date={key.lastUsedAt} empty="never" />
                  </Table.Td>
                  <Table.Td>
                    <KeyStateBadge apiKey={key} />
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
