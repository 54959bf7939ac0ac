import { ActionIcon, Badge, Button, Group, Stack, Switch, Text, Tooltip } from "@mantine/core";
import { IconKey, IconList, IconTrash } from "@tabler/icons-react";
import { createColumnHelper } from "@tanstack/react-table";
import { formatDateTime, fromNow, plural } from "../../lib/format.ts";
import type { RouterOutputs } from "../../lib/trpc.ts";

export type WebhookEndpoint = RouterOutputs["webhooks"]["list"][number];

const column = createColumnHelper<WebhookEndpoint>();

export interface EndpointActions {
  showDeliveries: (endpoint: WebhookEndpoint) => void;
  setEnabled: (endpoint: WebhookEndpoint, enabled: boolean) => void;
  rotateSecret: (endpoint: WebhookEndpoint) => void;
  remove: (endpoint: WebhookEndpoint) => void;
}

/** The endpoints table: where, what, whether it is on (and why not), and its actions. */
export function endpointColumns(actions: EndpointActions) {
  return [
    column.accessor("url", {
      header: "URL",
      cell: ({ row, getValue }) => (
        <Stack gap={2}>
          <Text size="sm" ff="monospace" style={{ wordBreak: "break-all" }}>
            {getValue()}
          </Text>
          <Group gap={4}>
            {row.original.events.map((type) => (
              <Badge key={type} size="xs" variant="outline" color="gray">
                {type}
              </Badge>
            ))}
          </Group>
        </Stack>
      ),
    }),
    column.accessor("enabled", {
      header: "Enabled",
      meta: { width: 200 },
      cell: ({ row }) => (
        <Stack gap={4}>
          <Switch
            checked={row.original.enabled}
            onChange={(event) => actions.setEnabled(row.original, event.currentTarget.checked)}
            aria-label={`Enabled: ${row.original.url}`}
            label={row.original.enabled ? "on" : "off"}
          />
          {row.original.disabledReason && (
            <Text size="xs" c="red" data-testid="disabled-reason">
              {row.original.disabledReason}
            </Text>
          )}
        </Stack>
      ),
    }),
    column.display({
      id: "activity",
      header: "Deliveries",
      cell: ({ row }) => (
        <Stack gap={0}>
          <Text size="sm">{plural(row.original.pending, "pending", "pending")}</Text>
          <Text size="xs" c="dimmed">
            {row.original.lastDeliveryAt
              ? `last ${fromNow(row.original.lastDeliveryAt)} (${formatDateTime(row.original.lastDeliveryAt)})`
              : "none yet"}
          </Text>
          {row.original.consecutiveFailures > 0 && (
            <Text size="xs" c="orange">
              {plural(row.original.consecutiveFailures, "dead delivery", "dead deliveries")} in a row
            </Text>
          )}
        </Stack>
      ),
    }),
    column.display({
      id: "actions",
      header: () => <Text span>Actions</Text>,
      meta: { align: "right", width: 220 },
      cell: ({ row }) => (
        <Group gap={4} justify="flex-end" wrap="nowrap">
          <Button
            size="compact-sm"
            variant="light"
            leftSection={<IconList size={16} />}
            onClick={() => actions.showDeliveries(row.original)}
            aria-label={`Deliveries of ${row.original.url}`}
          >
            Deliveries
          </Button>
          <Tooltip label="Rotate the signing secret">
            <ActionIcon
              variant="subtle"
              aria-label={`Rotate the secret of ${row.original.url}`}
              onClick={() => actions.rotateSecret(row.original)}
            >
              <IconKey size={18} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Delete">
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={`Delete ${row.original.url}`}
              onClick={() => actions.remove(row.original)}
            >
              <IconTrash size={18} />
            </ActionIcon>
          </Tooltip>
        </Group>
      ),
    }),
  ];
}
