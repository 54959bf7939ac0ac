import { Button, EmptyState, Group, Paper, Text } from "@mantine/core";
import { IconListDetails } from "@tabler/icons-react";
import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { getCoreRowModel, useReactTable } from "@tanstack/react-table";
import { useMemo } from "react";
import { CsvExportButton } from "../../components/csv-export-button.tsx";
import { DataTable } from "../../components/data-table.tsx";
import { PageHeader } from "../../components/page-header.tsx";
import { useCan } from "../../lib/permissions.ts";
import { trpc } from "../../lib/trpc.ts";
import { auditColumns } from "./audit-columns.tsx";
import type { AuditEvent } from "./audit-event.ts";
import { AuditFilters } from "./audit-filters.tsx";
import { type LinkRights, type TargetStates, targetIdsOf, targetKey } from "./audit-targets.tsx";

export const Route = createLazyRoute("/_app/audit")({ component: AuditPage });

const route = getRouteApi("/_app/audit");

const PAGE_SIZE = 50;

/** As many targets as the server looks up at once: those of the newest rows shown. */
const MAX_TARGET_REFS = 200;

/** The single targets of the events shown (a bulk action's ids are listed, unlinked, in its details). */
function targetRefs(events: readonly AuditEvent[]): string[] {
  const refs = new Set<string>();
  for (const event of events) {
    const ids = targetIdsOf(event.targetId);
    const [id] = ids;
    if (!event.targetType || ids.length !== 1 || id === undefined) continue;
    const ref = targetKey(event.targetType, id);
    // Only what the server can name back (`type:id`, no colon in the id).
    if (!/^[A-Za-z][A-Za-z0-9_.-]{0,49}:[^:]{1,100}$/.test(ref)) continue;
    refs.add(ref);
    if (refs.size === MAX_TARGET_REFS) break;
  }
  return [...refs];
}

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
  const refs = useMemo(() => targetRefs(rows), [rows]);
  // Whether each target still exists and what it is called, for links; the rows show without it meanwhile.
  const targets = useQuery(
    trpc.audit.targets.queryOptions({ refs }, { enabled: refs.length > 0, placeholderData: keepPreviousData }),
  );
  const states: TargetStates = useMemo(
    () => new Map((targets.data?.targets ?? []).map((state) => [targetKey(state.type, state.id), state])),
    [targets.data],
  );
  const rights: LinkRights = useMemo(
    () => ({
      users: can("users:read"),
      content: can("content:moderate"),
      tags: can("tags:manage"),
      webhooks: can("webhooks:manage"),
      settings: can("users:manage"),
      jobs: can("jobs:manage"),
    }),
    [can],
  );
  const columns = useMemo(() => auditColumns(rights, states), [rights, states]);
  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (event) => String(event.id),
    enableSorting: false,
  });

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change anyone made, newest first."
        actions={<CsvExportButton path="/export/audit.csv" search={search} noun="events" />}
      />
      <AuditFilters search={search} onApply={(next) => void navigate({ search: next })} />
      <Paper withBorder p="md">
        <DataTable
          table={table}
          label="Audit events"
          loading={events.isPending}
          fetching={events.isFetching && !events.isFetchingNextPage && !events.isPending}
          error={events.error}
          onRetry={() => void events.refetch()}
          minWidth={960}
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
