import { Button, EmptyState, Group, Paper, Text } from "@mantine/core";
import { IconListDetails } from "@tabler/icons-react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { getCoreRowModel, useReactTable } from "@tanstack/react-table";
import { useMemo } from "react";
import { DataTable } from "../../components/data-table.tsx";
import { PageHeader } from "../../components/page-header.tsx";
import { useCan } from "../../lib/permissions.ts";
import { trpc } from "../../lib/trpc.ts";
import { auditColumns } from "./audit-columns.tsx";
import { AuditFilters } from "./audit-filters.tsx";

export const Route = createLazyRoute("/_app/audit")({ component: AuditPage });

const route = getRouteApi("/_app/audit");

const PAGE_SIZE = 50;

function AuditPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const can = useCan();
  const input = {
    ...search,
    from: search.from ? new Date(search.from) : undefined,
    to: search.to ? new Date(search.to) : undefined,
    limit: PAGE_SIZE,
  };
  const events = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(input, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
  );
  const rows = useMemo(() => events.data?.pages.flatMap((page) => page.events) ?? [], [events.data]);
  const columns = useMemo(() => auditColumns(can("users:read")), [can]);
  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (event) => String(event.id),
    enableSorting: false,
  });

  return (
    <>
      <PageHeader title="Audit log" description="Every change anyone made, newest first." />
      <AuditFilters search={search} onApply={(next) => void navigate({ search: next })} />
      <Paper withBorder p="md">
        <DataTable
          table={table}
          label="Audit events"
          loading={events.isPending}
          fetching={events.isFetching && !events.isFetchingNextPage && !events.isPending}
          error={events.error}
          onRetry={() => void events.refetch()}
          minWidth={900}
          empty={
            <EmptyState
              icon={<IconListDetails />}
              title="No events match"
              description="Widen the time range or clear a filter."
            />
          }
        />
        <Group justify="space-between" mt="md">
          <Text size="sm" c="dimmed">
            {rows.length} {rows.length === 1 ? "event" : "events"} shown
          </Text>
          {events.hasNextPage && (
            <Button variant="default" loading={events.isFetchingNextPage} onClick={() => void events.fetchNextPage()}>
              Load more
            </Button>
          )}
        </Group>
      </Paper>
    </>
  );
}
