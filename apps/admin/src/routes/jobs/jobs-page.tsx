import { Button, EmptyState, Group, Paper, SegmentedControl, Stack, Text, Title } from "@mantine/core";
import { IconCircleCheck } from "@tabler/icons-react";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { getCoreRowModel, useReactTable } from "@tanstack/react-table";
import { Fragment, useMemo } from "react";
import { DataTable } from "../../components/data-table.tsx";
import { DateText } from "../../components/date-text.tsx";
import { PageHeader } from "../../components/page-header.tsx";
import { plural } from "../../lib/format.ts";
import { isOneOf } from "../../lib/search.ts";
import { trpc } from "../../lib/trpc.ts";
import { failureColumns } from "./failure-columns.tsx";
import { QueueDepthTable } from "./queue-depth-table.tsx";
import { failureStates } from "./search.ts";
import { useRetryJob } from "./use-retry-job.ts";

export const Route = createLazyRoute("/_app/jobs")({ component: JobsPage });

const route = getRouteApi("/_app/jobs");

const PAGE_SIZE = 50;
/** The queue changes by itself: the page follows it. */
const REFRESH_MS = 5_000;

function JobsPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const summary = useQuery(trpc.jobs.summary.queryOptions(undefined, { refetchInterval: REFRESH_MS }));
  const failures = useInfiniteQuery(
    trpc.jobs.failures.infiniteQueryOptions(
      { state: search.state, limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, refetchInterval: REFRESH_MS },
    ),
  );
  const rows = useMemo(() => failures.data?.pages.flatMap((page) => page.failures) ?? [], [failures.data]);
  const retry = useRetryJob();
  const columns = useMemo(() => failureColumns(retry), [retry]);
  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    enableSorting: false,
    getRowId: (job) => String(job.id),
  });
  const workers = summary.data?.workers ?? [];

  return (
    <>
      <PageHeader
        title="Jobs"
        description="Background work: email, webhooks, maintenance. What is waiting, running and failing, and the processes running it."
      />
      <Stack gap="lg">
        <QueueDepthTable
          tasks={summary.data?.tasks}
          loading={summary.isPending}
          error={summary.error}
          onRetry={() => void summary.refetch()}
        />
        <Text size="sm" c="dimmed" data-testid="job-workers">
          {summary.isPending
            ? " "
            : workers.length === 0
              ? "No process is running jobs: set WORKER_CONCURRENCY above 0 on a server, or run `pnpm worker`."
              : [
                  `${plural(workers.length, "worker process", "worker processes")}: `,
                  ...workers.map((worker, i) => (
                    <Fragment key={worker.process}>
                      {i > 0 && ", "}
                      {worker.process} (seen <DateText date={worker.seenAt} />)
                    </Fragment>
                  )),
                ]}
        </Text>
        <Paper withBorder p="md">
          <Group justify="space-between" mb="sm">
            <Title order={3} size="h5">
              Failures
            </Title>
            <SegmentedControl
              size="xs"
              aria-label="Which failures"
              value={search.state ?? "all"}
              data={[
                { value: "all", label: "All" },
                { value: "failed", label: "Out of attempts" },
                { value: "retrying", label: "Retrying" },
              ]}
              onChange={(value) =>
                void navigate({ search: { state: isOneOf(failureStates, value) ? value : undefined } })
              }
            />
          </Group>
          <DataTable
            table={table}
            label="Job failures"
            loading={failures.isPending}
            error={failures.error}
            onRetry={() => void failures.refetch()}
            minWidth={960}
            skeletonRows={4}
            empty={
              <EmptyState
                icon={<IconCircleCheck />}
                title="No failures"
                description="Every job that ran lately succeeded, or is still waiting for its first attempt."
              />
            }
          />
          <Group justify="space-between" mt="md">
            <Text size="sm" c="dimmed">
              {plural(rows.length, "failure")} shown
            </Text>
            {failures.hasNextPage && (
              <Button
                variant="default"
                loading={failures.isFetchingNextPage}
                onClick={() => void failures.fetchNextPage()}
              >
                Load more
              </Button>
            )}
          </Group>
        </Paper>
      </Stack>
    </>
  );
}
