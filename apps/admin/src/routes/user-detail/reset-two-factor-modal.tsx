import { inkwellErrorDetails } from "@inkwell/client/errors";
import { Alert, Button, Group, Modal, Stack, Text, Textarea } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { errorMessage } from "../../lib/error-message.ts";
import { plural } from "../../lib/format.ts";
import { notifySuccess } from "../../lib/notify.tsx";
import { trpc } from "../../lib/trpc.ts";

interface ResetTwoFactorModalProps {
  user: { id: number; username: string };
  opened: boolean;
  onClose: () => void;
}

/**
 * Resets a user's two-factor sign-in, for someone who lost their app and
 * recovery codes. The operator says how they checked who asked: the reason is
 * required and kept in the audit log.
 */
export function ResetTwoFactorModal({ user, opened, onClose }: ResetTwoFactorModalProps) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState("");
  const reset = useMutation(
    trpc.users.resetTwoFactor.mutationOptions({
      onSuccess: ({ endedSessions }) => {
        notifySuccess(
          `${user.username} signs in with their password alone until they turn it on again; ${plural(endedSessions, "session")} ended.`,
          "Two-factor sign-in reset",
        );
        close();
      },
      onSettled: () => queryClient.invalidateQueries(trpc.users.pathFilter()),
    }),
  );

  function close() {
    setReason("");
    reset.reset();
    onClose();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    reset.mutate({ userId: user.id, reason });
  }

  const reasonError = inkwellErrorDetails(reset.error).fieldErrors.reason?.[0];
  return (
    <Modal opened={opened} onClose={close} title={`Reset ${user.username}'s two-factor sign-in?`}>
      <form onSubmit={submit} aria-label="Reset two-factor sign-in">
        <Stack gap="sm">
          <Text size="sm">
            Their authenticator app and recovery codes stop working, every session they have ends, and they can sign in
            with their password alone. Do this only once you are sure the person asking is {user.username}.
          </Text>
          <Textarea
            label="How did you check who they are?"
            description="Kept in the audit log with this change."
            placeholder="e.g. video call, compared with the photo on file"
            autosize
            minRows={2}
            maxLength={500}
            required
            data-autofocus
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            error={reasonError}
            aria-invalid={reasonError ? true : undefined}
          />
          {reset.error && !reasonError && (
            <Alert color="red" variant="light">
              {errorMessage(reset.error)}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" color="red" loading={reset.isPending}>
              Reset two-factor sign-in
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
