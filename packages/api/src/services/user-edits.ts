import { type Executor, eq, schema } from "@inkwell/db";
import { NotFound } from "../errors.ts";
import { changedFields } from "../middleware/audit-changes.ts";
import { deleteAccountTokens } from "./account-tokens.ts";

const { users } = schema;

/** What an operator may change of a user's profile; omitted fields stay as they are. */
export interface UserEdits {
  username?: string | undefined;
  email?: string | undefined;
  bio?: string | null | undefined;
}

type Editable = { username: string; email: string; bio: string | null };

/**
 * An operator edits a user's username, email or bio, in one transaction that
 * locks the row first: of two edits at once, the second sees the first's
 * values as "before", so the audit log's before/after chain stays true. A
 * taken username or email (in any case) is a Conflict on that field. A new
 * address is unproven: it loses its verification and every emailed link of
 * the account stops working (they went to the old address).
 */
export function editUser(db: Executor, userId: number, edits: UserEdits) {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({ username: users.username, email: users.email, bio: users.bio })
      .from(users)
      .where(eq(users.id, userId))
      .for("update");
    if (!current) throw new NotFound("user", "No such user: it may have been deleted.");
    // The audit log's own notion of a change: the fields `edits` names whose value differs.
    const changes = changedFields(current, edits);
    if (!changes) return { userId, username: current.username, before: {}, after: {} };
    const before = changes.before as Partial<Editable>;
    const after = changes.after as Partial<Editable>;
    const emailChanged = after.email !== undefined && after.email.toLowerCase() !== current.email.toLowerCase();
    await tx
      .update(users)
      .set({ ...after, ...(emailChanged ? { emailVerifiedAt: null } : {}) })
      .where(eq(users.id, userId));
    if (emailChanged) {
      await deleteAccountTokens(tx, userId, ["verify_email", "change_email", "reset_password", "invite"]);
    }
    return { userId, username: after.username ?? current.username, before, after };
  });
}
