import { EmptyState, Paper } from "@mantine/core";
import type { Table } from "@tanstack/react-table";
import type { ReactNode } from "react";
import { DataTable } from "../data-table.tsx";
import { TablePagination } from "../table-pagination.tsx";
import { BulkActionsBar } from "./bulk-actions-bar.tsx";
import type { ModerationSelection } from "./use-moderation-selection.ts";

interface ModerationTableProps<Row, F> {
  table: Table<Row>;
  /** "article", "comment" */
  noun: string;
  /** The table's accessible name, e.g. "Articles". */
  label: string;
  icon: ReactNode;
  list: { isPending: boolean; isPlaceholderData: boolean; error: unknown; refetch: () => unknown };
  total: number;
  selection: ModerationSelection;
  /** What the table shows, for the actions on every match. */
  filter: F;
  actions: {
    pending: boolean;
    hide: (ids: number[]) => void;
    restore: (ids: number[]) => void;
    remove: (ids: number[]) => void;
    matching: {
      hide: (filter: F, count: number) => void;
      restore: (filter: F, count: number) => void;
      remove: (filter: F, count: number) => void;
    };
  };
  page: number;
  pageSize: number;
  onPageChange: (page: number) => void;
  onPageSizeChange: (pageSize: number) => void;
}

/** A moderation table with its bulk-action bar and pager, shared by the articles and comments pages. */
export function ModerationTable<Row, F>(props: ModerationTableProps<Row, F>) {
  const { table, noun, label, icon, list, total, selection, actions, filter } = props;
  const { ids: selectedIds, allMatching } = selection;
  const rowsShown = table.getRowModel().rows.length;
  return (
    <Paper withBorder p="md">
      <BulkActionsBar
        count={selectedIds.length}
        noun={noun}
        pending={actions.pending}
        pageSelected={rowsShown > 0 && selectedIds.length === rowsShown}
        total={total}
        allMatching={allMatching}
        onSelectAllMatching={selection.selectAllMatching}
        onHide={() => (allMatching ? actions.matching.hide(filter, total) : actions.hide(selectedIds))}
        onRestore={() => (allMatching ? actions.matching.restore(filter, total) : actions.restore(selectedIds))}
        onDelete={() => (allMatching ? actions.matching.remove(filter, total) : actions.remove(selectedIds))}
        onClear={selection.clear}
      />
      <DataTable
        table={table}
        label={label}
        loading={list.isPending}
        fetching={list.isPlaceholderData}
        error={list.error}
        onRetry={() => void list.refetch()}
        minWidth={860}
        empty={<EmptyState icon={icon} title={`No ${noun}s match`} description="Try other filters or another state." />}
      />
      <TablePagination
        page={props.page}
        pageSize={props.pageSize}
        total={total}
        noun={noun}
        onPageChange={props.onPageChange}
        onPageSizeChange={props.onPageSizeChange}
      />
    </Paper>
  );
}
