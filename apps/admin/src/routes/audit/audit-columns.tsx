import { ActionIcon, Code, Popover, Stack, Text, Tooltip } from "@mantine/core";
import { IconBraces, IconKey } from "@tabler/icons-react";
import { createColumnHelper } from "@tanstack/react-table";
import { OutcomeBadge } from "../../components/badges.tsx";
import { AnchorLink } from "../../components/router-links.tsx";
import { formatDateTime, fromNow } from "../../lib/format.ts";
import type { RouterOutputs } from "../../lib/trpc.ts";

export type AuditEvent = RouterOutputs["audit"]["list"]["events"][number];

const column = createColumnHelper<AuditEvent>();

function outcomeOf(details: unknown): unknown {
  return details && typeof details === "object" && "outcome" in details ? details.outcome : undefined;
}

export function auditColumns(linkUsers: boolean) {
  return [
    column.accessor("createdAt", {
      header: "When",
      cell: ({ getValue }) => (
        <Stack gap={0}>
          <Text size="sm" component="time" dateTime={getValue().toISOString()}>
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
          <Text size="sm" component="div">
            {linkUsers && !actor.deleted ? (
              <AnchorLink to="/users/$userId" params={{ userId: actor.id }} size="sm">
                {name}
              </AnchorLink>
            ) : (
              name
            )}{" "}
            <Text span size="xs" c="dimmed">
              #{actor.id}
              {actor.deleted && " (deleted)"}
            </Text>
            {actorApiKeyId && (
              <Tooltip label={`With API key #${actorApiKeyId}`}>
                <IconKey size={14} style={{ marginLeft: 4, verticalAlign: "middle" }} aria-label="With an API key" />
              </Tooltip>
            )}
          </Text>
        );
      },
    }),
    column.accessor("action", { header: "Action", cell: ({ getValue }) => <Code>{getValue()}</Code> }),
    column.display({
      id: "target",
      header: "Target",
      cell: ({ row }) =>
        row.original.targetType ? (
          <Text size="sm">
            {row.original.targetType}{" "}
            <Text span c="dimmed" size="sm">
              {row.original.targetId}
            </Text>
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            —
          </Text>
        ),
    }),
    column.display({
      id: "outcome",
      header: "Outcome",
      cell: ({ row }) => <OutcomeBadge outcome={outcomeOf(row.original.details)} />,
    }),
    column.accessor("ip", {
      header: "Address",
      cell: ({ getValue }) => (
        <Text size="sm" c="dimmed">
          {getValue() ?? "—"}
        </Text>
      ),
    }),
    column.display({
      id: "details",
      header: () => <Text span>Details</Text>,
      meta: { width: 72, align: "right" },
      cell: ({ row }) => (
        <Popover position="left" shadow="md" withinPortal width={420}>
          <Popover.Target>
            <ActionIcon variant="subtle" color="gray" aria-label={`Details of event ${row.original.id}`}>
              <IconBraces size={18} />
            </ActionIcon>
          </Popover.Target>
          <Popover.Dropdown>
            <Code block fz="xs" mah={320} style={{ overflow: "auto" }}>
              {JSON.stringify(
                {
                  details: row.original.details,
                  requestId: row.original.requestId,
                  userAgent: row.original.userAgent,
                },
                null,
                2,
              )}
            </Code>
          </Popover.Dropdown>
        </Popover>
      ),
    }),
  ];
}
