/**
 * The dashboard's charts: recharts is the heaviest thing on the page, so this
 * module loads on its own (`lazy-charts.tsx`) after the page's cards are up.
 * Counts never get fractional ticks (`allowDecimals: false`). No animation:
 * the data refreshes every minute, and redrawing five animated charts then
 * costs more than it shows.
 */
import "@mantine/charts/styles.css";
import { AreaChart, BarChart } from "@mantine/charts";
import dayjs from "dayjs";
import type { RouterOutputs } from "../../lib/trpc.ts";
import { CHART_HEIGHT } from "./chart-size.ts";

type Summary = RouterOutputs["dashboard"]["summary"];
export type Day = Summary["days"][number];
export type TagUsage = Summary["tags"][number];

const countAxis = { allowDecimals: false, width: 40 } as const;
const dayAxis = { tickFormatter: (date: string) => dayjs(date).format("MMM D"), minTickGap: 16 } as const;
const still = { isAnimationActive: false } as const;
const legend = { withLegend: true, legendProps: { verticalAlign: "bottom" as const, height: 36 } };

export function ActivityChart({ days }: { days: Day[] }) {
  return (
    <AreaChart
      h={CHART_HEIGHT}
      data={days}
      dataKey="date"
      series={[
        { name: "signIns", label: "Sign-ins", color: "grape.6" },
        { name: "articles", label: "Articles", color: "teal.6" },
        { name: "comments", label: "Comments", color: "orange.6" },
      ]}
      curveType="linear"
      {...legend}
      xAxisProps={dayAxis}
      yAxisProps={countAxis}
      fillOpacity={0.15}
      areaProps={still}
      withDots={false}
      data-testid="chart-activity"
    />
  );
}

export function SignUpsChart({ days }: { days: Day[] }) {
  return (
    <BarChart
      h={CHART_HEIGHT}
      data={days}
      dataKey="date"
      series={[{ name: "signUps", label: "Sign-ups", color: "indigo.6" }]}
      xAxisProps={dayAxis}
      yAxisProps={countAxis}
      barProps={still}
      maxBarWidth={24}
      data-testid="chart-sign-ups"
    />
  );
}

export function SecurityChart({ days }: { days: Day[] }) {
  return (
    <BarChart
      h={CHART_HEIGHT}
      data={days}
      dataKey="date"
      series={[
        { name: "failedSignIns", label: "Failed sign-ins", color: "red.7" },
        { name: "throttled", label: "Throttled", color: "orange.5" },
      ]}
      {...legend}
      xAxisProps={dayAxis}
      yAxisProps={countAxis}
      barProps={still}
      maxBarWidth={16}
      data-testid="chart-security"
    />
  );
}

export function ModerationChart({ days }: { days: Day[] }) {
  return (
    <BarChart
      h={CHART_HEIGHT}
      data={days}
      dataKey="date"
      type="stacked"
      series={[
        { name: "hidden", label: "Hidden", color: "orange.6" },
        { name: "restored", label: "Restored", color: "teal.6" },
        { name: "deleted", label: "Deleted", color: "red.7" },
      ]}
      {...legend}
      xAxisProps={dayAxis}
      yAxisProps={countAxis}
      barProps={still}
      maxBarWidth={24}
      data-testid="chart-moderation"
    />
  );
}

export function TagUsageChart({ tags }: { tags: TagUsage[] }) {
  return (
    <BarChart
      h={CHART_HEIGHT}
      data={tags}
      dataKey="name"
      orientation="vertical"
      series={[{ name: "articles", label: "Articles", color: "cyan.7" }]}
      xAxisProps={{ allowDecimals: false }}
      yAxisProps={{ width: 96 }}
      barProps={still}
      maxBarWidth={18}
      data-testid="chart-tags"
    />
  );
}
