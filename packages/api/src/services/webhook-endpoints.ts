import type { WebhookEventType } from "@inkwell/auth";
import { asc, type Executor, eq, schema, sql } from "@inkwell/db";
import { NotFound, PreconditionFailed } from "../errors.ts";
import { generateWebhookSecret, requireEncryptionKey, sealWebhookSecret } from "../webhooks/secrets.ts";

const e = schema.webhookEndpoints;
const d = schema.webhookDeliveries;

/** Endpoints an installation may have: each event is delivered once per endpoint, in the change's transaction. */
export const MAX_ENDPOINTS = 50;

/** What operators see of an endpoint: never its secret. */
const endpointColumns = {
  id: e.id,
  url: e.url,
  events: sql<WebhookEventType[]>`${e.events}`,
  enabled: e.enabled,
  disabledReason: e.disabledReason,
  disabledAt: e.disabledAt,
  consecutiveFailures: e.consecutiveFailures,
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
};

export type WebhookEndpointView = {
  id: number;
  url: string;
  events: WebhookEventType[];
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: Date | null;
  consecutiveFailures: number;
  createdAt: Date;
  updatedAt: Date;
};

const noSuchEndpoint = (id: number) => new NotFound("webhookEndpoint", `No webhook endpoint ${id}.`);

/**
 * Registers an endpoint with a new signing secret, sealed under the
 * encryption key and bound to the endpoint's id. Returns the secret: this is
 * the only time it leaves the server (`rotateWebhookSecret` makes a new one).
 */
export async function createWebhookEndpoint(
  db: Executor,
  encryptionKey: Uint8Array | null | undefined,
  input: { url: string; events: WebhookEventType[]; createdBy: number },
): Promise<{ endpoint: WebhookEndpointView; secret: string }> {
  const key = requireEncryptionKey(encryptionKey);
  const count = await db.$count(e);
  if (count >= MAX_ENDPOINTS) {
    throw new PreconditionFailed(`There are ${count} webhook endpoints already, the most allowed: delete one first.`);
  }
  // The id first: the sealed secret is bound to it.
  const [next] = await db.execute<{ id: number }>(
    sql`select nextval(pg_get_serial_sequence('webhook_endpoints', 'id'))::int as id`,
  );
  if (!next) throw new Error("nextval returned no row");
  const { secret, bytes } = generateWebhookSecret();
  const [endpoint] = await db
    .insert(e)
    .values({
      id: next.id,
      url: input.url,
      events: input.events,
      sealedSecret: sealWebhookSecret(key, next.id, bytes),
      createdBy: input.createdBy,
    })
    .returning(endpointColumns);
  if (!endpoint) throw new Error("insert returned no row");
  return { endpoint, secret };
}

/** Every endpoint, oldest first, with how many of its deliveries are pending, succeeded and dead. */
export async function listWebhookEndpoints(db: Executor) {
  return db
    .select({
      ...endpointColumns,
      pending: sql<number>`(select count(*)::int from ${d} where ${d.endpointId} = ${e.id} and ${d.status} = 'pending')`,
      lastDeliveryAt: sql<Date | null>`(select max(${d.createdAt}) from ${d} where ${d.endpointId} = ${e.id})`.mapWith(
        (value: string | null) => (value === null ? null : new Date(value)),
      ),
    })
    .from(e)
    .orderBy(asc(e.id));
}

/**
 * Changes an endpoint's URL, events or enabled flag. Enabling clears the
 * reason Inkwell disabled it for and its count of dead deliveries in a row.
 */
export async function updateWebhookEndpoint(
  db: Executor,
  id: number,
  changes: { url?: string; events?: WebhookEventType[]; enabled?: boolean },
): Promise<WebhookEndpointView> {
  const set: Partial<typeof e.$inferInsert> = {};
  if (changes.url !== undefined) set.url = changes.url;
  if (changes.events !== undefined) set.events = changes.events;
  if (changes.enabled === true)
    Object.assign(set, { enabled: true, disabledReason: null, disabledAt: null, consecutiveFailures: 0 });
  if (changes.enabled === false) Object.assign(set, { enabled: false, disabledReason: null, disabledAt: new Date() });
  const [endpoint] = await db
    .update(e)
    .set({ ...set, updatedAt: new Date() })
    .where(eq(e.id, id))
    .returning(endpointColumns);
  if (!endpoint) throw noSuchEndpoint(id);
  return endpoint;
}

/** A new signing secret for an endpoint, returned once; the old one stops signing at once. */
export async function rotateWebhookSecret(
  db: Executor,
  encryptionKey: Uint8Array | null | undefined,
  id: number,
): Promise<{ id: number; secret: string }> {
  const key = requireEncryptionKey(encryptionKey);
  const { secret, bytes } = generateWebhookSecret();
  const [row] = await db
    .update(e)
    .set({ sealedSecret: sealWebhookSecret(key, id, bytes), updatedAt: new Date() })
    .where(eq(e.id, id))
    .returning({ id: e.id });
  if (!row) throw noSuchEndpoint(id);
  return { id: row.id, secret };
}

/** Deletes an endpoint with its deliveries and their attempts (queued jobs find nothing and end). */
export async function deleteWebhookEndpoint(db: Executor, id: number): Promise<{ id: number; url: string }> {
  const [row] = await db.delete(e).where(eq(e.id, id)).returning({ id: e.id, url: e.url });
  if (!row) throw noSuchEndpoint(id);
  return row;
}
