import { Paper, Table, Text, Title } from "@mantine/core";
import { DateText } from "../../components/date-text.tsx";
import type { RouterOutputs } from "../../lib/trpc.ts";

type Session = RouterOutputs["users"]["detail"]["sessions"][number];

export function UserSessions({ sessions }: { sessions: Session[] }) {
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
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}
