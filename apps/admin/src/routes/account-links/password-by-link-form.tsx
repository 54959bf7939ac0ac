import { inkwellErrorDetails } from "@inkwell/client/errors";
import { Alert, Anchor, Button, PasswordInput, Stack } from "@mantine/core";
import { IconAlertCircle, IconCircleCheck } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { errorMessage } from "../../lib/error-message.ts";
import { trpc } from "../../lib/trpc.ts";

/** The words that differ between the pages an emailed password link lands on. */
export interface PasswordByLinkTexts {
  /** Shown instead of the form when the link lost its token. */
  missingToken: string;
  formLabel: string;
  passwordLabel: string;
  submitLabel: string;
  done: { testId: string; text: string };
  /** The link to /forgot-password shown once the server refused the token. */
  askForNewLink: string;
}

/**
 * Chooses a password with the token of an emailed link (a password reset or an
 * invitation: the server's `auth.resetPassword` takes both), asking for it twice.
 */
export function PasswordByLinkForm({ token, texts }: { token: string | undefined; texts: PasswordByLinkTexts }) {
  const [password, setPassword] = useState("");
  const [repeated, setRepeated] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const reset = useMutation(trpc.auth.resetPassword.mutationOptions());

  function submit(event: FormEvent) {
    event.preventDefault();
    setMismatch(password !== repeated);
    if (password === repeated && token) reset.mutate({ token, password });
  }

  const passwordError = inkwellErrorDetails(reset.error).fieldErrors.password?.[0];
  const formError = reset.error && !passwordError ? reset.error : null;

  return (
    <Stack>
      {!token ? (
        <Alert color="orange" variant="light" icon={<IconAlertCircle />}>
          {texts.missingToken}
        </Alert>
      ) : reset.isSuccess ? (
        <Alert
          color="teal"
          variant="light"
          icon={<IconCircleCheck />}
          title="Your password is set"
          data-testid={texts.done.testId}
        >
          {texts.done.text}
        </Alert>
      ) : (
        <form onSubmit={submit} aria-label={texts.formLabel} noValidate>
          <Stack>
            <PasswordInput
              label={texts.passwordLabel}
              name="password"
              autoComplete="new-password"
              description="At least 8 characters; a few words make a good one."
              required
              data-autofocus
              autoFocus
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
              error={passwordError}
            />
            <PasswordInput
              label="Repeat it"
              name="repeated"
              autoComplete="new-password"
              required
              value={repeated}
              onChange={(event) => setRepeated(event.currentTarget.value)}
              error={mismatch ? "The two passwords differ." : undefined}
            />
            {formError && (
              <Alert color="red" variant="light" icon={<IconAlertCircle />}>
                {errorMessage(formError)}
              </Alert>
            )}
            <Button type="submit" loading={reset.isPending}>
              {texts.submitLabel}
            </Button>
          </Stack>
        </form>
      )}
      <Anchor component={Link} to={formError ? "/forgot-password" : "/sign-in"} size="sm">
        {formError ? texts.askForNewLink : "Go to sign in"}
      </Anchor>
    </Stack>
  );
}
