import { Button, EmptyState, Paper, Stack } from "@mantine/core";
import { IconPlus, IconWebhook } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { getCoreRowModel, useReactTable } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { DataTable } from "../../components/data-table.tsx";
import { PageHeader } from "../../components/page-header.tsx";
import { trpc } from "../../lib/trpc.ts";
import { CreateEndpointModal } from "./create-endpoint-modal.tsx";
import { DeliveriesPanel } from "./deliveries-panel.tsx";
import { endpointColumns } from "./endpoint-columns.tsx";
import { useEndpointActions } from "./use-endpoint-actions.tsx";

export const Route = createLazyRoute("/_app/webhooks")({ component: WebhooksPage });

const route = getRouteApi("/_app/webhooks");

/** Endpoints change by themselves (Inkwell disables failing ones): the page follows them. */
const REFRESH_MS = 10_000;

function WebhooksPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const [creating, setCreating] = useState(false);
  const endpoints = useQuery(trpc.webhooks.list.queryOptions(undefined, { refetchInterval: REFRESH_MS }));
  const { actions, secretModal } = useEndpointActions((deleted) => {
    if (search.endpoint === deleted) void navigate({ search: {} });
  });
  const columns = useMemo(
    () =>
      endpointColumns({
        ...actions,
        showDeliveries: (endpoint) => void navigate({ search: { endpoint: endpoint.id } }),
      }),
    [actions, navigate],
  );
  const table = useReactTable({
    data: endpoints.data ?? [],
    columns,
    getCoreRowModel: getCoreRowModel(),
    enableSorting: false,
    getRowId: (endpoint) => String(endpoint.id),
  });
  const shown = endpoints.data?.find((endpoint) => endpoint.id === search.endpoint);

  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Other systems hear about what happens in Inkwell: signed deliveries, retried for about a day, to the endpoints registered here."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
            Add endpoint
          </Button>
        }
      />
      <Stack gap="lg">
        <Paper withBorder p="md">
          <DataTable
            table={table}
            label="Webhook endpoints"
            loading={endpoints.isPending}
            error={endpoints.error}
            onRetry={() => void endpoints.refetch()}
            minWidth={960}
            skeletonRows={2}
            empty={
              <EmptyState
                icon={<IconWebhook />}
                title="No endpoints"
                description="Add one to have Inkwell POST events (new articles, comments, users…) to another system."
              />
            }
          />
        </Paper>
        {shown && <DeliveriesPanel key={shown.id} endpointId={shown.id} url={shown.url} />}
      </Stack>
      <CreateEndpointModal opened={creating} onClose={() => setCreating(false)} />
      {secretModal}
    </>
  );
}
