import "@mantine/charts/styles.css";
import { AreaChart } from "@mantine/charts";
import { Paper, Skeleton, Text, Title } from "@mantine/core";
import dayjs from "dayjs";
import type { RouterOutputs } from "../../lib/trpc.ts";

type Day = RouterOutputs["dashboard"]["summary"]["days"][number];

const series = [
  { name: "signIns", label: "Sign-ins", color: "grape.6" },
  { name: "signUps", label: "Sign-ups", color: "indigo.6" },
  { name: "articles", label: "Articles", color: "teal.6" },
  { name: "comments", label: "Comments", color: "orange.6" },
];

export function ActivityChart({ days }: { days: Day[] | undefined }) {
  return (
    <Paper withBorder p="md" h="100%">
      <Title order={3} size="h5">
        Last 30 days
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        New accounts, articles and comments, and successful sign-ins, per day (UTC).
      </Text>
      {days ? (
        <AreaChart
          h={320}
          data={days}
          dataKey="date"
          series={series}
          curveType="linear"
          withLegend
          legendProps={{ verticalAlign: "bottom", height: 40 }}
          xAxisProps={{ tickFormatter: (date: string) => dayjs(date).format("MMM D"), minTickGap: 24 }}
          fillOpacity={0.15}
          withDots={false}
          aria-label="Activity over the last 30 days"
        />
      ) : (
        <Skeleton height={320} />
      )}
    </Paper>
  );
}
