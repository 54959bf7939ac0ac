import { Badge, Code, Group, Paper, ScrollArea, Skeleton, Stack, Text, Timeline, Title } from "@mantine/core";
import { IconAlertTriangle, IconClockPause } from "@tabler/icons-react";
import { useMemo } from "react";
import { DateText } from "../../components/date-text.tsx";
import { ErrorAlert } from "../../components/error-alert.tsx";
import { LiveBadge } from "../../components/live-badge.tsx";
import { AnchorLink } from "../../components/router-links.tsx";
import { actorName } from "../../lib/format.ts";
import { CHART_HEIGHT } from "./chart-size.ts";
import { type FailureKind, failureLabels, groupConsecutive } from "./event-groups.ts";
import { useLiveActivity } from "./use-live-activity.ts";

/** Rows shown; identical events in a row count as one, so the feed loads and keeps more events than it shows. */
const ROWS = 20;
/** About a chart card's content: the feed scrolls instead of making its row of the grid taller. */
const LIST_HEIGHT = CHART_HEIGHT + 56;
const LOADED = 100;
const KEPT = 300;

const failureColors: Record<FailureKind, string> = { failedSignIn: "red", refused: "red", throttled: "orange" };

/** The newest audit events, live, from every server process (needs `audit:read`); failures marked, repeats grouped. */
export function RecentActivity() {
  const { list: events, live } = useLiveActivity({ load: LOADED, keep: KEPT });
  const groups = useMemo(() => (events.data ? groupConsecutive(events.data.events, ROWS) : []), [events.data]);
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
      ) : groups.length === 0 ? (
        <Text c="dimmed" size="sm">
          Nothing happened yet.
        </Text>
      ) : (
        // Scrolls inside its card: reachable by keyboard (axe: scrollable-region-focusable).
        <ScrollArea
          h={LIST_HEIGHT}
          type="auto"
          offsetScrollbars
          viewportProps={{ tabIndex: 0, "aria-label": "Newest events, scrollable" }}
        >
          <Timeline bulletSize={12} lineWidth={2} aria-label="Recent activity">
            {groups.map(({ newest, oldest, count, failure }) => (
              <Timeline.Item
                key={newest.id}
                color={failure ? failureColors[failure] : undefined}
                bullet={
                  failure === "throttled" ? (
                    <IconClockPause size={10} />
                  ) : failure ? (
                    <IconAlertTriangle size={10} />
                  ) : undefined
                }
                data-testid="activity-row"
                data-failure={failure ?? undefined}
                title={
                  <Group gap={6}>
                    <Code>{newest.action}</Code>
                    {newest.targetType && (
                      <Text size="xs" c="dimmed">
                        {newest.targetType} {newest.targetId}
                      </Text>
                    )}
                    {failure && (
                      <Badge size="xs" variant="light" color={failureColors[failure]} data-testid="activity-failure">
                        {failureLabels[failure]}
                      </Badge>
                    )}
                    {count > 1 && (
                      <Badge size="xs" variant="outline" color="gray" data-testid="activity-count">
                        ×{count}
                      </Badge>
                    )}
                  </Group>
                }
              >
                <Text size="xs" c="dimmed">
                  {actorName(newest.actor)} · <DateText date={newest.createdAt} size="xs" />
                  {count > 1 && (
                    <>
                      {" "}
                      · {count} identical since <DateText date={oldest.createdAt} size="xs" />
                    </>
                  )}
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
        </ScrollArea>
      )}
    </Paper>
  );
}
