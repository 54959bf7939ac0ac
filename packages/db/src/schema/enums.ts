import { type Role, roles } from "@inkwell/auth/permissions";
import { pgEnum } from "drizzle-orm/pg-core";

export type { Role };
export const roleEnum = pgEnum("role", roles);

export const userStatuses = ["active", "suspended"] as const;
export type UserStatus = (typeof userStatuses)[number];
export const userStatusEnum = pgEnum("user_status", userStatuses);

/** Moderation state shared by articles and comments: hidden content stays for operators only. */
export const moderationStates = ["visible", "hidden"] as const;
export type ModerationState = (typeof moderationStates)[number];
export const moderationStateEnum = pgEnum("moderation_state", moderationStates);
