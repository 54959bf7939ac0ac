import type { Context } from "hono";
import { RestInputError } from "./errors.ts";

/**
 * The object inside the contract's envelope, e.g. `user` in `{"user":{…}}`.
 * Fields are passed on unchecked: the procedures validate them.
 */
export async function envelope(c: Context, key: string): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new RestInputError({ body: ["must be a JSON object"] });
  }
  const inner = (body as Record<string, unknown> | null)?.[key];
  if (typeof inner !== "object" || inner === null || Array.isArray(inner)) {
    throw new RestInputError({ [key]: ["can't be blank"] });
  }
  return inner as Record<string, unknown>;
}

/** An optional whole-number query parameter. */
export function wholeNumber(c: Context, name: string): number | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "") return undefined;
  if (!/^\d{1,9}$/.test(raw)) throw new RestInputError({ [name]: ["must be a whole number"] });
  return Number(raw);
}

/** The token the caller presented, echoed back in user responses as the contract requires. */
export function presentedToken(c: Context): string {
  return c.req.header("authorization")?.trim().split(/\s+/)[1] ?? "";
}

/** Procedures type their input; the facade hands over what the client sent and lets them validate it. */
export const unchecked = <T>(value: unknown): T => value as T;
