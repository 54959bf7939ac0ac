import { inkwellErrorDetails } from "@inkwell/client/errors";
import { Alert, Button, PasswordInput, Stack } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { errorMessage } from "../../lib/error-message.ts";
import { plural } from "../../lib/format.ts";
import { notifySuccess } from "../../lib/notify.tsx";
import { trpc } from "../../lib/trpc.ts";

interface ChangePasswordFormProps {
  /** Runs once the server has taken the new password. */
  onChanged?: () => Promise<void> | void;
}

/**
 * Current password, new password twice. The server's reasons (a wrong current
 * password, a new one too short or on a breached-password list) show next to
 * their fields.
 */
export function ChangePasswordForm({ onChanged }: ChangePasswordFormProps) {
  const queryClient = useQueryClient();
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      onSuccess: async ({ endedSessions }) => {
        setCurrentPassword("");
        setNewPassword("");
        setConfirmation("");
        notifySuccess(
          endedSessions > 0 ? `Your other ${plural(endedSessions, "session")} ended.` : "You stay signed in here.",
          "Password changed",
        );
        await onChanged?.();
      },
      onSettled: () => queryClient.invalidateQueries(trpc.auth.sessions.list.queryFilter()),
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    if (newPassword !== confirmation) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    change.mutate({ currentPassword, newPassword });
  }

  const { fieldErrors } = inkwellErrorDetails(change.error);
  const currentError = fieldErrors.currentPassword?.[0];
  const newError = fieldErrors.newPassword?.[0];
  // Mantine's PasswordInput shows the error but does not mark its input invalid for screen readers.
  return (
    <form onSubmit={submit} aria-label="Change password">
      <Stack gap="sm">
        <PasswordInput
          label="Current password"
          autoComplete="current-password"
          required
          value={currentPassword}
          onChange={(event) => setCurrentPassword(event.currentTarget.value)}
          error={currentError}
          aria-invalid={currentError ? true : undefined}
        />
        <PasswordInput
          label="New password"
          autoComplete="new-password"
          required
          value={newPassword}
          onChange={(event) => setNewPassword(event.currentTarget.value)}
          error={newError}
          aria-invalid={newError ? true : undefined}
        />
        <PasswordInput
          label="Repeat new password"
          autoComplete="new-password"
          required
          value={confirmation}
          onChange={(event) => setConfirmation(event.currentTarget.value)}
          error={mismatch ? "The passwords do not match." : undefined}
          aria-invalid={mismatch || undefined}
        />
        {change.error && !currentError && !newError && (
          <Alert color="red" variant="light">
            {errorMessage(change.error)}
          </Alert>
        )}
        <Button type="submit" loading={change.isPending} w="fit-content">
          Change password
        </Button>
      </Stack>
    </form>
  );
}
