import { Code, Group, Stack, Text, Tooltip } from "@mantine/core";
import { IconKey } from "@tabler/icons-react";
import { createColumnHelper } from "@tanstack/react-table";
import { OutcomeBadge } from "../../components/badges.tsx";
import { AnchorLink } from "../../components/router-links.tsx";
import { formatDateTime, fromNow } from "../../lib/format.ts";
import { AuditDetails } from "./audit-details.tsx";
import type { AuditEvent } from "./audit-event.ts";
import { type LinkRights, TargetCell, type TargetStates } from "./audit-targets.tsx";

const column = createColumnHelper<AuditEvent>();

function outcomeOf(details: unknown): unknown {
  return details && typeof details === "object" && "outcome" in details ? details.outcome : undefined;
}

/** No cell wraps into a tall row: long values are cut with an ellipsis and shown whole on hover or in the details. */
const oneLine = { whiteSpace: "nowrap" } as const;

export function auditColumns(rights: LinkRights, states: TargetStates) {
  return [
    column.accessor("createdAt", {
      header: "When",
      meta: { width: 150 },
      cell: ({ getValue }) => (
        <Stack gap={0} style={oneLine}>
          <Text size="sm" component="time" dateTime={getValue().toISOString()} title={getValue().toISOString()}>
            {formatDateTime(getValue())}
          </Text>
          <Text size="xs" c="dimmed">
            {fromNow(getValue())}
          </Text>
        </Stack>
      ),
    }),
    column.display({
      id: "actor",
      header: "Actor",
      cell: ({ row }) => {
        const { actor, actorApiKeyId } = row.original;
        if (!actor) {
          return (
            <Text size="sm" c="dimmed">
              anonymous
            </Text>
          );
        }
        // The name they had when they acted; a deleted user's events keep it, without a link to a page that is gone.
        const name = actor.username ?? `user #${actor.id}`;
        return (
          <Group gap={4} wrap="nowrap" maw={200}>
            <Text size="sm" truncate="end" title={name}>
              {rights.users && !actor.deleted ? (
                <AnchorLink to="/users/$userId" params={{ userId: actor.id }} size="sm" underline="always">
                  {name}
                </AnchorLink>
              ) : (
                name
              )}
            </Text>
            <Text span size="xs" c="dimmed" style={oneLine}>
              #{actor.id}
              {actor.deleted && " (deleted)"}
            </Text>
            {actorApiKeyId && (
              <Tooltip label={`With API key #${actorApiKeyId}`}>
                <IconKey size={14} style={{ flexShrink: 0 }} aria-label="With an API key" />
              </Tooltip>
            )}
          </Group>
        );
      },
    }),
    column.accessor("action", {
      header: "Action",
      cell: ({ getValue }) => (
        <Code
          style={{ ...oneLine, display: "inline-block", maxWidth: 220, overflow: "hidden", textOverflow: "ellipsis" }}
          title={getValue()}
        >
          {getValue()}
        </Code>
      ),
    }),
    column.display({
      id: "target",
      header: "Target",
      cell: ({ row }) => (
        <TargetCell type={row.original.targetType} targetId={row.original.targetId} states={states} rights={rights} />
      ),
    }),
    column.display({
      id: "outcome",
      header: "Outcome",
      meta: { width: 96 },
      cell: ({ row }) => <OutcomeBadge outcome={outcomeOf(row.original.details)} />,
    }),
    column.accessor("ip", {
      header: "Address",
      cell: ({ getValue }) => (
        <Text size="sm" c="dimmed" truncate="end" maw={160} title={getValue() ?? undefined}>
          {getValue() ?? "—"}
        </Text>
      ),
    }),
    column.display({
      id: "details",
      header: () => <Text span>Details</Text>,
      meta: { width: 72, align: "right" },
      cell: ({ row }) => <AuditDetails event={row.original} states={states} rights={rights} />,
    }),
  ];
}
