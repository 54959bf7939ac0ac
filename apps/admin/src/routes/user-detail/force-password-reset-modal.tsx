import { inkwellErrorDetails } from "@inkwell/client/errors";
import { Alert, Button, Group, Modal, Stack, Text, Textarea } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { errorMessage } from "../../lib/error-message.ts";
import { plural } from "../../lib/format.ts";
import { notifySuccess } from "../../lib/notify.tsx";
import { trpc } from "../../lib/trpc.ts";

interface ForcePasswordResetModalProps {
  user: { id: number; username: string; email: string };
  opened: boolean;
  onClose: () => void;
}

/**
 * Requires a new password of a user: their password stops working, their
 * sessions end and a reset link goes to their address. The reason is required
 * and kept in the audit log.
 */
export function ForcePasswordResetModal({ user, opened, onClose }: ForcePasswordResetModalProps) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState("");
  const force = useMutation(
    trpc.users.forcePasswordReset.mutationOptions({
      onSuccess: ({ endedSessions, email }) => {
        notifySuccess(
          `A link to choose a new password went to ${email}; ${plural(endedSessions, "session")} ended.`,
          "Password reset required",
        );
        close();
      },
      onSettled: () => queryClient.invalidateQueries(trpc.users.pathFilter()),
    }),
  );

  function close() {
    setReason("");
    force.reset();
    onClose();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    force.mutate({ userId: user.id, reason });
  }

  const reasonError = inkwellErrorDetails(force.error).fieldErrors.reason?.[0];
  return (
    <Modal opened={opened} onClose={close} title={`Force ${user.username} to choose a new password?`}>
      <form onSubmit={submit} aria-label="Force password reset">
        <Stack gap="sm">
          <Text size="sm">
            Their current password stops working and every session they have ends. A link to choose a new password goes
            to {user.email}; it works for one hour. Their API keys keep working.
          </Text>
          <Textarea
            label="Why?"
            description="Kept in the audit log with this change."
            placeholder="e.g. their password appeared in a breach"
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
          {force.error && !reasonError && (
            <Alert color="red" variant="light">
              {errorMessage(force.error)}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" color="red" loading={force.isPending}>
              Force password reset
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
