import { z } from "zod/mini";
import { idParam, textParam, timeParam } from "../../lib/search.ts";

/**
 * Audit log filters; times are ISO strings in the URL. `actor` and `action`
 * match part of the name; each param falls back to "no filter" when invalid.
 */
export const auditSearchSchema = z.object({
  actorId: idParam,
  actor: textParam(40),
  action: textParam(),
  targetType: textParam(50),
  targetId: textParam(),
  from: timeParam,
  to: timeParam,
});

export type AuditSearch = z.output<typeof auditSearchSchema>;
