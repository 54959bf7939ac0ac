import { claimAttempt, finishAttempt } from "../services/webhook-attempts.ts";
import { sendWebhookRequest } from "../webhooks/outbound.ts";
import { retryDelayMs } from "../webhooks/retry-schedule.ts";
import { openWebhookSecret } from "../webhooks/secrets.ts";
import { signedHeaders } from "../webhooks/signing.ts";
import type { JobDeps, JobHandler } from "./types.ts";

/**
 * Makes one attempt at a webhook delivery: claims it (the attempt row commits
 * first), signs the body with the endpoint's secret (a fresh timestamp, the
 * delivery's stable `webhook-id`), POSTs it under the SSRF policy, and records
 * the answer with what follows (succeeded, the next attempt scheduled with
 * jittered backoff, or dead). The job itself succeeds whatever the receiver
 * said: the delivery keeps its own schedule (`WEBHOOK_RETRY_DELAYS`), not
 * graphile-worker's. It fails only when the database does, and then runs again.
 */
export function deliverWebhookJob(deps: Pick<JobDeps, "db" | "webhooks" | "logger">): JobHandler<"webhooks.deliver"> {
  const { db, webhooks } = deps;
  return async ({ deliveryId }, job) => {
    const claim = await claimAttempt(db, deliveryId);
    if (!claim) return;
    const body = JSON.stringify(claim.delivery.payload);
    let outcome: Awaited<ReturnType<typeof sendWebhookRequest>>;
    try {
      const secret = openWebhookSecret(webhooks.encryptionKey, claim.endpoint.id, claim.endpoint.sealedSecret);
      outcome = await sendWebhookRequest({
        url: claim.endpoint.url,
        headers: signedHeaders(secret, claim.delivery.webhookId, body, new Date()),
        body,
        policy: webhooks.policy,
        timeoutMs: webhooks.timeoutMs,
        signal: job.signal,
        resolve: webhooks.resolve,
      });
    } catch (error) {
      // The secret did not open (no or another ENCRYPTION_KEY): recorded like any failed attempt.
      outcome = {
        ok: false,
        statusCode: null,
        body: null,
        error: error instanceof Error ? error.message : String(error),
        url: claim.endpoint.url,
        durationMs: 0,
      };
    }
    const verdict = await finishAttempt(
      db,
      claim,
      { ...outcome, responseBody: outcome.body },
      {
        retryAfterMs: outcome.ok ? null : retryDelayMs(webhooks.retryDelaysMs, claim.round),
        disableAfterDead: webhooks.disableAfterDead,
      },
    );
    if (verdict !== "succeeded") {
      deps.logger.info(
        {
          deliveryId,
          attempt: claim.number,
          round: claim.round,
          endpointId: claim.endpoint.id,
          error: outcome.error,
          verdict,
        },
        verdict === "dead" ? "webhook delivery dead after its last attempt" : "webhook delivery attempt failed",
      );
    }
  };
}
