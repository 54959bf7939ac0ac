import type { EmailStatus } from "@inkwell/auth/enums";
import { ActionIcon, Badge, Stack, Text, Tooltip } from "@mantine/core";
import { IconMailOpened } from "@tabler/icons-react";
import { createColumnHelper } from "@tanstack/react-table";
import { formatDateTime, fromNow } from "../../lib/format.ts";
import type { RouterOutputs } from "../../lib/trpc.ts";

export type OutboxMessage = RouterOutputs["outbox"]["list"]["messages"][number];

const column = createColumnHelper<OutboxMessage>();

/** Typed by the shared status list, so a new status cannot go without a colour. */
const statusColors: Record<EmailStatus, string> = { pending: "blue", sent: "teal", kept: "gray", failed: "red" };

export function EmailStatusBadge({ status, error }: { status: EmailStatus; error: string | null }) {
  const badge = (
    <Badge variant="light" color={statusColors[status]} miw="max-content">
      {status}
    </Badge>
  );
  return error ? (
    <Tooltip label={error} multiline w={360}>
      {badge}
    </Tooltip>
  ) : (
    badge
  );
}

/** The outbox table; `open` shows one message's text. */
export function outboxColumns(open: (message: OutboxMessage) => void) {
  return [
    column.accessor("recipient", { header: "Recipient", cell: ({ getValue }) => <Text size="sm">{getValue()}</Text> }),
    column.accessor("subject", {
      header: "Subject",
      cell: ({ getValue }) => (
        <Text size="sm" lineClamp={1} maw={420}>
          {getValue()}
        </Text>
      ),
    }),
    column.accessor("status", {
      header: "Status",
      cell: ({ row }) => <EmailStatusBadge status={row.original.status} error={row.original.lastError} />,
    }),
    column.accessor("attempts", { header: "Attempts", meta: { align: "right", width: 100 } }),
    column.accessor("createdAt", {
      header: "Created",
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
      id: "open",
      header: () => <Text span>Open</Text>,
      meta: { width: 72, align: "right" },
      cell: ({ row }) => (
        <ActionIcon variant="subtle" aria-label={`Open email ${row.original.id}`} onClick={() => open(row.original)}>
          <IconMailOpened size={18} />
        </ActionIcon>
      ),
    }),
  ];
}
