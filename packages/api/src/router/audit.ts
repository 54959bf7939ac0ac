import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { listAuditEvents } from "../services/audit-log-pages.ts";
import { permissionProcedure } from "../trpc.ts";
import { cursorInput, idInput, MAX_PAGE_SIZE, timestampInput } from "./inputs.ts";
import { auditPageOutput } from "./operator-outputs.ts";

const exactText = (max: number) => z.string().trim().min(1).max(max, `Use at most ${max} characters.`).optional();

export const auditRouter = {
  /** The audit log, newest first, one keyset page at a time; `from` and `to` are inclusive. */
  list: permissionProcedure("audit:read")
    .input(
      z
        .object({
          actorId: idInput.optional(),
          action: exactText(100),
          targetType: exactText(50),
          targetId: exactText(100),
          from: timestampInput.optional(),
          to: timestampInput.optional(),
          limit: z.number().int().min(1).max(MAX_PAGE_SIZE, `Pages hold at most ${MAX_PAGE_SIZE} events.`).default(50),
          cursor: cursorInput.optional(),
        })
        .refine((input) => !input.from || !input.to || input.from <= input.to, {
          message: "The start of the time range must not be after its end.",
          path: ["from"],
        }),
    )
    .output(auditPageOutput)
    .query(({ ctx, input }) => listAuditEvents(ctx.db, input)),
} satisfies TRPCRouterRecord;
