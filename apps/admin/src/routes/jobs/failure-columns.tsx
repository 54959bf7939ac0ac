import { ActionIcon, Badge, Button, Code, Popover, Stack, Text, Tooltip } from "@mantine/core";
import { IconFileAlert, IconRefresh } from "@tabler/icons-react";
import { createColumnHelper } from "@tanstack/react-table";
import { formatDateTime, fromNow } from "../../lib/format.ts";
import type { RouterOutputs } from "../../lib/trpc.ts";

export type JobFailure = RouterOutputs["jobs"]["failures"]["failures"][number];

const column = createColumnHelper<JobFailure>();

const stateColors: Record<JobFailure["state"], string> = { failed: "red", retrying: "orange", running: "teal" };

function When({ date }: { date: Date }) {
  return (
    <Stack gap={0}>
      <Text size="sm" component="time" dateTime={date.toISOString()}>
        {formatDateTime(date)}
      </Text>
      <Text size="xs" c="dimmed">
        {fromNow(date)}
      </Text>
    </Stack>
  );
}

/** The failures table; `retry` asks, then runs the job again. */
export function failureColumns(retry: (job: JobFailure) => void) {
  return [
    column.display({
      id: "job",
      header: "Job",
      cell: ({ row }) => (
        <Stack gap={0}>
          <Text size="sm" ff="monospace">
            {row.original.name}
          </Text>
          <Text size="xs" c="dimmed">
            #{row.original.id}
          </Text>
        </Stack>
      ),
    }),
    column.accessor("state", {
      header: "State",
      cell: ({ getValue }) => (
        <Badge variant="light" color={stateColors[getValue()]} miw="max-content">
          {getValue()}
        </Badge>
      ),
    }),
    column.display({
      id: "attempts",
      header: "Attempts",
      meta: { align: "right", width: 100 },
      cell: ({ row }) => (
        <Text size="sm">
          {row.original.attempts} / {row.original.maxAttempts}
        </Text>
      ),
    }),
    column.accessor("lastError", {
      header: "Error",
      cell: ({ row, getValue }) => (
        <Popover position="bottom-start" shadow="md" withinPortal width={520}>
          <Popover.Target>
            <Button
              variant="subtle"
              color="red"
              size="compact-sm"
              leftSection={<IconFileAlert size={16} />}
              aria-label={`Error of job ${row.original.id}`}
              maw={360}
              styles={{ label: { overflow: "hidden", textOverflow: "ellipsis" } }}
            >
              {getValue().split("\n")[0]}
            </Button>
          </Popover.Target>
          <Popover.Dropdown>
            <Code block fz="xs" mah={320} style={{ overflow: "auto", whiteSpace: "pre-wrap" }}>
              {getValue()}
            </Code>
          </Popover.Dropdown>
        </Popover>
      ),
    }),
    column.accessor("updatedAt", { header: "Last failed", cell: ({ getValue }) => <When date={getValue()} /> }),
    column.accessor("runAt", {
      header: "Next run",
      cell: ({ row, getValue }) =>
        row.original.state === "retrying" ? (
          <When date={getValue()} />
        ) : (
          <Text size="sm" c="dimmed">
            —
          </Text>
        ),
    }),
    column.display({
      id: "actions",
      header: () => <Text span>Retry</Text>,
      meta: { width: 72, align: "right" },
      cell: ({ row }) =>
        row.original.state === "running" ? null : (
          <Tooltip label="Run it again now">
            <ActionIcon
              variant="subtle"
              aria-label={`Retry job ${row.original.id}`}
              onClick={() => retry(row.original)}
            >
              <IconRefresh size={18} />
            </ActionIcon>
          </Tooltip>
        ),
    }),
  ];
}
