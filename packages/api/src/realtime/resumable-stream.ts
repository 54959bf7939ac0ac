import type { AuditEventView } from "../services/audit-event-view.ts";
import type { HubSubscription } from "./hub-subscription.ts";
import { type StreamContext, subscribeToHub } from "./stream-subscription.ts";

/** A reconnecting client gets at most this many missed items (the newest); older ones are in the lists. */
export const REPLAY_LIMIT = 500;

/** An item with its id as a string, the form in which the client gets it back as its last event id. */
export interface StreamItem<T> {
  id: string;
  data: T;
}

/** What one kind of stream sends and how it finds it, by id (audit event ids, comment ids). */
export interface StreamSource<T> {
  /** The newest id there is now: where a stream opened without a last id starts. */
  latestId(): Promise<number>;
  /** Items after `afterId`, oldest first, at most `REPLAY_LIMIT`. */
  replay(afterId: number): Promise<T[]>;
  /** The item an event brings to this stream, or null. */
  pick(event: AuditEventView): Promise<T | null>;
  idOf(item: T): number;
  /**
   * Throws to end the stream when its caller may no longer have it. Called
   * before each event is handled, and with null periodically and after
   * missed events (check everything).
   */
  check(event: AuditEventView | null): Promise<void>;
}

/**
 * Items as they happen, each with its id, so that a client reconnecting
 * with its last id first receives what it missed. The stream
 * starts when this resolves (not at its first read): subscribed to the hub
 * before reading the database, so nothing falls in between. An item both
 * replayed and announced live is sent once, and nothing from before the
 * start (or the client's last id) is sent live. A failure ends the stream;
 * the procedure returns it through `trackedLiveStream`, which maps the error
 * (a database outage becomes a retryable one: the client reconnects and resumes).
 */
export async function openResumableStream<T>(
  ctx: StreamContext,
  source: StreamSource<T>,
  options: { lastEventId?: number; signal?: AbortSignal },
): Promise<AsyncGenerator<StreamItem<T>>> {
  const subscription = subscribeToHub(ctx, options.signal);
  try {
    const start = options.lastEventId ?? (await source.latestId());
    return itemsAfter(subscription, source, { start, replayFirst: options.lastEventId !== undefined });
  } catch (error) {
    subscription.end();
    throw error;
  }
}

async function* itemsAfter<T>(
  subscription: HubSubscription<AuditEventView>,
  source: StreamSource<T>,
  { start, replayFirst }: { start: number; replayFirst: boolean },
): AsyncGenerator<StreamItem<T>> {
  let cursor = start;
  // Ids sent from the table, so that their (late) live announcements are not sent again; the newest are kept.
  const replayed = new Set<number>();
  async function replay(): Promise<T[]> {
    const items = await source.replay(cursor);
    for (const item of items) replayed.add(source.idOf(item));
    for (const id of replayed) {
      if (replayed.size <= 2 * REPLAY_LIMIT) break;
      replayed.delete(id);
    }
    return items;
  }
  function track(item: T): StreamItem<T> {
    const id = source.idOf(item);
    cursor = Math.max(cursor, id);
    return { id: String(id), data: item };
  }

  try {
    if (replayFirst) for (const item of await replay()) yield track(item);
    for await (const message of subscription) {
      if (message.kind === "event") {
        await source.check(message.event);
        const item = await source.pick(message.event);
        // Announcements can trail their commit: what the client had, or what predates the stream, is not sent again.
        if (item && source.idOf(item) > start && !replayed.has(source.idOf(item))) yield track(item);
        continue;
      }
      await source.check(null);
      if (message.kind === "missed") for (const item of await replay()) yield track(item);
    }
  } finally {
    subscription.end();
  }
}
