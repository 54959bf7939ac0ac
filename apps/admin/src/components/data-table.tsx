import { Center, Group, Skeleton, Table, Text, UnstyledButton } from "@mantine/core";
import { IconChevronDown, IconChevronUp, IconSelector } from "@tabler/icons-react";
import { type Column, flexRender, type Header, type RowData, type Table as TanStackTable } from "@tanstack/react-table";
import type { ReactNode } from "react";
import classes from "./data-table.module.css";
import { ErrorAlert } from "./error-alert.tsx";

declare module "@tanstack/react-table" {
  interface ColumnMeta<TData extends RowData, TValue> {
    /** CSS width of the column. */
    width?: number | string;
    align?: "left" | "right" | "center";
    /**
     * Kept in view while a narrow screen scrolls the table sideways. By default the first column after the
     * checkboxes ("start") and a trailing column of buttons ("end"); `false` opts a column out.
     */
    pin?: "start" | "end" | false;
  }
}

/** The ids of the columns kept in view on narrow screens (see `ColumnMeta.pin`). */
function pinnedColumns<T>(columns: Column<T, unknown>[]): { start?: string; end?: string } {
  const pin = (column: Column<T, unknown>) => column.columnDef.meta?.pin;
  const start =
    columns.find((column) => pin(column) === "start") ??
    columns.find((column) => column.id !== "select" && pin(column) !== false);
  const last = columns.at(-1);
  // A display column (no value of its own) at the end holds the row's buttons.
  const end =
    columns.find((column) => pin(column) === "end") ??
    (last && last !== start && !last.accessorFn && pin(last) !== false ? last : undefined);
  return { start: start?.id, end: end?.id };
}

interface DataTableProps<T> {
  table: TanStackTable<T>;
  /** Accessible name of the table. */
  label: string;
  /** First load: skeleton rows. */
  loading: boolean;
  /** Refetching with rows shown (new page, sort, filter): the table dims. */
  fetching?: boolean;
  error?: unknown;
  onRetry?: () => void;
  /** Shown in place of rows when there are none. */
  empty: ReactNode;
  skeletonRows?: number;
  minWidth?: number;
}

function SortableHeader<T>({ header }: { header: Header<T, unknown> }) {
  const label = flexRender(header.column.columnDef.header, header.getContext());
  if (!header.column.getCanSort()) return label;
  const sorted = header.column.getIsSorted();
  const Icon = sorted === "asc" ? IconChevronUp : sorted === "desc" ? IconChevronDown : IconSelector;
  return (
    <UnstyledButton onClick={header.column.getToggleSortingHandler()} fw={600} fz="sm">
      <Group gap={4} wrap="nowrap">
        {label}
        <Icon size={14} aria-hidden />
      </Group>
    </UnstyledButton>
  );
}

/** Renders a TanStack Table with Mantine: sortable headers, skeleton rows while loading, an empty state. */
export function DataTable<T>({
  table,
  label,
  loading,
  fetching = false,
  error,
  onRetry,
  empty,
  skeletonRows = 8,
  minWidth = 720,
}: DataTableProps<T>) {
  if (error && !loading && table.getRowModel().rows.length === 0) {
    return <ErrorAlert title={`Could not load ${label.toLowerCase()}`} error={error} onRetry={onRetry} />;
  }
  const columns = table.getVisibleLeafColumns();
  const rows = table.getRowModel().rows;
  const pinned = pinnedColumns(columns);
  const pinClass = (columnId: string) =>
    columnId === pinned.start ? classes.pinStart : columnId === pinned.end ? classes.pinEnd : undefined;
  return (
    <>
      {Boolean(error) && rows.length > 0 && (
        <ErrorAlert title={`Could not refresh ${label.toLowerCase()}`} error={error} onRetry={onRetry} />
      )}
      <Text size="xs" c="dimmed" className={classes.hint} aria-hidden data-scroll-hint>
        Scroll the table sideways for more columns.
      </Text>
      {/* Focusable, so a keyboard can scroll it sideways even when no row has a button (an empty table). */}
      <Table.ScrollContainer
        minWidth={minWidth}
        scrollAreaProps={{ viewportProps: { tabIndex: 0, role: "region", "aria-label": `${label}, scrollable` } }}
      >
        <Table
          aria-label={label}
          aria-busy={loading || fetching}
          highlightOnHover
          verticalSpacing="sm"
          style={{ opacity: fetching && !loading ? 0.6 : 1, transition: "opacity 150ms" }}
        >
          <Table.Thead>
            {table.getHeaderGroups().map((group) => (
              <Table.Tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  return (
                    <Table.Th
                      key={header.id}
                      className={pinClass(header.column.id)}
                      w={header.column.columnDef.meta?.width}
                      ta={header.column.columnDef.meta?.align}
                      aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                    >
                      {header.isPlaceholder ? null : <SortableHeader header={header} />}
                    </Table.Th>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Thead>
          <Table.Tbody>
            {loading ? (
              Array.from({ length: skeletonRows }, (_, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: placeholder rows have nothing else to key by.
                <Table.Tr key={index}>
                  {columns.map((column) => (
                    <Table.Td key={column.id} className={pinClass(column.id)}>
                      <Skeleton height={14} radius="sm" />
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))
            ) : rows.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={columns.length}>
                  <Center py="xl">{typeof empty === "string" ? <Text c="dimmed">{empty}</Text> : empty}</Center>
                </Table.Td>
              </Table.Tr>
            ) : (
              rows.map((row) => (
                <Table.Tr
                  key={row.id}
                  bg={row.getIsSelected() ? "var(--mantine-primary-color-light)" : undefined}
                  data-selected={row.getIsSelected() || undefined}
                >
                  {row.getVisibleCells().map((cell) => (
                    <Table.Td key={cell.id} ta={cell.column.columnDef.meta?.align} className={pinClass(cell.column.id)}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </>
  );
}
