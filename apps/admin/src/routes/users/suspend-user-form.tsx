import { inkwellErrorDetails } from "@inkwell/client/errors";
import { Alert, Button, Group, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { errorMessage } from "../../lib/error-message.ts";
import { formatDateTime, plural } from "../../lib/format.ts";
import { notifySuccess } from "../../lib/notify.tsx";
import { trpc } from "../../lib/trpc.ts";

interface SuspendUserFormProps {
  user: { id: number; username: string };
  onDone: () => void;
}

/** `<input type="datetime-local">` gives local wall-clock text without a zone: read it as local time. */
function parseLocalDateTime(value: string): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * Suspends a user, with a reason for other operators (optional, kept in the
 * audit log, never shown to the user) and an optional end, after which the
 * account restores itself.
 */
export function SuspendUserForm({ user, onDone }: SuspendUserFormProps) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState("");
  const [until, setUntil] = useState("");
  const suspend = useMutation(
    trpc.users.suspend.mutationOptions({
      onSuccess: (suspended) => {
        const end = suspended.suspendedUntil ? ` until ${formatDateTime(suspended.suspendedUntil)}` : "";
        notifySuccess(`${suspended.username} is suspended${end}; ${plural(suspended.endedSessions, "session")} ended.`);
        onDone();
      },
      onSettled: () => queryClient.invalidateQueries(trpc.users.pathFilter()),
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    suspend.mutate({ userId: user.id, reason: reason.trim() || undefined, until: parseLocalDateTime(until) });
  }

  const { fieldErrors } = inkwellErrorDetails(suspend.error);
  const untilError = fieldErrors.until?.[0];
  const reasonError = fieldErrors.reason?.[0];
  return (
    <form onSubmit={submit} aria-label="Suspend user" noValidate>
      <Stack gap="sm">
        <Text size="sm">
          They are signed out everywhere, cannot sign in, and their API keys stop working until restored.
        </Text>
        <Textarea
          label="Reason"
          description="For other operators: shown on their page and kept in the audit log, never shown to them."
          autosize
          minRows={2}
          maxLength={500}
          data-autofocus
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
          error={reasonError}
        />
        <TextInput
          type="datetime-local"
          label="Ends"
          description="Optional: the account restores itself then. Leave empty to suspend until restored."
          value={until}
          onChange={(event) => setUntil(event.currentTarget.value)}
          error={untilError}
        />
        {suspend.error && !untilError && !reasonError && (
          <Alert color="red" variant="light">
            {errorMessage(suspend.error)}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" color="orange" loading={suspend.isPending}>
            Suspend
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
