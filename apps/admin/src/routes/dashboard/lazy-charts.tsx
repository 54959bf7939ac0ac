import { lazy } from "react";

/**
 * The charts, loaded on first render: recharts and the chart components are
 * one chunk, fetched once, after the page's own code. Render them inside a
 * `Suspense` boundary (`ChartCard` holds one).
 */
const loadCharts = () => import("./charts.tsx");

export const ActivityChart = lazy(() => loadCharts().then((charts) => ({ default: charts.ActivityChart })));
export const SignUpsChart = lazy(() => loadCharts().then((charts) => ({ default: charts.SignUpsChart })));
export const SecurityChart = lazy(() => loadCharts().then((charts) => ({ default: charts.SecurityChart })));
export const ModerationChart = lazy(() => loadCharts().then((charts) => ({ default: charts.ModerationChart })));
export const TagUsageChart = lazy(() => loadCharts().then((charts) => ({ default: charts.TagUsageChart })));
