import type { ModerationState, UserStatus } from "@inkwell/auth/enums";
import type { Role } from "@inkwell/auth/permissions";
import { Badge } from "@mantine/core";
import { IconMailCheck, IconMailQuestion, IconShieldCheck } from "@tabler/icons-react";

/** Typed by the shared role list, so a new role cannot go without a colour. */
const roleColors: Record<Role, string> = { admin: "grape", moderator: "blue", user: "gray" };

export function RoleBadge({ role }: { role: Role }) {
  return (
    <Badge variant="light" color={roleColors[role]} miw="max-content">
      {role}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: UserStatus }) {
  return (
    <Badge variant="dot" color={status === "active" ? "teal" : "red"} miw="max-content">
      {status}
    </Badge>
  );
}

export function ModerationBadge({ state }: { state: ModerationState }) {
  return (
    <Badge variant="light" color={state === "visible" ? "teal" : "orange"} miw="max-content">
      {state}
    </Badge>
  );
}

export function OutcomeBadge({ outcome }: { outcome: unknown }) {
  if (outcome !== "success" && outcome !== "failure") return null;
  return (
    <Badge size="sm" variant="outline" color={outcome === "success" ? "teal" : "red"} miw="max-content">
      {outcome}
    </Badge>
  );
}

/** The user signs in with a second factor (TOTP). */
export function TwoFactorBadge() {
  return (
    <Badge variant="light" color="teal" miw="max-content" leftSection={<IconShieldCheck size={12} />}>
      2FA
    </Badge>
  );
}

/** Whether the user opened a link sent to their address. */
export function EmailVerificationBadge({ verified }: { verified: boolean }) {
  return verified ? (
    <Badge variant="light" color="teal" miw="max-content" leftSection={<IconMailCheck size={12} />}>
      email verified
    </Badge>
  ) : (
    <Badge variant="light" color="yellow" miw="max-content" leftSection={<IconMailQuestion size={12} />}>
      email unverified
    </Badge>
  );
}
