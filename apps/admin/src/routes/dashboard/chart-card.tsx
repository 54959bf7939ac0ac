import { Group, Paper, Skeleton, Text, Title } from "@mantine/core";
import { type ReactNode, Suspense } from "react";
import { CHART_HEIGHT } from "./chart-size.ts";

interface ChartCardProps {
  title: string;
  description: ReactNode;
  /** Shown beside the title, e.g. a total. */
  aside?: ReactNode;
  /** A line above the chart, e.g. the range's totals: shown with the data, before the chart code has loaded. */
  summary?: ReactNode;
  /** False while the data loads: a placeholder of the chart's size holds its place. */
  ready: boolean;
  /** Spans the whole row of the grid. */
  wide?: boolean;
  children: ReactNode;
}

/** One chart in the dashboard's grid: a title, what it counts, and the chart, a placeholder while its data or code loads. */
export function ChartCard({ title, description, aside, summary, ready, wide, children }: ChartCardProps) {
  const id = `card-title-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return (
    <Paper
      withBorder
      p="md"
      h="100%"
      component="section"
      aria-labelledby={id}
      style={wide ? { gridColumn: "1 / -1" } : undefined}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
        <Title order={3} size="h5" id={id}>
          {title}
        </Title>
        {aside}
      </Group>
      <Text size="sm" c="dimmed" mb="md">
        {description}
      </Text>
      {ready && summary}
      {ready ? (
        <Suspense fallback={<Skeleton height={CHART_HEIGHT} />}>{children}</Suspense>
      ) : (
        <Skeleton height={CHART_HEIGHT} />
      )}
    </Paper>
  );
}
