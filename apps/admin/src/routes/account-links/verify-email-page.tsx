import { Alert, Anchor, Button, Stack, Text } from "@mantine/core";
import { IconAlertCircle, IconCircleCheck } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi, Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { StandalonePage } from "../../components/standalone-page.tsx";
import { errorMessage } from "../../lib/error-message.ts";
import { trpc } from "../../lib/trpc.ts";

export const Route = createLazyRoute("/verify-email")({ component: VerifyEmailPage });

const route = getRouteApi("/verify-email");

/**
 * Where a verification link lands. Confirming takes a click, not just the
 * visit: mail scanners that open links must not use the token up.
 */
function VerifyEmailPage() {
  const { token } = route.useSearch();
  const verify = useMutation(trpc.auth.verifyEmail.mutationOptions());

  let content: ReactNode;
  if (!token) {
    content = (
      <Alert color="orange" variant="light" icon={<IconAlertCircle />}>
        This page needs the whole link from the email. Open it again, or ask for a new one on your account page.
      </Alert>
    );
  } else if (verify.isSuccess) {
    content = (
      <Alert
        color="teal"
        variant="light"
        icon={<IconCircleCheck />}
        title="Email address confirmed"
        data-testid="verified"
      >
        {verify.data.changed ? `Your account now uses ${verify.data.email}.` : `${verify.data.email} is verified.`}
      </Alert>
    );
  } else {
    content = (
      <Stack>
        <Text size="sm">Confirm that you read mail at this address.</Text>
        {verify.error && (
          <Alert color="red" variant="light" icon={<IconAlertCircle />}>
            {errorMessage(verify.error)}
          </Alert>
        )}
        <Button onClick={() => verify.mutate({ token })} loading={verify.isPending}>
          Confirm my email address
        </Button>
      </Stack>
    );
  }

  return (
    <StandalonePage title="Confirm your email address" description="The link from the email works once, for 48 hours.">
      <Stack>
        {content}
        <Anchor component={Link} to="/sign-in" size="sm">
          Go to sign in
        </Anchor>
      </Stack>
    </StandalonePage>
  );
}
