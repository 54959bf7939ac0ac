import { type Executor, type SqlClient, schema } from "@inkwell/db";
import { enqueueJob } from "../services/jobs.ts";
import { endpointsAwaitingDispatch } from "../services/webhook-dispatch.ts";
import type { WorkerLogger } from "./worker.ts";

/** The job key of an endpoint's dispatch: at most one waiting `webhooks.dispatch` job per endpoint. */
export const dispatchJobKey = (endpointId: number) => `webhooks.dispatch:${endpointId}`;

/** Notifications for one endpoint within this window ask for one dispatch. */
const ASK_DELAY_MS = 20;
/** How often a process looks for deliveries no notification announced (see `endpointsAwaitingDispatch`). */
const SWEEP_EVERY_MS = 2_000;

/**
 * Which endpoints this process is dispatching for right now, and whether a
 * delivery was announced since a running dispatch last claimed: shared by the
 * `webhooks.dispatch` jobs and the listener of one process. A dispatch claims
 * again before it ends while new deliveries were announced, so a delivery
 * committed during a dispatch is never left without one; other notifications
 * ask for a dispatch job (at most one waiting per endpoint, its job key).
 */
export class WebhookDispatches {
  private readonly running = new Map<number, number>();
  private readonly announced = new Set<number>();
  private readonly asking = new Map<number, NodeJS.Timeout>();

  constructor(private readonly ask: (endpointId: number) => Promise<void>) {}

  /** A delivery for `endpointId` was committed. */
  announce(endpointId: number): void {
    if (this.running.has(endpointId)) {
      this.announced.add(endpointId);
      return;
    }
    if (this.asking.has(endpointId)) return;
    this.asking.set(
      endpointId,
      setTimeout(() => {
        this.asking.delete(endpointId);
        void this.ask(endpointId);
      }, ASK_DELAY_MS),
    );
  }

  /** A dispatch for `endpointId` starts here. */
  started(endpointId: number): void {
    this.running.set(endpointId, (this.running.get(endpointId) ?? 0) + 1);
  }

  /** About to claim: forgets the announcements the claim will see. */
  claiming(endpointId: number): void {
    this.announced.delete(endpointId);
  }

  /** Whether a delivery was announced since the last `claiming`. */
  wasAnnounced(endpointId: number): boolean {
    return this.announced.has(endpointId);
  }

  finished(endpointId: number): void {
    const left = (this.running.get(endpointId) ?? 1) - 1;
    if (left > 0) this.running.set(endpointId, left);
    else this.running.delete(endpointId);
    if (left > 0) return;
    // Announced after the last claim of the last dispatch here: ask for another. (While another dispatch of the
    // endpoint still runs here, the flag is left for it to see.)
    if (this.announced.delete(endpointId)) this.announce(endpointId);
  }

  stop(): void {
    for (const timer of this.asking.values()) clearTimeout(timer);
    this.asking.clear();
  }
}

/** Asks for a dispatch of an endpoint's deliveries: joins the waiting job if there is one, else adds one. */
export async function askForDispatch(db: Executor, endpointId: number): Promise<void> {
  await enqueueJob(
    db,
    "webhooks.dispatch",
    { endpointId },
    { jobKey: dispatchJobKey(endpointId), jobKeyMode: "preserve_run_at" },
  );
}

export interface DispatchListenerOptions {
  /** LISTENs on a dedicated connection of its own: must reach PostgreSQL directly (not PgBouncer in transaction mode). */
  listenSql: SqlClient;
  db: Executor;
  dispatches: WebhookDispatches;
  logger: WorkerLogger;
  /** `WEBHOOK_TIMEOUT_MS`: an unfinished attempt much older than that was lost. */
  requestTimeoutMs: number;
}

/**
 * Hears of new deliveries (`emitWebhookEvent` NOTIFYs the endpoint's id in the
 * change's transaction, so only committed ones are announced) and, every few
 * seconds and after each (re-)LISTEN, looks for deliveries no notification
 * announced or whose dispatch was cut short.
 */
export async function startDispatchListener(options: DispatchListenerOptions): Promise<{ stop(): Promise<void> }> {
  const { dispatches, logger } = options;
  let sweeping: Promise<void> = Promise.resolve();
  const sweep = () => {
    sweeping = endpointsAwaitingDispatch(options.db, options.requestTimeoutMs).then(
      (endpointIds) => {
        for (const endpointId of endpointIds) dispatches.announce(endpointId);
      },
      (error: unknown) => logger.warn({ err: error }, "webhook dispatch: looking for waiting deliveries failed"),
    );
  };
  // Anyone who can connect may NOTIFY this channel: only an endpoint id, as emitWebhookEvent writes it, counts.
  const onNotify = (payload: string) => {
    const endpointId = /^[1-9][0-9]{0,9}$/.test(payload) ? Number(payload) : 0;
    if (endpointId > 0 && endpointId <= 2_147_483_647) dispatches.announce(endpointId);
  };
  const listening = await options.listenSql.listen(schema.WEBHOOK_DELIVERIES_CHANNEL, onNotify, sweep);
  const timer = setInterval(sweep, SWEEP_EVERY_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      dispatches.stop();
      await listening.unlisten().catch(() => {});
      await sweeping;
    },
  };
}
