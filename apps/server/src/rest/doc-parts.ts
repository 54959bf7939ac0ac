import { z } from "zod";
import type { ZodOpenApiRequestBodyObject } from "zod-openapi";

/** Building blocks the operations' docs share. */

/** Operations that need `Authorization: Token <token>`. */
export const TOKEN = [{ Token: [] }];

/** A JSON body in RealWorld's envelope: `{"<key>": {…fields}}`. */
export function jsonBody(key: string, fields: z.ZodObject, description: string): ZodOpenApiRequestBodyObject {
  return { required: true, description, content: { "application/json": { schema: z.object({ [key]: fields }) } } };
}
