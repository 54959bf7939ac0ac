import { inkwellErrorDetails } from "@inkwell/client/errors";
import { Alert, Anchor, Button, Stack, TextInput } from "@mantine/core";
import { IconAlertCircle, IconMailForward } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { createLazyRoute, Link } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { StandalonePage } from "../../components/standalone-page.tsx";
import { errorMessage } from "../../lib/error-message.ts";
import { trpc } from "../../lib/trpc.ts";

export const Route = createLazyRoute("/forgot-password")({ component: ForgotPasswordPage });

/** Asks for a link to choose a new password; the answer is the same whether or not the address has an account. */
function ForgotPasswordPage() {
  const [email, setEmail] = useState("");
  const request = useMutation(trpc.auth.requestPasswordReset.mutationOptions());

  function submit(event: FormEvent) {
    event.preventDefault();
    request.mutate({ email });
  }

  const emailError = inkwellErrorDetails(request.error).fieldErrors.email?.[0];
  return (
    <StandalonePage
      title="Forgot your password?"
      description="Enter the email address of your account: we send it a link to choose a new password."
    >
      {request.isSuccess ? (
        <Stack>
          <Alert color="teal" variant="light" icon={<IconMailForward />} data-testid="reset-requested">
            {request.data.message}
          </Alert>
          <Anchor component={Link} to="/sign-in" size="sm">
            Back to sign in
          </Anchor>
        </Stack>
      ) : (
        <form onSubmit={submit} aria-label="Request a password reset" noValidate>
          <Stack>
            <TextInput
              label="Email"
              name="email"
              type="email"
              autoComplete="username"
              required
              data-autofocus
              autoFocus
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
              error={emailError}
            />
            {request.error && !emailError && (
              <Alert color="orange" variant="light" icon={<IconAlertCircle />}>
                {errorMessage(request.error)}
              </Alert>
            )}
            <Button type="submit" loading={request.isPending}>
              Email me a link
            </Button>
            <Anchor component={Link} to="/sign-in" size="sm">
              Back to sign in
            </Anchor>
          </Stack>
        </form>
      )}
    </StandalonePage>
  );
}
