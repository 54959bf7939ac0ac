import type { Context, MiddlewareHandler } from "hono";
import { RestError, RestInputError } from "./errors.ts";

/** A request carries a body when it declares a length above zero or a transfer coding (chunked). */
function hasBody(c: Context): boolean {
  const length = c.req.header("content-length");
  return (length !== undefined && length.trim() !== "0") || c.req.header("transfer-encoding") !== undefined;
}

/** `application/json`, with any parameters (`; charset=utf-8`) and in any letter case. */
function isJson(contentType: string | undefined): boolean {
  return contentType?.split(";")[0]?.trim().toLowerCase() === "application/json";
}

/**
 * Bodies must be declared as JSON (415 otherwise). A body of another type is
 * not read as JSON by accident, and a browser cannot send one cross-site
 * without a preflight. Requests without a body (favorite, delete) need no
 * Content-Type.
 */
export const jsonBodiesOnly: MiddlewareHandler = async (c, next) => {
  if (hasBody(c) && !isJson(c.req.header("content-type"))) {
    throw new RestError(415, { body: ["must be sent as application/json"] });
  }
  await next();
};

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
