import { Button, Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { IconLockPassword, IconMailForward, IconPencil, IconShieldOff } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { EmailVerificationBadge, RoleBadge, StatusBadge, TwoFactorBadge } from "../../components/badges.tsx";
import { DateText } from "../../components/date-text.tsx";
import { UserAvatar } from "../../components/user-avatar.tsx";
import { formatDate, formatDateTime, plural } from "../../lib/format.ts";
import { notifyError, notifySuccess } from "../../lib/notify.tsx";
import { useCan, useMe } from "../../lib/permissions.ts";
import { type RouterOutputs, trpc } from "../../lib/trpc.ts";
import { UserActionsMenu } from "../users/user-actions-menu.tsx";
import { EditUserModal } from "./edit-user-modal.tsx";
import { ForcePasswordResetModal } from "./force-password-reset-modal.tsx";
import { ResetTwoFactorModal } from "./reset-two-factor-modal.tsx";

type Detail = RouterOutputs["users"]["detail"];

function Count({ label, value }: { label: string; value: number }) {
  return (
    <div>
      <Text size="xl" fw={700}>
        {value.toLocaleString("en")}
      </Text>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
    </div>
  );
}

/** Whether the user signs in with a second factor, and the operator's reset when they lost it. */
function TwoFactorLine({ user, twoFactor }: Pick<Detail, "user" | "twoFactor">) {
  const can = useCan();
  const me = useMe();
  const [resetting, setResetting] = useState(false);
  const state = twoFactor.enabled
    ? `Two-factor sign-in on since ${formatDate(twoFactor.enabledAt)}, ${plural(twoFactor.recoveryCodesLeft, "recovery code")} left`
    : twoFactor.required
      ? "Two-factor sign-in required by their role and not on yet: they can do nothing until they turn it on"
      : "Two-factor sign-in off";
  return (
    <Group gap="sm" mt="xs" data-testid="user-two-factor">
      <Text size="sm" c={twoFactor.enabled ? undefined : "dimmed"}>
        {state}.
      </Text>
      {twoFactor.enabled && can("users:manage") && me.user.id !== user.id && (
        <>
          <Button
            size="compact-xs"
            variant="subtle"
            color="red"
            leftSection={<IconShieldOff size={14} />}
            onClick={() => setResetting(true)}
          >
            Reset two-factor sign-in
          </Button>
          <ResetTwoFactorModal user={user} opened={resetting} onClose={() => setResetting(false)} />
        </>
      )}
    </Group>
  );
}

/** Whether the address is verified, and the operator's forced password reset. */
function PasswordLine({ user }: Pick<Detail, "user">) {
  const can = useCan();
  const me = useMe();
  const [forcing, setForcing] = useState(false);
  return (
    <Group gap="sm" data-testid="user-email-standing">
      <Text size="sm" c="dimmed">
        {user.emailVerifiedAt ? `Email verified on ${formatDate(user.emailVerifiedAt)}.` : "Email not verified yet."}
      </Text>
      {can("users:manage") && me.user.id !== user.id && (
        <>
          <Button
            size="compact-xs"
            variant="subtle"
            color="red"
            leftSection={<IconLockPassword size={14} />}
            onClick={() => setForcing(true)}
          >
            Force password reset
          </Button>
          <ForcePasswordResetModal user={user} opened={forcing} onClose={() => setForcing(false)} />
        </>
      )}
    </Group>
  );
}

/** When they last signed in; invited and never signed in: a new invitation can go out (the old link may be lost or expired). */
function SignInLine({ user }: Pick<Detail, "user">) {
  const can = useCan();
  const resend = useMutation(
    trpc.users.resendInvitation.mutationOptions({
      onSuccess: ({ email }) => notifySuccess(`A new invitation went to ${email}; the older link no longer works.`),
      onError: (error) => notifyError(error, "Could not send the invitation"),
    }),
  );
  return (
    <Group gap="sm" data-testid="user-last-sign-in">
      <Text size="sm" c="dimmed">
        {user.lastSignInAt ? "Last signed in " : user.invitedAt ? "Invited, never signed in." : "Never signed in."}
      </Text>
      {user.lastSignInAt && <DateText date={user.lastSignInAt} />}
      {!user.lastSignInAt && user.invitedAt && can("users:manage") && (
        <Button
          size="compact-xs"
          variant="subtle"
          leftSection={<IconMailForward size={14} />}
          loading={resend.isPending}
          onClick={() => resend.mutate({ userId: user.id })}
        >
          Send a new invitation
        </Button>
      )}
    </Group>
  );
}

/** Why and until when they are suspended, for operators. */
function SuspensionLine({ user }: Pick<Detail, "user">) {
  if (user.status !== "suspended") return null;
  return (
    <Stack gap={2} data-testid="user-suspension">
      <Group gap={4}>
        <Text size="sm" fw={500} c="orange.8">
          Suspended {user.suspendedUntil ? "until" : "until an operator restores them"}
        </Text>
        {user.suspendedUntil && (
          <Text size="sm" fw={500} c="orange.8">
            {formatDateTime(user.suspendedUntil)} (<DateText date={user.suspendedUntil} />)
          </Text>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        {user.suspensionReason ? `Reason: ${user.suspensionReason}` : "No reason given."}
      </Text>
    </Stack>
  );
}

export function UserProfile({
  user,
  twoFactor,
  counts,
  onDeleted,
}: Pick<Detail, "user" | "twoFactor" | "counts"> & { onDeleted: () => void }) {
  const canEdit = useCan()("users:manage");
  const [editing, setEditing] = useState(false);
  return (
    <Paper withBorder p="lg">
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="md">
        <Group align="flex-start" wrap="nowrap">
          <UserAvatar user={user} size={72} radius="xl" />
          <Stack gap={4}>
            <Group gap="xs">
              <Title order={2}>{user.username}</Title>
              <RoleBadge role={user.role} />
              <StatusBadge status={user.status} />
              <EmailVerificationBadge verified={user.emailVerified} />
              {twoFactor.enabled && <TwoFactorBadge />}
            </Group>
            <Text c="dimmed" size="sm">
              {user.email} · #{user.id} · joined {formatDateTime(user.createdAt)}
            </Text>
            <SuspensionLine user={user} />
            <SignInLine user={user} />
            <TwoFactorLine user={user} twoFactor={twoFactor} />
            <PasswordLine user={user} />
            {user.bio && (
              <Text size="sm" maw={640} lineClamp={3}>
                {user.bio}
              </Text>
            )}
          </Stack>
        </Group>
        <Group gap="xs">
          {canEdit && (
            <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setEditing(true)}>
              Edit
            </Button>
          )}
          <UserActionsMenu user={user} asButton onDeleted={onDeleted} />
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 5 }} mt="lg">
        <Count label="Articles" value={counts.articles} />
        <Count label="Comments" value={counts.comments} />
        <Count label="Favorites" value={counts.favorites} />
        <Count label="Followers" value={counts.followers} />
        <Count label="Following" value={counts.following} />
      </SimpleGrid>
      {editing && <EditUserModal user={user} onClose={() => setEditing(false)} />}
    </Paper>
  );
}
