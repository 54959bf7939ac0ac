import { isDeepStrictEqual } from "node:util";

/** Fields never copied into the log, whatever a caller passes: secrets and what is derived from them. */
const SECRET_FIELD = /password|hash|secret|token|sealed|recovery|otp|totp/i;

export interface FieldChanges {
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/**
 * The fields that differ between a record before and after a change, each
 * with its old and new value: only fields both sides name (so `after` may be
 * whatever the change returned), never `id`, never a secret. Null when
 * nothing changed.
 */
export function changedFields(before: object, after: object): FieldChanges | null {
  const changes: FieldChanges = { before: {}, after: {} };
  const old = before as Record<string, unknown>;
  for (const [field, value] of Object.entries(after)) {
    if (field === "id" || SECRET_FIELD.test(field) || !(field in old) || value === undefined) continue;
    if (isDeepStrictEqual(normalized(old[field]), normalized(value))) continue;
    changes.before[field] = old[field];
    changes.after[field] = value;
  }
  return Object.keys(changes.after).length === 0 ? null : changes;
}

/** Dates compare by time; sets of values (a role list, webhook events) by their members, in any order. */
function normalized(value: unknown): unknown {
  if (value instanceof Date) return value.getTime();
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return [...value].sort();
  return value;
}
