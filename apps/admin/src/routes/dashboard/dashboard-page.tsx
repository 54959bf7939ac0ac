import { Badge, SimpleGrid, Stack, Text, Tooltip } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import dayjs from "dayjs";
import { useMemo } from "react";
import { ErrorAlert } from "../../components/error-alert.tsx";
import { PageHeader } from "../../components/page-header.tsx";
import { plural } from "../../lib/format.ts";
import { useCan } from "../../lib/permissions.ts";
import { trpc } from "../../lib/trpc.ts";
import { ChartCard } from "./chart-card.tsx";
import { ActivityChart, ModerationChart, SecurityChart, SignUpsChart, TagUsageChart } from "./lazy-charts.tsx";
import { RangePicker } from "./range-picker.tsx";
import { RecentActivity } from "./recent-activity.tsx";
import { StatCards } from "./stat-cards.tsx";

export const Route = createLazyRoute("/_app/")({ component: DashboardPage });

const route = getRouteApi("/_app/");

/** The browser's IANA time zone: days on the charts start at the operator's midnight. */
function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const day = (date: string) => dayjs(date).format("MMM D, YYYY");

function DashboardPage() {
  const can = useCan();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const timeZone = useMemo(browserTimeZone, []);
  const input =
    search.from && search.to ? { from: search.from, to: search.to, timeZone } : { days: search.days, timeZone };
  const summary = useQuery(
    trpc.dashboard.summary.queryOptions(input, { refetchInterval: 60_000, placeholderData: keepPreviousData }),
  );
  const data = summary.data;
  const days = data?.days ?? [];
  const count = (key: Exclude<keyof (typeof days)[number], "date">) => sum(days.map((entry) => entry[key]));

  return (
    <>
      <PageHeader
        title="Dashboard"
        description={
          data ? (
            <span data-testid="dashboard-range">
              Totals now; per day from {day(data.range.from)} to {day(data.range.to)} ({data.range.timeZone}).
            </span>
          ) : (
            "Totals now, and what happened per day."
          )
        }
        actions={
          <RangePicker
            search={search}
            onChange={(choice) =>
              void navigate({ search: "days" in choice ? { days: choice.days } : { from: choice.from, to: choice.to } })
            }
          />
        }
      />
      <Stack gap="lg">
        {summary.isError && (
          <ErrorAlert
            title="Could not load the dashboard"
            error={summary.error}
            onRetry={() => void summary.refetch()}
          />
        )}
        <StatCards totals={data?.totals} />
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg" aria-busy={summary.isFetching} data-testid="dashboard-grid">
          <ChartCard title="Activity" description="Successful sign-ins, new articles and comments." ready={!!data}>
            <ActivityChart days={days} />
          </ChartCard>
          {can("audit:read") && <RecentActivity />}
          <ChartCard
            title="Failed sign-ins and throttling"
            description="Sign-ins refused (wrong password, suspended account), and calls refused as too many."
            ready={!!data}
            aside={
              data && (
                <Tooltip label="Addresses and accounts that must wait before they may try to sign in again">
                  <Badge
                    variant="light"
                    color={data.totals.blockedNow > 0 ? "orange" : "gray"}
                    miw="max-content"
                    data-testid="blocked-now"
                  >
                    {data.totals.blockedNow.toLocaleString("en")} blocked now
                  </Badge>
                </Tooltip>
              )
            }
            summary={
              <Text size="xs" c="dimmed" data-testid="security-total" mb={4}>
                {plural(count("failedSignIns"), "failed sign-in")} · {count("throttled").toLocaleString("en")} throttled
              </Text>
            }
          >
            <SecurityChart days={days} />
          </ChartCard>
          <ChartCard
            title="Moderation actions"
            description="Hide, restore and delete actions on articles and comments (one per action, however many items)."
            ready={!!data}
            summary={
              <Text size="xs" c="dimmed" data-testid="moderation-total" mb={4}>
                {count("hidden").toLocaleString("en")} hidden · {count("restored").toLocaleString("en")} restored ·{" "}
                {count("deleted").toLocaleString("en")} deleted
              </Text>
            }
          >
            <ModerationChart days={days} />
          </ChartCard>
          <ChartCard
            title="Sign-ups"
            description="New accounts per day."
            ready={!!data}
            summary={
              <Text size="xs" c="dimmed" data-testid="sign-ups-total" mb={4}>
                {plural(count("signUps"), "sign-up")}
              </Text>
            }
          >
            <SignUpsChart days={days} />
          </ChartCard>
          <ChartCard
            title="Tag usage"
            description="The tags on most articles written in the range."
            ready={!!data}
            // Without the feed the grid holds five cards: the last one takes the whole row.
            wide={!can("audit:read")}
          >
            {data && data.tags.length === 0 ? (
              <Text size="sm" c="dimmed">
                No tagged articles were written in this range.
              </Text>
            ) : (
              <TagUsageChart tags={data?.tags ?? []} />
            )}
          </ChartCard>
        </SimpleGrid>
      </Stack>
    </>
  );
}
