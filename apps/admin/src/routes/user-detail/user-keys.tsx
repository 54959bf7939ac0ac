import { ActionIcon, Paper, Table, Text, Title, Tooltip } from "@mantine/core";
import { IconKeyOff } from "@tabler/icons-react";
import { ApiKeyName, ScopeBadges } from "../../components/api-key-cells.tsx";
import { KeyStateBadge, keyState } from "../../components/api-key-state.tsx";
import { DateText } from "../../components/date-text.tsx";
import { useCan } from "../../lib/permissions.ts";
import type { RouterOutputs } from "../../lib/trpc.ts";
import { useOperatorControls } from "./use-operator-controls.tsx";

type Detail = RouterOutputs["users"]["detail"];

export function UserKeys({ user, apiKeys }: { user: Detail["user"]; apiKeys: Detail["apiKeys"] }) {
  const canRevoke = useCan()("users:manage");
  const controls = useOperatorControls(user);
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
                {canRevoke && <Table.Th />}
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
                  {canRevoke && (
                    <Table.Td ta="right" w={40}>
                      {keyState(key) === "active" && (
                        <Tooltip label="Revoke this key">
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            aria-label={`Revoke key ${key.name}`}
                            onClick={() => controls.revokeApiKey(key)}
                          >
                            <IconKeyOff size={16} />
                          </ActionIcon>
                        </Tooltip>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}
