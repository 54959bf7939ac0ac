import { Button, Paper } from "@mantine/core";
import { IconArrowMerge, IconSearch, IconTags } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import {
  functionalUpdate,
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
import { DebouncedTextFilter } from "../../components/debounced-text-filter.tsx";
import { FilteredEmptyState } from "../../components/filtered-empty-state.tsx";
import { PageHeader } from "../../components/page-header.tsx";
import { TablePagination } from "../../components/table-pagination.tsx";
import { isOneOf } from "../../lib/search.ts";
import { trpc } from "../../lib/trpc.ts";
import { MergeTagsModal } from "./merge-tags-modal.tsx";
import { RenameTagModal } from "./rename-tag-modal.tsx";
import { tagSortKeys } from "./search.ts";
import { type TagRow, tagColumns } from "./tags-columns.tsx";
import { useDeleteTag } from "./use-delete-tag.ts";

export const Route = createLazyRoute("/_app/tags")({ component: TagsPage });

const route = getRouteApi("/_app/tags");

/**
 * Every tag, filtered, sorted and paged in the browser (the server sends them
 * all), with page, sort and filter in the URL like the server-paged tables.
 */
function TagsPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const tags = useQuery(trpc.tags.list.queryOptions());
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [renaming, setRenaming] = useState<TagRow | null>(null);
  const [merging, setMerging] = useState<number[] | null>(null);
  const deleteTag = useDeleteTag();
  const sorting: SortingState = [{ id: search.sort, desc: search.direction === "desc" }];

  const table = useReactTable({
    data: tags.data ?? [],
    columns: tagColumns({ rename: setRenaming, mergeFrom: (tag) => setMerging([tag.id]), remove: deleteTag }),
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    getPaginationRowModel: getPaginationRowModel(),
    getRowId: (tag) => String(tag.id),
    enableSortingRemoval: false,
    autoResetPageIndex: false,
    state: {
      globalFilter: search.filter ?? "",
      sorting,
      rowSelection: selection,
      pagination: { pageIndex: search.page - 1, pageSize: search.pageSize },
    },
    onSortingChange: (updater) => {
      const [next] = functionalUpdate(updater, sorting);
      const sort = next?.id;
      if (!next || !isOneOf(tagSortKeys, sort)) return;
      void navigate({ search: (prev) => ({ ...prev, sort, direction: next.desc ? "desc" : "asc", page: 1 }) });
    },
    onRowSelectionChange: setSelection,
  });
  // Tags merged or deleted since they were selected are not selected any more.
  const known = new Set((tags.data ?? []).map((tag) => tag.id));
  const selectedIds = Object.keys(selection)
    .map(Number)
    .filter((id) => known.has(id));
  const matching = table.getFilteredRowModel().rows.length;

  return (
    <>
      <PageHeader
        title="Tags"
        description="Tags with the number of visible articles carrying them."
        actions={
          <Button
            leftSection={<IconArrowMerge size={16} />}
            disabled={selectedIds.length === 0}
            title={selectedIds.length === 0 ? "Select the tags to merge first" : undefined}
            onClick={() => setMerging(selectedIds)}
          >
            {selectedIds.length > 0 ? `Merge ${selectedIds.length} selected` : "Merge tags"}
          </Button>
        }
      />
      <DebouncedTextFilter
        label="Filter"
        placeholder="Tag name"
        icon={<IconSearch size={16} />}
        w={{ base: "100%", xs: 280 }}
        mb="md"
        value={search.filter}
        // Typing replaces the history entry; clearing is a step Back can undo.
        onCommit={(filter) => void navigate({ search: (prev) => ({ ...prev, filter, page: 1 }), replace: true })}
        onClear={() => void navigate({ search: (prev) => ({ ...prev, filter: undefined, page: 1 }) })}
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
            <FilteredEmptyState
              icon={<IconTags />}
              noun="tags"
              filters={[{ label: "filter", active: search.filter !== undefined }]}
              onClear={() => void navigate({ search: (prev) => ({ ...prev, filter: undefined, page: 1 }) })}
              emptyDescription="Tags appear when authors tag their articles."
            />
          }
        />
        <TablePagination
          page={search.page}
          pageSize={search.pageSize}
          total={tags.isPending ? 0 : matching}
          noun="tag"
          onPageChange={(page) => void navigate({ search: (prev) => ({ ...prev, page }) })}
          onPageSizeChange={(pageSize) => void navigate({ search: (prev) => ({ ...prev, pageSize, page: 1 }) })}
        />
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
