/** The height of every dashboard chart, and of its placeholder while the chart code or the data loads. */
export const CHART_HEIGHT = 240;
