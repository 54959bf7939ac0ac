import { Unavailable } from "../errors.ts";
import { HubSubscription } from "./hub-subscription.ts";

/** How many messages a stream may fall behind before it must catch up from the database instead. */
export const DEFAULT_QUEUE_LIMIT = 256;

/**
 * In-process fan-out: what this process learns (audit events from the
 * database) goes to every open stream. Knows nothing of where events come from.
 */
export class EventHub<E> {
  private readonly subscriptions = new Set<HubSubscription<E>>();
  private closedWith: Unavailable | null = null;

  constructor(private readonly queueLimit = DEFAULT_QUEUE_LIMIT) {}

  get subscriberCount(): number {
    return this.subscriptions.size;
  }

  /** Messages from now on, until `signal` aborts, the reader stops or the hub closes. */
  subscribe(signal?: AbortSignal): HubSubscription<E> {
    const subscription = new HubSubscription<E>(this.queueLimit, signal);
    if (this.closedWith) {
      subscription.fail(this.closedWith);
      return subscription;
    }
    this.subscriptions.add(subscription);
    subscription.signal.addEventListener("abort", () => this.subscriptions.delete(subscription), { once: true });
    return subscription;
  }

  publish(event: E): void {
    for (const subscription of this.subscriptions) subscription.push({ kind: "event", event });
  }

  /** Events may have been lost (the database connection dropped): every stream catches up by itself. */
  publishMissed(): void {
    for (const subscription of this.subscriptions) subscription.push({ kind: "missed" });
  }

  /**
   * Ends every stream with a retryable error, so clients reconnect (to
   * another process) and resume from their last event id.
   */
  close(): void {
    this.closedWith ??= new Unavailable("This server is shutting down; reconnect to resume.");
    for (const subscription of this.subscriptions) subscription.fail(this.closedWith);
  }
}
