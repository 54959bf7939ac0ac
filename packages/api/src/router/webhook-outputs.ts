import { webhookDeliveryStatuses, webhookEventTypes } from "@inkwell/auth";
import { z } from "zod";

/** What the `webhooks.*` procedures answer (see outputs.ts for why these are schemas). */

const time = z.date();
const count = z.int().min(0);
const id = z.int().positive();

const webhookEndpointOutput = z
  .object({
    id,
    url: z.string(),
    events: z.array(z.enum(webhookEventTypes)),
    enabled: z.boolean(),
    disabledReason: z.string().nullable().meta({ description: "Why Inkwell disabled it (null when an operator did)" }),
    disabledAt: time.nullable(),
    consecutiveFailures: count.meta({ description: "Dead deliveries in a row" }),
    createdAt: time,
    updatedAt: time,
  })
  .meta({ id: "WebhookEndpoint" });

export const webhookEventTypesOutput = z.array(z.enum(webhookEventTypes));

export const webhookEndpointListOutput = z.array(
  webhookEndpointOutput.extend({ pending: count, lastDeliveryAt: time.nullable() }),
);

export const createdWebhookEndpointOutput = z.object({
  id,
  secret: z.string().meta({ description: "The signing secret (whsec_…), shown this once only" }),
  endpoint: webhookEndpointOutput,
});

export { webhookEndpointOutput as updatedWebhookEndpointOutput };

export const rotatedWebhookSecretOutput = z.object({
  id,
  secret: z.string().meta({ description: "The new signing secret (whsec_…), shown this once only" }),
});

export const deletedWebhookEndpointOutput = z.object({ deleted: id });

const webhookAttemptOutput = z.object({
  id,
  number: id,
  url: z.string(),
  startedAt: time,
  finishedAt: time.nullable(),
  durationMs: count.nullable(),
  statusCode: z.int().nullable(),
  responseBody: z.string().nullable().meta({ description: "The first 1 kB of the answer" }),
  error: z.string().nullable(),
  succeeded: z.boolean(),
});

export const webhookDeliveryPageOutput = z
  .object({
    deliveries: z.array(
      z.object({
        id,
        webhookId: z.string().meta({ description: "The webhook-id header: the same on every attempt and replay" }),
        eventType: z.string(),
        payload: z.unknown(),
        status: z.enum(webhookDeliveryStatuses),
        attempts: count,
        nextAttemptAt: time.nullable(),
        createdAt: time,
        finishedAt: time.nullable(),
        attemptList: z.array(webhookAttemptOutput),
      }),
    ),
    nextCursor: id.nullable(),
  })
  .meta({ id: "WebhookDeliveryPage" });

export const replayedWebhookDeliveryOutput = z.object({
  id,
  webhookId: z.string(),
  endpointId: id,
  previousStatus: z.enum(webhookDeliveryStatuses),
});
