/**
 * The live feed's rows: consecutive identical events (the same action, by
 * the same actor, on the same target, with the same outcome) collapse into
 * one row with a count, so 60 identical sign-ins take one row, not the feed.
 * Failures are told apart so the feed can mark them.
 */

export interface FeedEvent {
  id: number;
  action: string;
  actor: { id: number } | null;
  actorApiKeyId: number | null;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  createdAt: Date;
}

/** Why an event failed, as an operator reads it: a sign-in refused, any other call refused, or too many calls. */
export type FailureKind = "failedSignIn" | "refused" | "throttled";

export const failureLabels: Record<FailureKind, string> = {
  failedSignIn: "failed sign-in",
  refused: "refused",
  throttled: "throttled",
};

/** `auth.signIn`, `auth.signIn2fa`, `auth.passkeys.signIn`: the procedures that sign a person in. */
const SIGN_IN = /(^|\.)signIn(2fa)?$/;

function errorCode(details: Record<string, unknown>): string | undefined {
  const error = details.error;
  return error && typeof error === "object" && "code" in error && typeof error.code === "string"
    ? error.code
    : undefined;
}

/** Null for an event that succeeded (or says nothing of its outcome). */
export function failureOf(event: Pick<FeedEvent, "action" | "details">): FailureKind | null {
  if (event.details.outcome !== "failure") return null;
  if (errorCode(event.details) === "TOO_MANY_REQUESTS") return "throttled";
  return SIGN_IN.test(event.action) ? "failedSignIn" : "refused";
}

/** What makes two events identical for the feed (the time, address and input aside). */
function sameness(event: FeedEvent): string {
  return JSON.stringify([
    event.action,
    event.actor?.id ?? null,
    event.actorApiKeyId,
    event.targetType,
    event.targetId,
    event.details.outcome ?? null,
    errorCode(event.details) ?? null,
  ]);
}

export interface EventGroup<E extends FeedEvent> {
  /** The newest event of the run: the row shows it. */
  newest: E;
  /** The oldest event of the run (the newest itself when it stands alone). */
  oldest: E;
  count: number;
  failure: FailureKind | null;
}

/** Runs of identical events, newest first, given events newest first; at most `max` groups. */
export function groupConsecutive<E extends FeedEvent>(
  events: readonly E[],
  max = Number.POSITIVE_INFINITY,
): EventGroup<E>[] {
  const groups: (EventGroup<E> & { key: string })[] = [];
  for (const event of events) {
    const key = sameness(event);
    const last = groups.at(-1);
    if (last && last.key === key) {
      last.oldest = event;
      last.count++;
      continue;
    }
    // Stop at the first event of a group past `max`: the groups kept are complete as far as `events` goes.
    if (groups.length === max) break;
    groups.push({ key, newest: event, oldest: event, count: 1, failure: failureOf(event) });
  }
  return groups.map(({ key: _key, ...group }) => group);
}
