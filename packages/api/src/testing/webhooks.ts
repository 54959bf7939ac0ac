import { type Executor, eq, schema } from "@inkwell/db";

/** Every attempt at a delivery, in order, as stored. */
export const attemptsOf = (db: Executor, deliveryId: number) =>
  db
    .select()
    .from(schema.webhookAttempts)
    .where(eq(schema.webhookAttempts.deliveryId, deliveryId))
    .orderBy(schema.webhookAttempts.number);
