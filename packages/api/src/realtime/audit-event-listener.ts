import { type Database, type SqlClient, schema } from "@inkwell/db";
import type { AuditEventView } from "../services/audit-event-view.ts";
import { auditEventsAfter, auditEventsByIds, latestAuditEventId } from "../services/audit-events-by-id.ts";
import type { EventHub } from "./event-hub.ts";

/** After a reconnect, at most this many events are loaded to catch up; more, and every stream catches up by itself. */
const CATCH_UP_LIMIT = 500;

export interface AuditEventListenerOptions {
  /** LISTENs on a dedicated connection of its own: must reach PostgreSQL directly (not PgBouncer in transaction mode). */
  listenSql: SqlClient;
  db: Database;
  hub: EventHub<AuditEventView>;
  onError: (error: unknown, what: string) => void;
}

export interface AuditEventListener {
  stop(): Promise<void>;
}

/**
 * Feeds the hub with every audit event written by any process: a trigger
 * NOTIFYs each new event's id; this process LISTENs, loads the events (one
 * query per burst, whatever the number of streams) and publishes them.
 *
 * postgres.js LISTENs again after its connection drops (retrying until the
 * database is back); notifications sent meanwhile are lost, so after each
 * re-LISTEN the listener loads the events it did not hear of from the table.
 */
export async function startAuditEventListener(options: AuditEventListenerOptions): Promise<AuditEventListener> {
  const { listenSql, db, hub, onError } = options;
  const channel = schema.AUDIT_EVENTS_CHANNEL;
  let highestId = 0;
  let work = Promise.resolve();
  let pendingIds: number[] = [];

  /** One load at a time, in order, so events reach the hub in the order the database announced them. */
  const enqueue = (task: () => Promise<void>) => {
    work = work.then(task).catch((error: unknown) => {
      onError(error, "loading audit events for live streams");
      // What the failed load would have brought is not lost: each stream reloads from its last id.
      hub.publishMissed();
    });
  };

  const publish = (events: AuditEventView[]) => {
    for (const event of events) {
      highestId = Math.max(highestId, event.id);
      hub.publish(event);
    }
  };

  const loadPending = () => {
    const ids = pendingIds;
    pendingIds = [];
    // With no stream open in this process nobody would receive them, and a stream opened later starts after them:
    // it subscribes, then reads the latest id, and these events committed before they were announced.
    if (hub.subscriberCount === 0) {
      enqueue(async () => {
        for (const id of ids) highestId = Math.max(highestId, id);
      });
      return;
    }
    enqueue(async () => publish(await auditEventsByIds(db, ids)));
  };

  const onNotify = (payload: string) => {
    const id = Number(payload);
    if (!Number.isSafeInteger(id)) return;
    // Notifications arriving together (a burst of writes) are loaded with one query.
    if (pendingIds.push(id) === 1) setImmediate(loadPending);
  };

  let firstListen = true;
  const onListen = () => {
    if (firstListen) {
      firstListen = false;
      enqueue(async () => {
        highestId = Math.max(highestId, await latestAuditEventId(db));
      });
      return;
    }
    // Notifications sent while the connection was down are gone; the table still has the events.
    enqueue(async () => {
      const missed = await auditEventsAfter(db, highestId, CATCH_UP_LIMIT);
      if (missed.length < CATCH_UP_LIMIT) publish(missed);
      else hub.publishMissed();
    });
  };

  const listening = await listenSql.listen(channel, onNotify, onListen);

  return {
    async stop() {
      await listening.unlisten().catch(() => {});
      await work;
    },
  };
}
