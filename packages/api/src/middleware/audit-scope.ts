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
}
