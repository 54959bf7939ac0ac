import { roles, userStatuses } from "@inkwell/auth";
import { z } from "zod";

/** What the operators' user creation and edits answer (see outputs.ts for why these are schemas). */

const id = z.int().positive();

export const createdUserOutput = z
  .object({
    id,
    username: z.string(),
    email: z.string(),
    role: z.enum(roles),
    status: z.enum(userStatuses),
    invited: z.boolean().meta({ description: "An invitation to choose a password was emailed" }),
  })
  .meta({ id: "CreatedUser" });

export const invitationSentOutput = z
  .object({ userId: id, username: z.string(), email: z.string() })
  .meta({ id: "InvitationSent" });

const editableFields = z.object({
  username: z.string().optional(),
  email: z.string().optional(),
  bio: z.string().nullable().optional(),
});

export const editedUserOutput = z
  .object({
    userId: id,
    username: z.string().meta({ description: "The username now" }),
    before: editableFields.meta({ description: "The changed fields as they were" }),
    after: editableFields.meta({ description: "The changed fields as they are now; empty when nothing changed" }),
  })
  .meta({ id: "EditedUser" });
