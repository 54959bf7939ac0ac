import { type AttemptOutcome, type ClaimedAttempt, claimAttempt, finishAttempt } from "../services/webhook-attempts.ts";
import { sendWebhookRequest } from "../webhooks/outbound.ts";
import { retryDelayMs } from "../webhooks/retry-schedule.ts";
import { openWebhookSecret } from "../webhooks/secrets.ts";
import { signedHeaders } from "../webhooks/signing.ts";
import type { JobDeps, JobHandler } from "./types.ts";

/**
 * Signs a claimed attempt's body with the endpoint's secret (a fresh
 * timestamp, the delivery's stable `webhook-id`) and POSTs it under the SSRF
 * policy. Never throws: a secret that does not open is a failed attempt too.
 */
export async function sendClaimedAttempt(
  deps: Pick<JobDeps, "webhooks">,
  claim: ClaimedAttempt,
  signal: AbortSignal,
): Promise<AttemptOutcome> {
  const { webhooks } = deps;
  const body = JSON.stringify(claim.delivery.payload);
  try {
    const secret = openWebhookSecret(webhooks.encryptionKey, claim.endpoint.id, claim.endpoint.sealedSecret);
    const outcome = await sendWebhookRequest({
      url: claim.endpoint.url,
      headers: signedHeaders(secret, claim.delivery.webhookId, body, new Date()),
      body,
      policy: webhooks.policy,
      timeoutMs: webhooks.timeoutMs,
      signal,
      resolve: webhooks.resolve,
    });
    return { ...outcome, responseBody: outcome.body };
  } catch (error) {
    // The secret did not open (no or another ENCRYPTION_KEY): recorded like any failed attempt.
    return {
      ok: false,
      statusCode: null,
      responseBody: null,
      error: error instanceof Error ? error.message : String(error),
      url: claim.endpoint.url,
      durationMs: 0,
    };
  }
}

/**
 * Records how a claimed attempt ended with what follows (succeeded, the next
 * attempt scheduled with jittered backoff, or dead), and logs a failure.
 */
export async function settleAttempt(
  deps: Pick<JobDeps, "db" | "webhooks" | "logger">,
  claim: ClaimedAttempt,
  outcome: AttemptOutcome,
): Promise<void> {
  const { webhooks } = deps;
  const verdict = await finishAttempt(deps.db, claim, outcome, {
    retryAfterMs: outcome.ok ? null : retryDelayMs(webhooks.retryDelaysMs, claim.round),
    disableAfterDead: webhooks.disableAfterDead,
  });
  if (verdict !== "succeeded") {
    deps.logger.info(
      {
        deliveryId: claim.delivery.id,
        attempt: claim.number,
        round: claim.round,
        endpointId: claim.endpoint.id,
        error: outcome.error,
        verdict,
      },
      verdict === "dead" ? "webhook delivery dead after its last attempt" : "webhook delivery attempt failed",
    );
  }
}

/**
 * Makes one attempt at a webhook delivery (a retry, or a replay): claims it
 * (the attempt row commits first), sends it, and records the answer. The job
 * itself succeeds whatever the receiver said: the delivery keeps its own
 * schedule (`WEBHOOK_RETRY_DELAYS`), not graphile-worker's. It fails only
 * when the database does, and then runs again. First attempts go out in
 * batches per endpoint instead (`dispatch-webhooks.ts`).
 */
export function deliverWebhookJob(deps: Pick<JobDeps, "db" | "webhooks" | "logger">): JobHandler<"webhooks.deliver"> {
  return async ({ deliveryId }, job) => {
    const claim = await claimAttempt(deps.db, deliveryId);
    if (!claim) return;
    await settleAttempt(deps, claim, await sendClaimedAttempt(deps, claim, job.signal));
  };
}
