import { type Executor, schema } from "@inkwell/db";

export interface AuditRecord {
  action: string;
  actorId: number | null;
  actorApiKeyId?: number | null;
  targetType?: string | null;
  targetId?: string | number | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details?: Record<string, unknown>;
}

export async function recordAuditEvent(db: Executor, record: AuditRecord): Promise<void> {
  await db.insert(schema.auditEvents).values({
    action: record.action,
    actorId: record.actorId,
    actorApiKeyId: record.actorApiKeyId ?? null,
    targetType: record.targetType ?? null,
    targetId: record.targetId == null ? null : String(record.targetId),
    ip: record.ip,
    userAgent: record.userAgent?.slice(0, 512) ?? null,
    requestId: record.requestId,
    details: record.details ?? {},
  });
}

const SECRET_KEY = /pass(word)?|secret|token|^key$|apikey|cookie|authorization/i;
const MAX_STRING = 200;
const MAX_ITEMS = 20;

/**
 * A summary of a procedure's input that is safe to keep: secrets replaced,
 * long text cut, long lists shortened.
 */
export function summarizeInput(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === "string")
    return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}… (${value.length} chars)` : value;
  if (typeof value !== "object") return value;
  if (value instanceof Date) return value.toISOString();
  if (depth >= 4) return "[nested]";
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => summarizeInput(item, depth + 1));
    return value.length > MAX_ITEMS ? [...items, `… ${value.length - MAX_ITEMS} more`] : items;
  }
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      SECRET_KEY.test(key) ? "[redacted]" : summarizeInput(item, depth + 1),
    ]),
  );
}
