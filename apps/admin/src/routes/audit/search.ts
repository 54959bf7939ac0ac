import type { SearchSchemaInput } from "@tanstack/react-router";
import { pickInt, pickText } from "../../lib/search.ts";

/** Audit log filters; times are ISO strings in the URL. */
export interface AuditSearch {
  actorId?: number;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: string;
  to?: string;
}

function pickTime(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}

export function validateAuditSearch(input: AuditSearch & SearchSchemaInput): AuditSearch {
  const raw = input as unknown as Record<string, unknown>;
  const actorId = pickInt(raw.actorId, 0, 1, 2_147_483_647);
  return {
    actorId: actorId === 0 ? undefined : actorId,
    action: pickText(raw.action),
    targetType: pickText(raw.targetType, 50),
    targetId: pickText(raw.targetId),
    from: pickTime(raw.from),
    to: pickTime(raw.to),
  };
}
