import { z } from "zod/mini";
import { idParam, textParam, timeParam } from "../../lib/search.ts";

/** Audit log filters; times are ISO strings in the URL. */
export const auditSearchSchema = z.object({
  actorId: idParam,
  action: textParam(),
  targetType: textParam(50),
  targetId: textParam(),
  from: timeParam,
  to: timeParam,
});

export type AuditSearch = z.output<typeof auditSearchSchema>;
