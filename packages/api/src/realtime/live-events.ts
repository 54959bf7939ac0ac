import type { AuditEventView } from "../services/audit-event-view.ts";
import { type AuditEventListenerOptions, startAuditEventListener } from "./audit-event-listener.ts";
import { EventHub } from "./event-hub.ts";

export interface LiveEvents {
  /** `ApiDeps.events`. */
  hub: EventHub<AuditEventView>;
  /** Ends every open stream (clients reconnect elsewhere) and stops listening. */
  close(): Promise<void>;
}

/** A process's live events: a hub fed by the database's announcements of new audit events. */
export async function startLiveEvents(options: Omit<AuditEventListenerOptions, "hub">): Promise<LiveEvents> {
  const hub = new EventHub<AuditEventView>();
  const listener = await startAuditEventListener({ ...options, hub });
  return {
    hub,
    async close() {
      hub.close();
      await listener.stop();
    },
  };
}
