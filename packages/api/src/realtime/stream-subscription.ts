import type { Context } from "../context.ts";
import { NotImplemented } from "../errors.ts";
import type { AuditEventView } from "../services/audit-event-view.ts";
import type { HubSubscription } from "./hub-subscription.ts";

export type StreamContext = Pick<Context, "db" | "events" | "principal" | "reauthenticate" | "authSettings">;

/**
 * A stream's subscription to the hub, with a `recheck` message every
 * `streamRecheckIntervalMs`: what no event announces (a session expiring)
 * still ends the stream in time.
 */
export function subscribeToHub(ctx: StreamContext, signal: AbortSignal | undefined): HubSubscription<AuditEventView> {
  if (!ctx.events) {
    throw new NotImplemented("This server does not serve live streams.");
  }
  const subscription = ctx.events.subscribe(signal);
  const timer = setInterval(() => subscription.push({ kind: "recheck" }), ctx.authSettings.streamRecheckIntervalMs);
  timer.unref();
  subscription.signal.addEventListener("abort", () => clearInterval(timer), { once: true });
  return subscription;
}
