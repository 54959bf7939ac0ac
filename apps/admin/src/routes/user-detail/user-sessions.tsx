import { ActionIcon, Paper, Table, Text, Title, Tooltip } from "@mantine/core";
import { IconLogout2 } from "@tabler/icons-react";
import { DateText } from "../../components/date-text.tsx";
import { useCan } from "../../lib/permissions.ts";
import type { RouterOutputs } from "../../lib/trpc.ts";
import { useOperatorControls } from "./use-operator-controls.tsx";

type Detail = RouterOutputs["users"]["detail"];

export function UserSessions({ user, sessions }: { user: Detail["user"]; sessions: Detail["sessions"] }) {
  const canRevoke = useCan()("sessions:manage");
  const controls = useOperatorControls(user);
  return (
    <Paper withBorder p="md" h="100%">
      <Title order={3} size="h5" mb="sm">
        Sessions ({sessions.length})
      </Title>
      {sessions.length === 0 ? (
        <Text c="dimmed" size="sm">
          Not signed in anywhere.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={420}>
          <Table aria-label="Sessions" fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Device</Table.Th>
                <Table.Th>Address</Table.Th>
                <Table.Th>Last active</Table.Th>
                <Table.Th>Expires</Table.Th>
                {canRevoke && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sessions.map((session) => (
                <Table.Tr key={session.id}>
                  <Table.Td maw={200}>
                    <Text size="sm" truncate="end" title={session.userAgent ?? undefined}>
                      {session.userAgent ?? "Unknown"}
                    </Text>
                  </Table.Td>
                  <Table.Td>{session.ip ?? "—"}</Table.Td>
                  <Table.Td>
                    <DateText date={session.lastVerifiedAt} />
                  </Table.Td>
                  <Table.Td>
                    <DateText date={session.expiresAt} />
                  </Table.Td>
                  {canRevoke && (
                    <Table.Td ta="right" w={40}>
                      <Tooltip label="Revoke this session">
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={`Revoke session on ${session.userAgent ?? "unknown device"}`}
                          onClick={() => controls.revokeSession(session)}
                        >
                          <IconLogout2 size={16} />
                        </ActionIcon>
                      </Tooltip>
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
