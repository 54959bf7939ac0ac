import { inkwellErrorDetails } from "@inkwell/client/errors";
import { Alert, Box, Button, Code, Group, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { QRCodeSVG } from "qrcode.react";
import { type FormEvent, useId, useState } from "react";
import { errorMessage } from "../../lib/error-message.ts";
import { plural } from "../../lib/format.ts";
import { notifySuccess } from "../../lib/notify.tsx";
import { trpc } from "../../lib/trpc.ts";
import { RecoveryCodes } from "./recovery-codes.tsx";

/** The secret in groups of four, as people copy it into an app by hand. */
const grouped = (secret: string) => secret.match(/.{1,4}/g)?.join(" ") ?? secret;

interface TwoFactorEnrolmentProps {
  /** Runs when a secret has been handed out: the parent keeps this component shown until `onDone`. */
  onStart?: () => void;
  /** Runs once the recovery codes have been shown and the user says they saved them. */
  onDone?: () => Promise<void> | void;
}

/**
 * Turning on two-factor sign-in, in three steps: a new secret (a QR code for
 * the authenticator app, and the same secret as text, the QR code's text
 * alternative), a first code to prove the app has it, then the recovery
 * codes, shown this once.
 */
export function TwoFactorEnrolment({ onStart, onDone }: TwoFactorEnrolmentProps) {
  const queryClient = useQueryClient();
  const secretId = useId();
  const [code, setCode] = useState("");
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);

  const begin = useMutation(trpc.auth.twoFactor.beginEnrolment.mutationOptions({ onSuccess: () => onStart?.() }));
  const confirm = useMutation(
    trpc.auth.twoFactor.confirmEnrolment.mutationOptions({
      onSuccess: ({ recoveryCodes: codes, endedSessions }) => {
        setRecoveryCodes(codes);
        setCode("");
        notifySuccess(
          endedSessions > 0
            ? `Your other ${plural(endedSessions, "session")} ended: sign in there again, with a code.`
            : "Signing in now takes a code from your app.",
          "Two-factor sign-in is on",
        );
      },
      onSettled: () =>
        Promise.all([
          queryClient.invalidateQueries(trpc.auth.twoFactor.status.queryFilter()),
          queryClient.invalidateQueries(trpc.auth.sessions.list.queryFilter()),
        ]),
    }),
  );

  if (recoveryCodes) {
    return (
      <RecoveryCodes
        codes={recoveryCodes}
        onSaved={async () => {
          await queryClient.invalidateQueries(trpc.auth.me.queryFilter());
          await onDone?.();
        }}
      />
    );
  }

  if (!begin.data) {
    return (
      <Stack gap="sm" align="flex-start">
        {begin.error && (
          <Alert color="red" variant="light">
            {errorMessage(begin.error)}
          </Alert>
        )}
        <Button onClick={() => begin.mutate()} loading={begin.isPending}>
          Set up an authenticator app
        </Button>
      </Stack>
    );
  }

  const { secret, uri } = begin.data;
  const { fieldErrors } = inkwellErrorDetails(confirm.error);
  const codeError = fieldErrors.code?.[0];
  function submit(event: FormEvent) {
    event.preventDefault();
    confirm.mutate({ code });
  }

  return (
    <Stack gap="md">
      <Text size="sm">
        1. Scan this QR code with your authenticator app (1Password, Google Authenticator, Aegis, …), or type the key
        below into it.
      </Text>
      <Group align="flex-start" gap="lg" wrap="wrap">
        <Box p="xs" bg="white" style={{ borderRadius: "var(--mantine-radius-sm)", lineHeight: 0 }}>
          <QRCodeSVG
            value={uri}
            size={176}
            marginSize={2}
            title="QR code with your two-factor secret; the same key is written next to it"
            role="img"
            aria-describedby={secretId}
            data-testid="totp-qr-code"
          />
        </Box>
        <Stack gap={4} maw={260}>
          <Text size="sm" fw={600}>
            Can't scan it? Enter this key
          </Text>
          <Code block fz="md" id={secretId} data-testid="totp-secret" aria-label="Two-factor secret key">
            {grouped(secret)}
          </Code>
          <Text size="xs" c="dimmed">
            Time-based (TOTP), 6 digits, every 30 seconds.
          </Text>
        </Stack>
      </Group>
      <form onSubmit={submit} aria-label="Confirm two-factor sign-in">
        <Stack gap="sm">
          <TextInput
            label="2. Enter the 6-digit code your app shows"
            autoComplete="one-time-code"
            inputMode="numeric"
            maxLength={16}
            required
            value={code}
            onChange={(event) => setCode(event.currentTarget.value)}
            error={codeError}
            aria-invalid={codeError ? true : undefined}
            w={260}
          />
          {confirm.error && !codeError && (
            <Alert color="red" variant="light">
              {errorMessage(confirm.error)}
            </Alert>
          )}
          <Group gap="sm">
            <Button type="submit" loading={confirm.isPending}>
              Turn on
            </Button>
            <Button variant="subtle" color="gray" onClick={() => begin.mutate()} loading={begin.isPending}>
              New key
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
