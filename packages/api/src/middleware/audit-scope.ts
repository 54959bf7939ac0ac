import { changedFields } from "./audit-changes.ts";

/**
 * What a mutation tells the audit middleware about itself: its target, and
 * the actor when the caller was anonymous at the start (sign-in, sign-up).
 */
export class AuditScope {
  targetType: string | null = null;
  targetId: string | number | null = null;
  actorId: number | null = null;
  actorUsername: string | null = null;
  details: Record<string, unknown> = {};

  target(type: string, id: string | number): this {
    this.targetType = type;
    this.targetId = id;
    return this;
  }

  actor(user: { id: number; username: string }): this {
    this.actorId = user.id;
    this.actorUsername = user.username;
    return this;
  }

  detail(details: Record<string, unknown>): this {
    Object.assign(this.details, details);
    return this;
  }

  /**
   * Records what a change did to its record: `before` and `after` in the
   * details, with the fields that differ only (see `changedFields`). `before`
   * is read in the mutation's transaction, locked, before the change; `after`
   * may be what the change returned. Called again, later fields add to them.
   */
  change(before: object | null | undefined, after: object | null | undefined): this {
    if (!before || !after) return this;
    const changes = changedFields(before, after);
    if (!changes) return this;
    const recorded = this.details as { before?: Record<string, unknown>; after?: Record<string, unknown> };
    recorded.before = { ...recorded.before, ...changes.before };
    recorded.after = { ...recorded.after, ...changes.after };
    return this;
  }
}
