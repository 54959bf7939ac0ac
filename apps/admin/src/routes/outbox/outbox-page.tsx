import { EmptyState, Paper } from "@mantine/core";
import { modals } from "@mantine/modals";
import { IconMail } from "@tabler/icons-react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { getCoreRowModel, useReactTable } from "@tanstack/react-table";
import { DataTable } from "../../components/data-table.tsx";
import { PageHeader } from "../../components/page-header.tsx";
import { TablePagination } from "../../components/table-pagination.tsx";
import { trpc } from "../../lib/trpc.ts";
import { EmailView } from "./email-view.tsx";
import { outboxColumns } from "./outbox-columns.tsx";

export const Route = createLazyRoute("/_app/outbox")({ component: OutboxPage });

const route = getRouteApi("/_app/outbox");

const columns = outboxColumns((message) =>
  modals.open({ title: `Email #${message.id}`, size: "lg", children: <EmailView id={message.id} /> }),
);

function OutboxPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const outbox = useQuery(trpc.outbox.list.queryOptions(search, { placeholderData: keepPreviousData }));
  const table = useReactTable({
    data: outbox.data?.messages ?? [],
    columns,
    getCoreRowModel: getCoreRowModel(),
    enableSorting: false,
    getRowId: (message) => String(message.id),
    manualPagination: true,
    rowCount: outbox.data?.total ?? 0,
    state: { pagination: { pageIndex: search.page - 1, pageSize: search.pageSize } },
  });

  return (
    <>
      <PageHeader
        title="Outbox"
        description="Every email Inkwell sent, or kept here when no SMTP server is configured, newest first."
      />
      <Paper withBorder p="md">
        <DataTable
          table={table}
          label="Emails"
          loading={outbox.isPending}
          fetching={outbox.isPlaceholderData}
          error={outbox.error}
          onRetry={() => void outbox.refetch()}
          minWidth={860}
          empty={
            <EmptyState
              icon={<IconMail />}
              title="No emails yet"
              description="Notifications appear here, e.g. when someone comments on an author's article."
            />
          }
        />
        <TablePagination
          page={search.page}
          pageSize={search.pageSize}
          total={outbox.data?.total ?? 0}
          noun="email"
          onPageChange={(page) => void navigate({ search: (prev) => ({ ...prev, page }) })}
          onPageSizeChange={(pageSize) => void navigate({ search: (prev) => ({ ...prev, pageSize, page: 1 }) })}
        />
      </Paper>
    </>
  );
}
