import type { AuditEventView } from "../services/audit-event-view.ts";
import { auditEventsAfter, latestAuditEventId } from "../services/audit-events-by-id.ts";
import { assertStillAuthorized, concernsUser } from "./caller-guard.ts";
import { openResumableStream, REPLAY_LIMIT } from "./resumable-stream.ts";
import type { StreamContext } from "./stream-subscription.ts";

/** Every audit event, live, to an operator who keeps `audit:read`. */
export function openActivityStream(
  ctx: StreamContext & { user: { id: number } },
  options: { lastEventId?: number; signal?: AbortSignal },
) {
  return openResumableStream<AuditEventView>(
    ctx,
    {
      latestId: () => latestAuditEventId(ctx.db),
      replay: (afterId) => auditEventsAfter(ctx.db, afterId, REPLAY_LIMIT),
      pick: async (event) => event,
      idOf: (event) => event.id,
      async check(event) {
        if (!event || concernsUser(event, ctx.user.id)) await assertStillAuthorized(ctx, ["audit:read"]);
      },
    },
    options,
  );
}
