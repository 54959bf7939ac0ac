import type { AuditEventView } from "../services/audit-log.ts";
import { type AuditEventFeedOptions, startAuditEventFeed } from "./audit-event-feed.ts";
import { EventHub } from "./event-hub.ts";

export interface LiveEvents {
  /** `ApiDeps.events`. */
  hub: EventHub<AuditEventView>;
  /** Ends every open stream (clients reconnect elsewhere) and stops listening. */
  close(): Promise<void>;
}

/** A process's live events: a hub fed by the database's announcements of new audit events. */
export async function startLiveEvents(options: Omit<AuditEventFeedOptions, "hub">): Promise<LiveEvents> {
  const hub = new EventHub<AuditEventView>();
  const feed = await startAuditEventFeed({ ...options, hub });
  return {
    hub,
    async close() {
      hub.close();
      await feed.stop();
    },
  };
}
