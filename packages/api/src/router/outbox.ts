import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { getOutboxMessage, listOutbox } from "../services/email-outbox.ts";
import { permissionProcedure } from "../trpc.ts";
import { pageInput } from "./inputs.ts";

const messageIdInput = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** Every email Inkwell sent or kept (without SMTP, this is where they are), for operators. */
export const outboxRouter = {
  /** Newest first: recipient, subject, status, attempts, when; no bodies. */
  list: permissionProcedure("outbox:read")
    .input(z.object({ ...pageInput }))
    .query(async ({ ctx, input }) => {
      const { messages, total } = await listOutbox(ctx.db, input);
      return { messages, total, page: input.page, pageSize: input.pageSize };
    }),

  /** One message with its text part. */
  get: permissionProcedure("outbox:read")
    .input(z.object({ id: messageIdInput }))
    .query(({ ctx, input }) => getOutboxMessage(ctx.db, input.id)),
} satisfies TRPCRouterRecord;
