import { Button, Group, Text } from "@mantine/core";
import { IconMailForward } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { EmailVerificationBadge } from "../../components/badges.tsx";
import { notifyError, notifySuccess } from "../../lib/notify.tsx";
import { useMe } from "../../lib/permissions.ts";
import { trpc } from "../../lib/trpc.ts";

/** Whether the signed-in user's address is verified, and another link when it is not. */
export function EmailVerificationLine() {
  const { user } = useMe();
  const resend = useMutation(
    trpc.auth.resendVerification.mutationOptions({
      onSuccess: ({ sentTo }) => notifySuccess(`Open the link we sent to ${sentTo} within 48 hours.`, "Link sent"),
      onError: (error) => notifyError(error, "Could not send a new link"),
    }),
  );
  return (
    <Group gap="xs" data-testid="my-email-verification">
      <EmailVerificationBadge verified={user.emailVerified} />
      {!user.emailVerified && (
        <>
          <Text size="xs" c="dimmed">
            Open the link we emailed you.
          </Text>
          <Button
            size="compact-xs"
            variant="subtle"
            leftSection={<IconMailForward size={14} />}
            loading={resend.isPending}
            onClick={() => resend.mutate()}
          >
            Email me a new link
          </Button>
        </>
      )}
    </Group>
  );
}
