import { type Executor, eq, schema } from "@inkwell/db";

const { users, tags, webhookEndpoints } = schema;

/**
 * The fields of a record that the audit log shows as before/after values,
 * read before a change, in the change's transaction and locked, so no
 * concurrent change can slip in between this read and the change. Only
 * fields an operator may see: never secrets or hashes. Null when the record
 * does not exist (the change then fails on its own).
 */

export async function userBeforeChange(db: Executor, userId: number) {
  const [row] = await db
    .select({
      username: users.username,
      email: users.email,
      role: users.role,
      status: users.status,
      bio: users.bio,
      image: users.image,
    })
    .from(users)
    .where(eq(users.id, userId))
    .for("update");
  return row ?? null;
}

export async function tagBeforeChange(db: Executor, tagId: number) {
  const [row] = await db.select({ name: tags.name }).from(tags).where(eq(tags.id, tagId)).for("update");
  return row ?? null;
}

export async function webhookEndpointBeforeChange(db: Executor, endpointId: number) {
  const [row] = await db
    .select({ url: webhookEndpoints.url, events: webhookEndpoints.events, enabled: webhookEndpoints.enabled })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.id, endpointId))
    .for("update");
  return row ?? null;
}
