import { claimAttempt, type DeliveredAttempt, delivered, recordSuccesses } from "../services/webhook-attempts.ts";
import { claimDispatchAttempts, untriedDeliveriesOfDisabled } from "../services/webhook-dispatch.ts";
import { sendClaimedAttempt, settleAttempt } from "./deliver-webhook.ts";
import type { JobDeps, JobHandler } from "./types.ts";
import { askForDispatch, type WebhookDispatches } from "./webhook-dispatches.ts";

/** Deliveries claimed at once. */
const BATCH = 32;
/** Requests in flight at once to one endpoint. */
const PARALLEL = 8;
/** A dispatch stops claiming after this long and leaves the rest to the next (a worker slot is not held forever). */
const RUN_FOR_MS = 5_000;

/**
 * Sends an endpoint's new deliveries in batches: claims up to 32 (one
 * statement), sends them 8 at a time, records the successes in one statement
 * and each failure with its retry (`webhooks.deliver`, as before), and claims
 * again until none is left and none was announced meanwhile. One job per
 * batch rather than per delivery: a delivery costs a comment a row and a
 * NOTIFY instead of a job, and the worker a share of four statements instead
 * of four (BENCHMARKS.md, finding 15).
 */
export function dispatchWebhooksJob(
  deps: Pick<JobDeps, "db" | "webhooks" | "logger"> & { dispatches: WebhookDispatches },
): JobHandler<"webhooks.dispatch"> {
  const { db, dispatches } = deps;
  return async ({ endpointId }, job) => {
    dispatches.started(endpointId);
    try {
      const until = performance.now() + RUN_FOR_MS;
      for (;;) {
        if (performance.now() > until || job.signal.aborted) {
          await askForDispatch(db, endpointId);
          return;
        }
        dispatches.claiming(endpointId);
        const claims = await claimDispatchAttempts(db, endpointId, {
          poolId: job.poolId,
          limit: BATCH,
          requestTimeoutMs: deps.webhooks.timeoutMs,
        });
        if (claims.length === 0) {
          if (await closeDisabledEndpoint(deps, endpointId, job.signal)) continue;
          if (dispatches.wasAnnounced(endpointId)) continue;
          return;
        }
        const succeeded: DeliveredAttempt[] = [];
        await inParallel(claims, PARALLEL, async (claim) => {
          const outcome = await sendClaimedAttempt(deps, claim, job.signal);
          if (outcome.ok) succeeded.push(delivered(claim, outcome));
          else await settleAttempt(deps, claim, outcome);
        });
        await recordSuccesses(db, endpointId, succeeded);
      }
    } finally {
      dispatches.finished(endpointId);
    }
  };
}

/**
 * A disabled endpoint's untried deliveries are recorded dead, with why (what `claimAttempt` does for each; one
 * enabled again meanwhile is claimed and sent). True when there may be more.
 */
async function closeDisabledEndpoint(
  deps: Pick<JobDeps, "db" | "webhooks" | "logger">,
  endpointId: number,
  signal: AbortSignal,
): Promise<boolean> {
  const ids = await untriedDeliveriesOfDisabled(deps.db, endpointId, BATCH);
  for (const id of ids) {
    const claim = await claimAttempt(deps.db, id);
    if (claim) await settleAttempt(deps, claim, await sendClaimedAttempt(deps, claim, signal));
  }
  return ids.length === BATCH;
}

async function inParallel<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await run(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
