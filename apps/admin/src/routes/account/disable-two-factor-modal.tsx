import { inkwellErrorDetails } from "@inkwell/client/errors";
import { Alert, Anchor, Button, Group, Modal, PasswordInput, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { errorMessage } from "../../lib/error-message.ts";
import { notifySuccess } from "../../lib/notify.tsx";
import { trpc } from "../../lib/trpc.ts";

/** Turning two-factor sign-in off, proven with a current code or the password. */
export function DisableTwoFactorModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [withPassword, setWithPassword] = useState(false);
  const [value, setValue] = useState("");
  const disable = useMutation(
    trpc.auth.twoFactor.disable.mutationOptions({
      onSuccess: () => {
        notifySuccess("Signing in takes your password only.", "Two-factor sign-in is off");
        close();
      },
      onSettled: () =>
        Promise.all([
          queryClient.invalidateQueries(trpc.auth.twoFactor.status.queryFilter()),
          queryClient.invalidateQueries(trpc.auth.me.queryFilter()),
        ]),
    }),
  );

  function close() {
    setValue("");
    setWithPassword(false);
    disable.reset();
    onClose();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    disable.mutate(withPassword ? { password: value } : { code: value });
  }

  const { fieldErrors } = inkwellErrorDetails(disable.error);
  const fieldError = (withPassword ? fieldErrors.password : fieldErrors.code)?.[0];
  const field = {
    required: true,
    "data-autofocus": true,
    value,
    onChange: (event: { currentTarget: HTMLInputElement }) => setValue(event.currentTarget.value),
    error: fieldError,
    "aria-invalid": fieldError ? true : undefined,
  };

  return (
    <Modal opened={opened} onClose={close} title="Turn off two-factor sign-in?">
      <form onSubmit={submit} aria-label="Turn off two-factor sign-in">
        <Stack gap="sm">
          <Text size="sm">Signing in will take your password only. Prove it is you first.</Text>
          {withPassword ? (
            <PasswordInput label="Your password" autoComplete="current-password" {...field} />
          ) : (
            <TextInput
              label="Code from your authenticator app"
              autoComplete="one-time-code"
              inputMode="numeric"
              maxLength={16}
              {...field}
            />
          )}
          <Anchor
            component="button"
            type="button"
            size="sm"
            w="fit-content"
            onClick={() => {
              setWithPassword((current) => !current);
              setValue("");
              disable.reset();
            }}
          >
            {withPassword ? "Use a code instead" : "Use your password instead"}
          </Anchor>
          {disable.error && !fieldError && (
            <Alert color="red" variant="light">
              {errorMessage(disable.error)}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" color="red" loading={disable.isPending}>
              Turn off
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
