import { Button, CloseButton, EmptyState, Group, Pagination, Paper, Text, TextInput } from "@mantine/core";
import { IconArrowMerge, IconSearch, IconTags } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { createLazyRoute } from "@tanstack/react-router";
import {
  getCoreRowModel,
  getFilteredRowModel,
  getPaginationRowModel,
  getSortedRowModel,
  type RowSelectionState,
  type SortingState,
  useReactTable,
} from "@tanstack/react-table";
import { useState } from "react";
import { DataTable } from "../../components/data-table.tsx";
import { PageHeader } from "../../components/page-header.tsx";
import { trpc } from "../../lib/trpc.ts";
import { MergeTagsModal } from "./merge-tags-modal.tsx";
import { RenameTagModal } from "./rename-tag-modal.tsx";
import { type TagRow, tagColumns } from "./tags-columns.tsx";
import { useDeleteTag } from "./use-delete-tag.ts";

export const Route = createLazyRoute("/_app/tags")({ component: TagsPage });

function TagsPage() {
  const tags = useQuery(trpc.tags.list.queryOptions());
  const [filter, setFilter] = useState("");
  const [sorting, setSorting] = useState<SortingState>([{ id: "articleCount", desc: true }]);
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [renaming, setRenaming] = useState<TagRow | null>(null);
  const [merging, setMerging] = useState<number[] | null>(null);
  const deleteTag = useDeleteTag();

  const table = useReactTable({
    data: tags.data ?? [],
    columns: tagColumns({ rename: setRenaming, mergeFrom: (tag) => setMerging([tag.id]), remove: deleteTag }),
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    getPaginationRowModel: getPaginationRowModel(),
    getRowId: (tag) => String(tag.id),
    enableSortingRemoval: false,
    state: { globalFilter: filter, sorting, rowSelection: selection },
    onGlobalFilterChange: setFilter,
    onSortingChange: setSorting,
    onRowSelectionChange: setSelection,
    initialState: { pagination: { pageSize: 25 } },
  });
  const selectedIds = Object.keys(selection).map(Number);
  const pageCount = table.getPageCount();

  return (
    <>
      <PageHeader
        title="Tags"
        description="Tags with the number of visible articles carrying them."
        actions={
          <Button leftSection={<IconArrowMerge size={16} />} onClick={() => setMerging(selectedIds)}>
            {selectedIds.length > 0 ? `Merge ${selectedIds.length} selected` : "Merge tags"}
          </Button>
        }
      />
      <TextInput
        label="Filter"
        placeholder="Tag name"
        leftSection={<IconSearch size={16} />}
        w={{ base: "100%", xs: 280 }}
        mb="md"
        value={filter}
        onChange={(event) => setFilter(event.currentTarget.value)}
        rightSection={filter ? <CloseButton aria-label="Clear filter" size="sm" onClick={() => setFilter("")} /> : null}
      />
      <Paper withBorder p="md">
        <DataTable
          table={table}
          label="Tags"
          loading={tags.isPending}
          error={tags.error}
          onRetry={() => void tags.refetch()}
          minWidth={480}
          empty={
            <EmptyState
              icon={<IconTags />}
              title={filter ? "No tag matches" : "No tags yet"}
              description={filter ? "Try another name." : "Tags appear when authors tag their articles."}
            />
          }
        />
        <Group justify="space-between" mt="md">
          <Text size="sm" c="dimmed">
            {table.getFilteredRowModel().rows.length} tags
          </Text>
          {pageCount > 1 && (
            <Pagination
              size="sm"
              total={pageCount}
              value={table.getState().pagination.pageIndex + 1}
              onChange={(page) => table.setPageIndex(page - 1)}
              getItemProps={(page) => ({ "aria-label": `Page ${page}` })}
            />
          )}
        </Group>
      </Paper>
      <RenameTagModal tag={renaming} onClose={() => setRenaming(null)} />
      <MergeTagsModal
        opened={merging !== null}
        tags={tags.data ?? []}
        initialSourceIds={merging ?? []}
        onClose={() => setMerging(null)}
        onMerged={() => setSelection({})}
      />
    </>
  );
}
