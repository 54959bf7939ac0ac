import { Code, Paper, Table, Text, Title } from "@mantine/core";
import { OutcomeBadge } from "../../components/badges.tsx";
import { Can } from "../../components/can.tsx";
import { DateText } from "../../components/date-text.tsx";
import { AnchorLink } from "../../components/router-links.tsx";
import type { RouterOutputs } from "../../lib/trpc.ts";

type Event = RouterOutputs["users"]["detail"]["recentActivity"][number];

function outcomeOf(details: unknown): unknown {
  return details && typeof details === "object" && "outcome" in details ? details.outcome : undefined;
}

export function UserActivity({ userId, events }: { userId: number; events: Event[] }) {
  return (
    <Paper withBorder p="md">
      <Title order={3} size="h5" mb="sm">
        Recent activity
      </Title>
      {events.length === 0 ? (
        <Text c="dimmed" size="sm">
          Nothing recorded yet.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={520}>
          <Table aria-label="Recent activity" fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Action</Table.Th>
                <Table.Th>Target</Table.Th>
                <Table.Th>Outcome</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {events.map((event) => (
                <Table.Tr key={event.id}>
                  <Table.Td>
                    <DateText date={event.createdAt} />
                  </Table.Td>
                  <Table.Td>
                    <Code>{event.action}</Code>
                  </Table.Td>
                  <Table.Td>{event.targetType ? `${event.targetType} ${event.targetId ?? ""}` : "—"}</Table.Td>
                  <Table.Td>
                    <OutcomeBadge outcome={outcomeOf(event.details)} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Can permission="audit:read">
        <AnchorLink to="/audit" search={{ actorId: userId }} size="sm" mt="sm" display="inline-block">
          Everything they did, in the audit log
        </AnchorLink>
      </Can>
    </Paper>
  );
}
