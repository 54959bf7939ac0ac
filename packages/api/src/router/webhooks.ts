import { webhookDeliveryStatuses, webhookEventTypes } from "@inkwell/auth";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { webhookEndpointBeforeChange } from "../services/audit-snapshots.ts";
import { listWebhookDeliveries, replayWebhookDelivery } from "../services/webhook-deliveries.ts";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookEndpoints,
  rotateWebhookSecret,
  updateWebhookEndpoint,
} from "../services/webhook-endpoints.ts";
import { permissionProcedure } from "../trpc.ts";
import { idInput, MAX_PAGE_SIZE } from "./inputs.ts";
import {
  createdWebhookEndpointOutput,
  deletedWebhookEndpointOutput,
  replayedWebhookDeliveryOutput,
  rotatedWebhookSecretOutput,
  updatedWebhookEndpointOutput,
  webhookDeliveryPageOutput,
  webhookEndpointListOutput,
  webhookEventTypesOutput,
} from "./webhook-outputs.ts";

/**
 * Where to deliver: an absolute http(s) URL without credentials in it (the
 * signature authenticates Inkwell to the receiver). Whether its address may be
 * reached is decided at each delivery, on the address it resolves to then (SSRF).
 */
const webhookUrlInput = z
  .string()
  .trim()
  .max(2048, "Use a URL of at most 2,048 characters.")
  .pipe(z.url({ protocol: /^https?$/, error: "Enter an http:// or https:// URL." }))
  .superRefine((value, ctx) => {
    // Zod runs refinements on what failed to parse too.
    if (!URL.canParse(value)) return;
    const url = new URL(value);
    if (url.username || url.password) {
      ctx.addIssue({ code: "custom", message: "Leave credentials out of the URL: receivers check the signature." });
    }
    if (url.hash) ctx.addIssue({ code: "custom", message: "Leave the #fragment out: it is never sent." });
  });

const eventsInput = z
  .array(z.enum(webhookEventTypes, { error: `Choose among ${webhookEventTypes.join(", ")}.` }))
  .min(1, "Choose at least one event.")
  .max(webhookEventTypes.length)
  .transform((events) => [...new Set(events)]);

const deliveryIdInput = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** Webhook endpoints and their deliveries, for operators (docs/background-work.md, Webhooks). */
export const webhooksRouter = {
  /** The event types an endpoint can receive. */
  eventTypes: permissionProcedure("webhooks:manage")
    .output(webhookEventTypesOutput)
    .query(() => [...webhookEventTypes]),

  /** Every endpoint with its state and counts; never a secret. */
  list: permissionProcedure("webhooks:manage")
    .output(webhookEndpointListOutput)
    .query(({ ctx }) => listWebhookEndpoints(ctx.db)),

  /** Registers an endpoint; the answer holds its signing secret (`whsec_…`), shown this once only. */
  create: permissionProcedure("webhooks:manage")
    .input(z.object({ url: webhookUrlInput, events: eventsInput }))
    .output(createdWebhookEndpointOutput)
    .mutation(async ({ ctx, input }) => {
      const { endpoint, secret } = await createWebhookEndpoint(ctx.db, ctx.encryptionKey, {
        ...input,
        createdBy: ctx.user.id,
      });
      ctx.audit.target("webhookEndpoint", endpoint.id).detail({ url: endpoint.url, events: endpoint.events });
      return { id: endpoint.id, secret, endpoint };
    }),

  /** Changes the URL, the events, or enables/disables it (enabling clears why Inkwell disabled it). */
  update: permissionProcedure("webhooks:manage")
    .input(
      z
        .object({
          id: idInput,
          url: webhookUrlInput.optional(),
          events: eventsInput.optional(),
          enabled: z.boolean().optional(),
        })
        .refine((input) => input.url !== undefined || input.events !== undefined || input.enabled !== undefined, {
          message: "Change the URL, the events or whether it is enabled.",
        }),
    )
    .output(updatedWebhookEndpointOutput)
    .mutation(async ({ ctx, input }) => {
      const { id, ...changes } = input;
      ctx.audit.target("webhookEndpoint", id);
      const before = await webhookEndpointBeforeChange(ctx.db, id);
      const endpoint = await updateWebhookEndpoint(ctx.db, id, changes);
      ctx.audit.change(before, endpoint);
      return endpoint;
    }),

  /** A new signing secret, shown this once; deliveries are signed with it from now on. */
  rotateSecret: permissionProcedure("webhooks:manage")
    .input(z.object({ id: idInput }))
    .output(rotatedWebhookSecretOutput)
    .mutation(({ ctx, input }) => {
      ctx.audit.target("webhookEndpoint", input.id);
      return rotateWebhookSecret(ctx.db, ctx.encryptionKey, input.id);
    }),

  /** Deletes the endpoint with its deliveries and their attempts. */
  delete: permissionProcedure("webhooks:manage")
    .input(z.object({ id: idInput }))
    .output(deletedWebhookEndpointOutput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("webhookEndpoint", input.id);
      const deleted = await deleteWebhookEndpoint(ctx.db, input.id);
      ctx.audit.detail({ url: deleted.url });
      return { deleted: deleted.id };
    }),

  /** An endpoint's deliveries, newest first, each with its attempts. */
  deliveries: permissionProcedure("webhooks:manage")
    .input(
      z.object({
        endpointId: idInput,
        status: z.enum(webhookDeliveryStatuses).optional(),
        limit: z
          .number()
          .int()
          .min(1)
          .max(MAX_PAGE_SIZE, `Pages hold at most ${MAX_PAGE_SIZE} deliveries.`)
          .default(20),
        cursor: deliveryIdInput.optional(),
      }),
    )
    .output(webhookDeliveryPageOutput)
    .query(({ ctx, input }) => listWebhookDeliveries(ctx.db, input)),

  /** Sends a delivery again now, with the same webhook-id, and its retry schedule after it. */
  replay: permissionProcedure("webhooks:manage")
    .input(z.object({ deliveryId: deliveryIdInput }))
    .output(replayedWebhookDeliveryOutput)
    .mutation(async ({ ctx, input }) => {
      ctx.audit.target("webhookDelivery", input.deliveryId);
      const replayed = await replayWebhookDelivery(ctx.db, input.deliveryId);
      ctx.audit.detail({ endpointId: replayed.endpointId, previousStatus: replayed.previousStatus });
      return replayed;
    }),
} satisfies TRPCRouterRecord;
