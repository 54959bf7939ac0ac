import { Badge, EmptyState, Paper, Text, Title } from "@mantine/core";
import { IconStack2 } from "@tabler/icons-react";
import { createColumnHelper, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import { DataTable } from "../../components/data-table.tsx";
import type { RouterOutputs } from "../../lib/trpc.ts";

type TaskDepth = RouterOutputs["jobs"]["summary"]["tasks"][number];

const column = createColumnHelper<TaskDepth>();

function count(color: string, label: string) {
  return column.accessor(label.toLowerCase() as "ready" | "scheduled" | "running" | "failed", {
    header: label,
    meta: { align: "right", width: 110 },
    cell: ({ getValue }) =>
      getValue() > 0 ? (
        <Badge variant="light" color={color} miw="max-content">
          {getValue().toLocaleString("en")}
        </Badge>
      ) : (
        <Text size="sm" c="dimmed">
          0
        </Text>
      ),
  });
}

const columns = [
  column.accessor("name", {
    header: "Task",
    cell: ({ getValue }) => (
      <Text size="sm" ff="monospace">
        {getValue()}
      </Text>
    ),
  }),
  count("blue", "Ready"),
  count("gray", "Scheduled"),
  count("teal", "Running"),
  count("red", "Failed"),
];

/** Jobs waiting, delayed, running and out of attempts, by task. */
export function QueueDepthTable(props: {
  tasks: TaskDepth[] | undefined;
  loading: boolean;
  error: unknown;
  onRetry: () => void;
}) {
  const table = useReactTable({
    data: props.tasks ?? [],
    columns,
    getCoreRowModel: getCoreRowModel(),
    enableSorting: false,
    getRowId: (task) => task.name,
  });
  return (
    <Paper withBorder p="md">
      <Title order={3} size="h5" mb="sm">
        Queue
      </Title>
      <DataTable
        table={table}
        label="Queue depth"
        loading={props.loading}
        error={props.error}
        onRetry={props.onRetry}
        skeletonRows={5}
        minWidth={560}
        empty={<EmptyState icon={<IconStack2 />} title="No tasks" description="No job is defined." />}
      />
    </Paper>
  );
}
