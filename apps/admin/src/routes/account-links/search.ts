import { z } from "zod/mini";

/**
 * The `token` of a link Inkwell emails (`/verify-email?token=…`,
 * `/reset-password?token=…`). The server decides whether it works; here it
 * is only kept to a sane length, and dropped when it is not text.
 */
export const tokenSearchSchema = z.object({
  token: z.catch(z.optional(z.string().check(z.maxLength(100))), undefined),
});
