import { z } from "zod";

/** What the procedures behind emailed account links answer (see outputs.ts for why these are schemas). */

export const verifiedEmailOutput = z.object({
  email: z.string(),
  changed: z.boolean().meta({ description: "The link confirmed a new address, which is now the account's" }),
});

export const verificationSentOutput = z.object({ sentTo: z.string() });

export const pendingEmailOutput = z.object({
  pendingEmail: z.string().meta({ description: "Becomes the account's address when the link sent to it is opened" }),
});

export const passwordResetRequestedOutput = z.object({ message: z.string() });

export const passwordResetOutput = z.object({ passwordReset: z.literal(true) });

export const forcedPasswordResetOutput = z.object({
  userId: z.int().positive(),
  username: z.string(),
  email: z.string(),
  endedSessions: z.int().min(0),
});
