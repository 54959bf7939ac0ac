import {
  emailStatuses,
  moderationStates,
  signInMethods,
  userStatuses,
  webhookDeliveryStatuses,
} from "@inkwell/auth/enums";
import { type Role, roles } from "@inkwell/auth/permissions";
import { pgEnum } from "drizzle-orm/pg-core";

// The value lists live in @inkwell/auth, which the admin console imports too; the enums are built from them.
export {
  type EmailStatus,
  emailStatuses,
  type ModerationState,
  moderationStates,
  type SignInMethod,
  signInMethods,
  type UserStatus,
  userStatuses,
  type WebhookDeliveryStatus,
  type WebhookEventType,
  webhookDeliveryStatuses,
  webhookEventTypes,
} from "@inkwell/auth/enums";
export type { Role };

export const roleEnum = pgEnum("role", roles);
export const userStatusEnum = pgEnum("user_status", userStatuses);
/** Moderation state shared by articles and comments: hidden content stays for operators only. */
export const moderationStateEnum = pgEnum("moderation_state", moderationStates);
export const emailStatusEnum = pgEnum("email_status", emailStatuses);
export const webhookDeliveryStatusEnum = pgEnum("webhook_delivery_status", webhookDeliveryStatuses);
/** How a session was opened (a passkey satisfies a two-factor requirement by itself). */
export const signInMethodEnum = pgEnum("sign_in_method", signInMethods);
