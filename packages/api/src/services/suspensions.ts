import { and, type Executor, eq, lte, schema, sql } from "@inkwell/db";
import { Forbidden } from "../errors.ts";

const { users } = schema;

/** What deciding about a suspension needs of a user. */
export interface SuspensionState {
  id: number;
  status: schema.UserStatus;
  suspendedUntil: Date | null;
}

/**
 * Whether a suspension keeps the user out now: suspended with no end date, or
 * with one still ahead. A suspension whose end has come counts as over at
 * once, before the maintenance job (`endElapsedSuspensions`) clears the row.
 */
export function suspensionInForce(user: Omit<SuspensionState, "id">, now = Date.now()): boolean {
  if (user.status !== "suspended") return false;
  return user.suspendedUntil === null || user.suspendedUntil.getTime() > now;
}

const SUSPENDED = "This account is suspended. Contact an administrator.";

/** What a suspended person is told at sign-in: the end date when there is one, never the operator's reason. */
export function suspendedMessage(suspendedUntil: Date | null): string {
  if (!suspendedUntil) return SUSPENDED;
  const until = `${suspendedUntil.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return `This account is suspended until ${until}. Contact an administrator.`;
}

/**
 * At sign-in (password, identity provider, passkey, second factor): refuses
 * (Forbidden) a user whose suspension is in force; a suspension whose end has
 * come is lifted now, so the user goes on as active without waiting for the
 * maintenance job. Returns the user as they are now.
 */
export async function admitIfNotSuspended<T extends SuspensionState>(db: Executor, user: T): Promise<T> {
  if (user.status !== "suspended") return user;
  if (suspensionInForce(user)) throw new Forbidden(suspendedMessage(user.suspendedUntil));
  await db
    .update(users)
    .set({ status: "active", suspensionReason: null, suspendedUntil: null })
    .where(and(eq(users.id, user.id), eq(users.status, "suspended"), lte(users.suspendedUntil, sql`now()`)));
  return { ...user, status: "active", suspensionReason: null, suspendedUntil: null };
}
