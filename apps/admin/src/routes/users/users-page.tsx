import { userSortKeys } from "@inkwell/auth/enums";
import { Button, Group, Paper } from "@mantine/core";
import { IconUserPlus, IconUsers } from "@tabler/icons-react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { functionalUpdate, getCoreRowModel, type SortingState, useReactTable } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { CsvExportButton } from "../../components/csv-export-button.tsx";
import { DataTable } from "../../components/data-table.tsx";
import { FilteredEmptyState } from "../../components/filtered-empty-state.tsx";
import { PageHeader } from "../../components/page-header.tsx";
import { TablePagination } from "../../components/table-pagination.tsx";
import { useCan } from "../../lib/permissions.ts";
import { isOneOf } from "../../lib/search.ts";
import { trpc } from "../../lib/trpc.ts";
import { NewUserModal } from "./new-user-modal.tsx";
import { userColumns } from "./users-columns.tsx";
import { UsersFilters } from "./users-filters.tsx";

export const Route = createLazyRoute("/_app/users")({ component: UsersPage });

const route = getRouteApi("/_app/users");

function UsersPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const can = useCan();
  const users = useQuery(trpc.users.list.queryOptions(search, { placeholderData: keepPreviousData }));
  const columns = useMemo(() => userColumns(can("users:manage") || can("sessions:manage")), [can]);
  const sorting: SortingState = [{ id: search.sort, desc: search.direction === "desc" }];
  const [creating, setCreating] = useState(false);

  const table = useReactTable({
    data: users.data?.users ?? [],
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (user) => String(user.id),
    manualPagination: true,
    manualSorting: true,
    manualFiltering: true,
    enableSortingRemoval: false,
    rowCount: users.data?.total ?? 0,
    state: { sorting, pagination: { pageIndex: search.page - 1, pageSize: search.pageSize } },
    onSortingChange: (updater) => {
      const [next] = functionalUpdate(updater, sorting);
      const sort = next?.id;
      if (!next || !isOneOf(userSortKeys, sort)) return;
      void navigate({ search: (prev) => ({ ...prev, sort, direction: next.desc ? "desc" : "asc", page: 1 }) });
    },
  });

  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone with an account: roles, status, sessions."
        actions={
          <Group gap="sm">
            <CsvExportButton path="/export/users.csv" search={search} noun="users" />
            {can("users:manage") && (
              <Button leftSection={<IconUserPlus size={16} />} onClick={() => setCreating(true)}>
                New user
              </Button>
            )}
          </Group>
        }
      />
      <UsersFilters
        search={search}
        onChange={(changes) => void navigate({ search: (prev) => ({ ...prev, ...changes, page: 1 }) })}
      />
      <Paper withBorder p="md">
        <DataTable
          table={table}
          label="Users"
          loading={users.isPending}
          fetching={users.isPlaceholderData}
          error={users.error}
          onRetry={() => void users.refetch()}
          empty={
            <FilteredEmptyState
              icon={<IconUsers />}
              noun="users"
              filters={[
                { label: "search", active: search.search !== undefined },
                { label: "role filter", active: search.role !== undefined },
                { label: "status filter", active: search.status !== undefined },
              ]}
              onClear={() =>
                void navigate({
                  search: (prev) => ({ ...prev, search: undefined, role: undefined, status: undefined, page: 1 }),
                })
              }
            />
          }
        />
        <TablePagination
          page={search.page}
          pageSize={search.pageSize}
          total={users.data?.total ?? 0}
          noun="user"
          onPageChange={(page) => void navigate({ search: (prev) => ({ ...prev, page }) })}
          onPageSizeChange={(pageSize) => void navigate({ search: (prev) => ({ ...prev, pageSize, page: 1 }) })}
        />
      </Paper>
      {creating && <NewUserModal onClose={() => setCreating(false)} />}
    </>
  );
}
