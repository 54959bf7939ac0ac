import { inkwellErrorDetails } from "@inkwell/client/errors";
import { Alert, Button, Group, Modal, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { RecoveryCodes } from "../../components/two-factor/recovery-codes.tsx";
import { errorMessage } from "../../lib/error-message.ts";
import { trpc } from "../../lib/trpc.ts";

/** New recovery codes for a current code from the app; shown once, the old ones stop working. */
export function RegenerateRecoveryCodesModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [code, setCode] = useState("");
  const regenerate = useMutation(
    trpc.auth.twoFactor.regenerateRecoveryCodes.mutationOptions({
      onSettled: () => queryClient.invalidateQueries(trpc.auth.twoFactor.status.queryFilter()),
    }),
  );

  function close() {
    setCode("");
    regenerate.reset();
    onClose();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    regenerate.mutate({ code });
  }

  const codeError = inkwellErrorDetails(regenerate.error).fieldErrors.code?.[0];
  return (
    <Modal opened={opened} onClose={close} title="New recovery codes" size="lg">
      {regenerate.data ? (
        <RecoveryCodes codes={regenerate.data.recoveryCodes} onSaved={close} />
      ) : (
        <form onSubmit={submit} aria-label="New recovery codes">
          <Stack gap="sm">
            <Text size="sm">Your current recovery codes stop working and ten new ones are shown, once.</Text>
            <TextInput
              label="Code from your authenticator app"
              autoComplete="one-time-code"
              inputMode="numeric"
              maxLength={16}
              required
              data-autofocus
              value={code}
              onChange={(event) => setCode(event.currentTarget.value)}
              error={codeError}
              aria-invalid={codeError ? true : undefined}
            />
            {regenerate.error && !codeError && (
              <Alert color="red" variant="light">
                {errorMessage(regenerate.error)}
              </Alert>
            )}
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={regenerate.isPending}>
                Show new codes
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
