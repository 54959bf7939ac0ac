import type { Context } from "../context.ts";
import type { AuditRecord } from "../services/audit-writer.ts";
import type { AuditScope } from "./audit-scope.ts";
import { summarizeInput } from "./input-summary.ts";

export type AuditOutcome = { ok: true } | { ok: false; code: string; message: string };

/** The audit event of one mutation call, from the caller, what the procedure told its scope, and the outcome. */
export function auditRecord(
  ctx: Pick<Context, "principal" | "meta">,
  action: string,
  scope: AuditScope,
  outcome: AuditOutcome,
  rawInput: unknown,
): AuditRecord {
  const { principal } = ctx;
  return {
    action,
    actorId: scope.actorId ?? principal?.user.id ?? null,
    actorUsername: scope.actorId === null ? (principal?.user.username ?? null) : scope.actorUsername,
    actorApiKeyId: principal?.kind === "apiKey" ? principal.apiKey.id : null,
    targetType: scope.targetType,
    targetId: scope.targetId,
    ip: ctx.meta.ip,
    userAgent: ctx.meta.userAgent,
    requestId: ctx.meta.requestId,
    details: {
      outcome: outcome.ok ? "success" : "failure",
      ...(outcome.ok ? {} : { error: { code: outcome.code, message: outcome.message } }),
      input: summarizeInput(rawInput),
      ...scope.details,
    },
  };
}
