/** The nearest-rank percentile of ascending `sorted` values (`fraction` 0.99 is p99); NaN when there are none. */
export function percentile(sorted: Float64Array | number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index] as number;
}
