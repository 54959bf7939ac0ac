import { Alert, Button, Paper, PasswordInput, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { errorMessage, fieldError } from "../../lib/errors.ts";
import { plural } from "../../lib/format.ts";
import { notifySuccess } from "../../lib/notify.tsx";
import { trpc } from "../../lib/trpc.ts";

export function ChangePasswordForm() {
  const queryClient = useQueryClient();
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      onSuccess: ({ endedSessions }) => {
        setCurrentPassword("");
        setNewPassword("");
        setConfirmation("");
        notifySuccess(
          endedSessions > 0 ? `Your other ${plural(endedSessions, "session")} ended.` : "You stay signed in here.",
          "Password changed",
        );
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

  const currentError = fieldError(change.error, "currentPassword");
  const newError = fieldError(change.error, "newPassword");
  return (
    <Paper withBorder p="lg" h="100%">
      <Title order={3} size="h5">
        Change password
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        Your other sessions end; this one stays.
      </Text>
      <form onSubmit={submit} aria-label="Change password">
        <Stack gap="sm">
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            required
            value={currentPassword}
            onChange={(event) => setCurrentPassword(event.currentTarget.value)}
            error={currentError}
          />
          <PasswordInput
            label="New password"
            autoComplete="new-password"
            required
            value={newPassword}
            onChange={(event) => setNewPassword(event.currentTarget.value)}
            error={newError}
          />
          <PasswordInput
            label="Repeat new password"
            autoComplete="new-password"
            required
            value={confirmation}
            onChange={(event) => setConfirmation(event.currentTarget.value)}
            error={mismatch ? "The passwords do not match." : undefined}
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
    </Paper>
  );
}
