import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { listAuditEvents } from "../services/audit-log-pages.ts";
import { auditLogVocabulary } from "../services/audit-log-vocabulary.ts";
import { auditTargetStates } from "../services/audit-targets.ts";
import { permissionProcedure } from "../trpc.ts";
import { auditTargetsOutput, auditVocabularyOutput } from "./audit-outputs.ts";
import { cursorInput, idInput, MAX_PAGE_SIZE, timestampInput } from "./inputs.ts";
import { auditPageOutput } from "./operator-outputs.ts";

const exactText = (max: number) => z.string().trim().min(1).max(max, `Use at most ${max} characters.`).optional();

/** Enough for the targets of a few pages of the log (the console asks page by page). */
const MAX_TARGET_REFS = 200;

export const auditRouter = {
  /**
   * The audit log, newest first, one keyset page at a time; `from` and `to` are inclusive.
   * `actor` and `action` match part of the name, in any case; the other filters match exactly.
   */
  list: permissionProcedure("audit:read")
    .input(
      z
        .object({
          actorId: idInput.optional(),
          actor: exactText(40),
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

  /** Every action and target type the log holds: what the filters suggest. */
  vocabulary: permissionProcedure("audit:read")
    .output(auditVocabularyOutput)
    .query(({ ctx }) => auditLogVocabulary(ctx.db)),

  /** Whether the targets of some events still exist, and what they are called, to link to them. */
  targets: permissionProcedure("audit:read")
    .input(
      z.object({
        // `type:id` as events name them (`user:42`): a flat list, so that it travels in a query string too.
        refs: z
          .array(
            z
              .string()
              .max(151)
              .regex(/^[A-Za-z][A-Za-z0-9_.-]{0,49}:[^:]{1,100}$/, "Name each target as type:id, e.g. user:42.")
              .transform((ref) => {
                const at = ref.indexOf(":");
                return { type: ref.slice(0, at), id: ref.slice(at + 1) };
              }),
          )
          .max(MAX_TARGET_REFS, `Ask for at most ${MAX_TARGET_REFS} targets at once.`),
      }),
    )
    .output(auditTargetsOutput)
    .query(async ({ ctx, input }) => ({ targets: await auditTargetStates(ctx.db, input.refs) })),
} satisfies TRPCRouterRecord;
