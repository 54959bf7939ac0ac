import type { WebhookDeliveryStatus } from "@inkwell/auth/enums";
import { ActionIcon, Badge, Button, Code, Popover, Stack, Table, Text, Tooltip } from "@mantine/core";
import { IconListCheck, IconRepeat } from "@tabler/icons-react";
import { createColumnHelper } from "@tanstack/react-table";
import { formatDateTime, fromNow, plural } from "../../lib/format.ts";
import type { RouterOutputs } from "../../lib/trpc.ts";

export type WebhookDelivery = RouterOutputs["webhooks"]["deliveries"]["deliveries"][number];
type Attempt = WebhookDelivery["attemptList"][number];

const column = createColumnHelper<WebhookDelivery>();

/** Typed by the shared status list, so a new status cannot go without a colour. */
const statusColors: Record<WebhookDeliveryStatus, string> = { pending: "blue", succeeded: "teal", dead: "red" };

function AttemptOutcome({ attempt }: { attempt: Attempt }) {
  if (attempt.finishedAt === null) return <Text size="xs">in flight</Text>;
  return (
    <Stack gap={0}>
      <Text size="xs" c={attempt.succeeded ? "teal" : "red"}>
        {[attempt.statusCode, attempt.error?.startsWith("answered ") ? null : attempt.error]
          .filter((part) => part !== null)
          .join(" ")}
      </Text>
      {attempt.responseBody ? (
        <Code fz="xs" style={{ whiteSpace: "pre-wrap", wordBreak: "break-all" }}>
          {attempt.responseBody}
        </Code>
      ) : null}
    </Stack>
  );
}

/** Every attempt of a delivery: when, how long, the answer (first kilobyte) or why there was none. */
function Attempts({ delivery }: { delivery: WebhookDelivery }) {
  return (
    <Popover position="bottom-start" shadow="md" withinPortal width={640}>
      <Popover.Target>
        <Button
          variant="subtle"
          size="compact-sm"
          leftSection={<IconListCheck size={16} />}
          aria-label={`Attempts of delivery ${delivery.id}`}
        >
          {plural(delivery.attemptList.length, "attempt")}
        </Button>
      </Popover.Target>
      <Popover.Dropdown mah={420} style={{ overflow: "auto" }}>
        {delivery.attemptList.length === 0 ? (
          <Text size="sm">No attempt yet.</Text>
        ) : (
          <Table fz="xs" aria-label={`Attempts of delivery ${delivery.id}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>Started</Table.Th>
                <Table.Th>Took</Table.Th>
                <Table.Th>Answer</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {delivery.attemptList.map((attempt) => (
                <Table.Tr key={attempt.id}>
                  <Table.Td>{attempt.number}</Table.Td>
                  <Table.Td>{formatDateTime(attempt.startedAt)}</Table.Td>
                  <Table.Td>{attempt.durationMs === null ? "—" : `${attempt.durationMs} ms`}</Table.Td>
                  <Table.Td>
                    <AttemptOutcome attempt={attempt} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}

export function deliveryColumns(replay: (delivery: WebhookDelivery) => void) {
  return [
    column.accessor("eventType", {
      header: "Event",
      cell: ({ row, getValue }) => (
        <Stack gap={0}>
          <Text size="sm" ff="monospace">
            {getValue()}
          </Text>
          <Text size="xs" c="dimmed" ff="monospace">
            {row.original.webhookId}
          </Text>
        </Stack>
      ),
    }),
    column.accessor("status", {
      header: "Status",
      cell: ({ getValue }) => (
        <Badge variant="light" color={statusColors[getValue()]} miw="max-content">
          {getValue()}
        </Badge>
      ),
    }),
    column.display({ id: "attempts", header: "Attempts", cell: ({ row }) => <Attempts delivery={row.original} /> }),
    column.accessor("createdAt", {
      header: "Created",
      cell: ({ getValue }) => (
        <Text size="sm" title={formatDateTime(getValue())}>
          {fromNow(getValue())}
        </Text>
      ),
    }),
    column.accessor("nextAttemptAt", {
      header: "Next attempt",
      cell: ({ row, getValue }) => {
        const next = getValue();
        return (
          <Text size="sm" c="dimmed">
            {row.original.status === "pending" && next ? formatDateTime(next) : "—"}
          </Text>
        );
      },
    }),
    column.display({
      id: "replay",
      header: () => <Text span>Replay</Text>,
      meta: { align: "right", width: 72 },
      cell: ({ row }) => (
        <Tooltip label="Send it again now, with the same webhook-id">
          <ActionIcon
            variant="subtle"
            aria-label={`Replay delivery ${row.original.id}`}
            onClick={() => replay(row.original)}
          >
            <IconRepeat size={18} />
          </ActionIcon>
        </Tooltip>
      ),
    }),
  ];
}
