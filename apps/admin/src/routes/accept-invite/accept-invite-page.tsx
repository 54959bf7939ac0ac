import { inkwellErrorDetails } from "@inkwell/client/errors";
import { Alert, Anchor, Button, PasswordInput, Stack } from "@mantine/core";
import { IconAlertCircle, IconCircleCheck } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi, Link } from "@tanstack/react-router";
import { type FormEvent, type ReactNode, useState } from "react";
import { StandalonePage } from "../../components/standalone-page.tsx";
import { errorMessage } from "../../lib/error-message.ts";
import { trpc } from "../../lib/trpc.ts";

export const Route = createLazyRoute("/accept-invite")({ component: AcceptInvitePage });

const route = getRouteApi("/accept-invite");

/**
 * Where an invitation's link lands: the invited person chooses their first
 * password (the server's password reset, which takes invitation tokens too),
 * which also verifies their address. The link works once, for 7 days.
 */
function AcceptInvitePage() {
  const { token } = route.useSearch();
  const [password, setPassword] = useState("");
  const [repeated, setRepeated] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const accept = useMutation(trpc.auth.resetPassword.mutationOptions());

  function submit(event: FormEvent) {
    event.preventDefault();
    setMismatch(password !== repeated);
    if (password === repeated && token) accept.mutate({ token, password });
  }

  const { fieldErrors } = inkwellErrorDetails(accept.error);
  const passwordError = fieldErrors.password?.[0];
  const formError = accept.error && !passwordError ? accept.error : null;

  let content: ReactNode;
  if (!token) {
    content = (
      <Alert color="orange" variant="light" icon={<IconAlertCircle />}>
        This page needs the whole link from the invitation email. Open it again.
      </Alert>
    );
  } else if (accept.isSuccess) {
    content = (
      <Alert
        color="teal"
        variant="light"
        icon={<IconCircleCheck />}
        title="Your password is set"
        data-testid="invite-done"
      >
        Welcome to Inkwell. Sign in with your email address and the password you chose.
      </Alert>
    );
  } else {
    content = (
      <form onSubmit={submit} aria-label="Choose your password" noValidate>
        <Stack>
          <PasswordInput
            label="Password"
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
          <Button type="submit" loading={accept.isPending}>
            Set my password
          </Button>
        </Stack>
      </form>
    );
  }

  return (
    <StandalonePage
      title="Welcome to Inkwell"
      description="You were invited: choose the password you will sign in with. The link works once, for 7 days."
    >
      <Stack>
        {content}
        {formError ? (
          <Anchor component={Link} to="/forgot-password" size="sm">
            The link does not work? Ask for a password reset link instead
          </Anchor>
        ) : (
          <Anchor component={Link} to="/sign-in" size="sm">
            Go to sign in
          </Anchor>
        )}
      </Stack>
    </StandalonePage>
  );
}
