/**
 * When a failed delivery is tried again: the configured waits
 * (`WEBHOOK_RETRY_DELAYS`, about a day in all by default), each stretched or
 * shrunk by up to 20% at random so that deliveries that failed together (an
 * endpoint down) do not all come back at the same instant.
 */
export const JITTER = 0.2;

/** The wait after attempt `attempt` (1-based) failed, or null when it was the last one. */
export function retryDelayMs(delays: readonly number[], attempt: number, random: () => number = Math.random) {
  const base = delays[attempt - 1];
  if (base === undefined) return null;
  return Math.round(base * (1 - JITTER + 2 * JITTER * random()));
}

/** Attempts a delivery gets in all: the first, then one after each wait. */
export const attemptsAllowed = (delays: readonly number[]) => delays.length + 1;
