import { inkwellErrorDetails } from "@inkwell/client/errors";
import { Alert, Anchor, Button, PasswordInput, Stack } from "@mantine/core";
import { IconAlertCircle, IconCircleCheck } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi, Link } from "@tanstack/react-router";
import { type FormEvent, type ReactNode, useState } from "react";
import { StandalonePage } from "../../components/standalone-page.tsx";
import { errorMessage } from "../../lib/error-message.ts";
import { trpc } from "../../lib/trpc.ts";

export const Route = createLazyRoute("/reset-password")({ component: ResetPasswordPage });

const route = getRouteApi("/reset-password");

/** Where a reset link lands: choose a new password; every session of the account ends. */
function ResetPasswordPage() {
  const { token } = route.useSearch();
  const [password, setPassword] = useState("");
  const [repeated, setRepeated] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const reset = useMutation(trpc.auth.resetPassword.mutationOptions());

  function submit(event: FormEvent) {
    event.preventDefault();
    setMismatch(password !== repeated);
    if (password === repeated && token) reset.mutate({ token, password });
  }

  const { fieldErrors } = inkwellErrorDetails(reset.error);
  const passwordError = fieldErrors.password?.[0];
  const formError = reset.error && !passwordError ? reset.error : null;

  let content: ReactNode;
  if (!token) {
    content = (
      <Alert color="orange" variant="light" icon={<IconAlertCircle />}>
        This page needs the whole link from the email. Open it again, or ask for a new one.
      </Alert>
    );
  } else if (reset.isSuccess) {
    content = (
      <Alert
        color="teal"
        variant="light"
        icon={<IconCircleCheck />}
        title="Your password is set"
        data-testid="reset-done"
      >
        Every session of your account has ended. Sign in with your new password.
      </Alert>
    );
  } else {
    content = (
      <form onSubmit={submit} aria-label="Choose a new password" noValidate>
        <Stack>
          <PasswordInput
            label="New password"
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
            Set new password
          </Button>
        </Stack>
      </form>
    );
  }

  return (
    <StandalonePage title="Choose a new password" description="The link from the email works once, for one hour.">
      <Stack>
        {content}
        <Anchor component={Link} to={formError ? "/forgot-password" : "/sign-in"} size="sm">
          {formError ? "Ask for a new link" : "Go to sign in"}
        </Anchor>
      </Stack>
    </StandalonePage>
  );
}
