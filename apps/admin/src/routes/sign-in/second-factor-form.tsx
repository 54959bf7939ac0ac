import { inkwellErrorDetails } from "@inkwell/client/errors";
import { Alert, Anchor, Button, Group, Stack, Text, TextInput } from "@mantine/core";
import { IconAlertCircle, IconClockPause } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { errorMessage } from "../../lib/error-message.ts";
import { trpc } from "../../lib/trpc.ts";
import { useCountdown } from "./use-countdown.ts";

interface SecondFactorFormProps {
  /** What `auth.signIn` handed out after the right password. */
  challenge: string;
  onSignedIn: () => Promise<void>;
  /** The challenge is over (expired, or too many wrong codes): back to the password, with the server's reason. */
  onRestart: (reason?: string) => void;
}

/** The second step of signing in: a code from the authenticator app, or one of the recovery codes. */
export function SecondFactorForm({ challenge, onSignedIn, onRestart }: SecondFactorFormProps) {
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState("");
  const countdown = useCountdown();
  const verify = useMutation(
    trpc.auth.signIn2fa.mutationOptions({
      onSuccess: onSignedIn,
      onError: (error) => {
        const details = inkwellErrorDetails(error);
        if (details.code === "UNAUTHORIZED") onRestart(details.message);
        if (details.retryAfterSeconds) countdown.start(details.retryAfterSeconds);
      },
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    verify.mutate(useRecovery ? { challenge, recoveryCode: code } : { challenge, code });
  }

  const { code: errorCode, fieldErrors } = inkwellErrorDetails(verify.error);
  const throttled = errorCode === "TOO_MANY_REQUESTS";
  const fieldError = (useRecovery ? fieldErrors.recoveryCode : fieldErrors.code)?.[0];
  const formError = verify.error && !fieldError && errorCode !== "UNAUTHORIZED" ? verify.error : null;

  return (
    <form onSubmit={submit} aria-label="Two-factor code" noValidate>
      <Stack>
        <Text size="sm">
          {useRecovery
            ? "Enter one of the recovery codes you saved when you turned on two-factor sign-in. Each works once."
            : "Enter the 6-digit code your authenticator app shows for Inkwell."}
        </Text>
        <TextInput
          key={useRecovery ? "recovery" : "code"}
          label={useRecovery ? "Recovery code" : "Authentication code"}
          name={useRecovery ? "recoveryCode" : "code"}
          autoComplete="one-time-code"
          inputMode={useRecovery ? "text" : "numeric"}
          placeholder={useRecovery ? "xxxx-xxxx-xxxx-xxxx" : "123456"}
          maxLength={useRecovery ? 64 : 16}
          required
          data-autofocus
          autoFocus
          value={code}
          onChange={(event) => setCode(event.currentTarget.value)}
          error={fieldError}
          aria-invalid={fieldError ? true : undefined}
        />
        {formError && (
          <Alert
            color={throttled ? "orange" : "red"}
            variant="light"
            icon={throttled ? <IconClockPause /> : <IconAlertCircle />}
            title={throttled ? "Too many attempts" : undefined}
          >
            {throttled && countdown.remaining > 0
              ? `Too many wrong codes. Try again in ${countdown.remaining} seconds.`
              : errorMessage(formError)}
          </Alert>
        )}
        <Button type="submit" loading={verify.isPending} disabled={throttled && countdown.remaining > 0}>
          Verify
        </Button>
        <Group justify="space-between" gap="xs">
          <Anchor
            component="button"
            type="button"
            size="sm"
            onClick={() => {
              setUseRecovery((value) => !value);
              setCode("");
              verify.reset();
            }}
          >
            {useRecovery ? "Use your authenticator app" : "Use a recovery code instead"}
          </Anchor>
          <Anchor component="button" type="button" size="sm" c="dimmed" onClick={() => onRestart()}>
            Start over
          </Anchor>
        </Group>
      </Stack>
    </form>
  );
}
