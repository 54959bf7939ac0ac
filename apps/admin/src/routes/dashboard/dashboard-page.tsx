import { Grid, Stack } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { createLazyRoute } from "@tanstack/react-router";
import { ErrorAlert } from "../../components/error-alert.tsx";
import { PageHeader } from "../../components/page-header.tsx";
import { useCan } from "../../lib/permissions.ts";
import { trpc } from "../../lib/trpc.ts";
import { ActivityChart } from "./activity-chart.tsx";
import { RecentActivity } from "./recent-activity.tsx";
import { StatCards } from "./stat-cards.tsx";

export const Route = createLazyRoute("/_app/")({ component: DashboardPage });

function DashboardPage() {
  const can = useCan();
  const summary = useQuery(trpc.dashboard.summary.queryOptions(undefined, { refetchInterval: 60_000 }));
  return (
    <>
      <PageHeader title="Dashboard" description="How Inkwell is doing: totals and the last 30 days." />
      {summary.isError ? (
        <ErrorAlert title="Could not load the dashboard" error={summary.error} onRetry={() => void summary.refetch()} />
      ) : (
        <Stack gap="lg">
          <StatCards totals={summary.data?.totals} />
          <Grid>
            <Grid.Col span={{ base: 12, lg: can("audit:read") ? 7 : 12 }}>
              <ActivityChart days={summary.data?.days} />
            </Grid.Col>
            {can("audit:read") && (
              <Grid.Col span={{ base: 12, lg: 5 }}>
                <RecentActivity />
              </Grid.Col>
            )}
          </Grid>
        </Stack>
      )}
    </>
  );
}
