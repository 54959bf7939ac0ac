import { Code, Group, Paper, Skeleton, Stack, Text, Timeline, Title } from "@mantine/core";
import { DateText } from "../../components/date-text.tsx";
import { ErrorAlert } from "../../components/error-alert.tsx";
import { LiveBadge } from "../../components/live-badge.tsx";
import { AnchorLink } from "../../components/router-links.tsx";
import { actorName } from "../../lib/format.ts";
import { useLiveActivity } from "./use-live-activity.ts";

/** The newest audit events, live, from every server process (needs `audit:read`). */
export function RecentActivity() {
  const { list: events, live } = useLiveActivity(8);
  return (
    <Paper withBorder p="md" h="100%">
      <Group justify="space-between" mb="md">
        <Group gap="xs">
          <Title order={3} size="h5">
            Recent activity
          </Title>
          <LiveBadge status={live.status} error={live.error} />
        </Group>
        <AnchorLink to="/audit" size="sm">
          Audit log
        </AnchorLink>
      </Group>
      {events.isPending ? (
        <Stack aria-busy="true">
          {Array.from({ length: 5 }, (_, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholders.
            <Skeleton key={index} height={36} />
          ))}
        </Stack>
      ) : events.isError ? (
        <ErrorAlert title="Could not load activity" error={events.error} />
      ) : events.data.events.length === 0 ? (
        <Text c="dimmed" size="sm">
          Nothing happened yet.
        </Text>
      ) : (
        <Timeline bulletSize={12} lineWidth={2} aria-label="Recent activity">
          {events.data.events.map((event) => (
            <Timeline.Item
              key={event.id}
              title={
                <Group gap={6}>
                  <Code>{event.action}</Code>
                  {event.targetType && (
                    <Text size="xs" c="dimmed">
                      {event.targetType} {event.targetId}
                    </Text>
                  )}
                </Group>
              }
            >
              <Text size="xs" c="dimmed">
                {actorName(event.actor)} · <DateText date={event.createdAt} size="xs" />
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Paper>
  );
}
