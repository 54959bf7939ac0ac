import { Button, EmptyState, Group, Paper, Text, Title } from "@mantine/core";
import { IconSend } from "@tabler/icons-react";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { getCoreRowModel, useReactTable } from "@tanstack/react-table";
import { useMemo } from "react";
import { confirmAction } from "../../components/confirm.tsx";
import { DataTable } from "../../components/data-table.tsx";
import { plural } from "../../lib/format.ts";
import { notifyError, notifySuccess } from "../../lib/notify.tsx";
import { trpc } from "../../lib/trpc.ts";
import { deliveryColumns, type WebhookDelivery } from "./delivery-columns.tsx";

const PAGE_SIZE = 20;
/** Deliveries progress by themselves (retries): the panel follows them. */
const REFRESH_MS = 5_000;

/** One endpoint's deliveries, newest first, with their attempts and Replay. */
export function DeliveriesPanel({ endpointId, url }: { endpointId: number; url: string }) {
  const queryClient = useQueryClient();
  const deliveries = useInfiniteQuery(
    trpc.webhooks.deliveries.infiniteQueryOptions(
      { endpointId, limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, refetchInterval: REFRESH_MS },
    ),
  );
  const replay = useMutation(
    trpc.webhooks.replay.mutationOptions({
      onError: (error) => notifyError(error, "Could not replay the delivery"),
      onSuccess: ({ webhookId }) => notifySuccess(`${webhookId} will be sent again now.`),
      onSettled: () => queryClient.invalidateQueries(trpc.webhooks.deliveries.pathFilter()),
    }),
  );
  const { mutate } = replay;
  const columns = useMemo(
    () =>
      deliveryColumns((delivery: WebhookDelivery) =>
        confirmAction({
          title: `Replay ${delivery.eventType}?`,
          message: `It is sent again now with the same webhook-id (${delivery.webhookId}), so a receiver that had it drops the copy; failed attempts are retried on the usual schedule.`,
          confirmLabel: "Replay",
          danger: false,
          onConfirm: () => mutate({ deliveryId: delivery.id }),
        }),
      ),
    [mutate],
  );
  const rows = useMemo(() => deliveries.data?.pages.flatMap((page) => page.deliveries) ?? [], [deliveries.data]);
  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    enableSorting: false,
    getRowId: (delivery) => String(delivery.id),
  });
  return (
    <Paper withBorder p="md">
      <Title order={3} size="h5" mb="sm">
        Deliveries to {url}
      </Title>
      <DataTable
        table={table}
        label="Deliveries"
        loading={deliveries.isPending}
        error={deliveries.error}
        onRetry={() => void deliveries.refetch()}
        minWidth={860}
        skeletonRows={4}
        empty={
          <EmptyState
            icon={<IconSend />}
            title="No deliveries yet"
            description="Each event this endpoint subscribes to is delivered to it, and listed here with its attempts."
          />
        }
      />
      <Group justify="space-between" mt="md">
        <Text size="sm" c="dimmed">
          {plural(rows.length, "delivery", "deliveries")} shown
        </Text>
        {deliveries.hasNextPage && (
          <Button
            variant="default"
            loading={deliveries.isFetchingNextPage}
            onClick={() => void deliveries.fetchNextPage()}
          >
            Load more
          </Button>
        )}
      </Group>
    </Paper>
  );
}
