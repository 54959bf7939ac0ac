import { Alert, Anchor, Loader, Stack, Text } from "@mantine/core";
import { IconAlertCircle } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { createLazyRoute, Link, useParams, useRouter } from "@tanstack/react-router";
import { useEffect, useRef, useState } from "react";
import { StandalonePage } from "../../components/standalone-page.tsx";
import { errorMessage } from "../../lib/error-message.ts";
import { notifySuccess } from "../../lib/notify.tsx";
import { safeRedirect } from "../../lib/redirect-search.ts";
import { trpc } from "../../lib/trpc.ts";
import { SecondFactorForm } from "../sign-in/second-factor-form.tsx";

export const Route = createLazyRoute("/sign-in/callback/$provider")({ component: SignInCallbackPage });

/**
 * Where an identity provider sends the browser back: the query string (code,
 * state) goes to the server once, which signs in, asks for the two-factor
 * code, or links the account to the signed-in user.
 */
function SignInCallbackPage() {
  const { provider } = useParams({ from: "/sign-in/callback/$provider" });
  const router = useRouter();
  const queryClient = useQueryClient();
  const sent = useRef(false);
  const [challenge, setChallenge] = useState<{ token: string; returnTo: string } | null>(null);
  const [restartReason, setRestartReason] = useState<string | null>(null);

  async function enter(returnTo: string) {
    queryClient.clear();
    await router.navigate({ href: safeRedirect(returnTo), replace: true });
  }

  const complete = useMutation(
    trpc.auth.identities.complete.mutationOptions({
      onSuccess: async (result) => {
        if (result.outcome === "twoFactorRequired") {
          setChallenge({ token: result.challenge, returnTo: result.returnTo });
        } else if (result.outcome === "linked") {
          notifySuccess("You can now sign in with it.", "Account linked");
          await queryClient.invalidateQueries({ queryKey: trpc.auth.identities.list.queryKey() });
          await router.navigate({ href: safeRedirect(result.returnTo), replace: true });
        } else {
          await enter(result.returnTo);
        }
      },
    }),
  );

  useEffect(() => {
    // The code works once: never send it twice (React runs effects twice in development).
    if (sent.current) return;
    sent.current = true;
    complete.mutate({ provider, callback: window.location.search });
  }, [complete, provider]);

  if (challenge) {
    return (
      <StandalonePage title="Two-factor code" description="One more step: the code from your authenticator app.">
        <SecondFactorForm
          challenge={challenge.token}
          onSignedIn={() => enter(challenge.returnTo)}
          onRestart={(reason) => {
            setChallenge(null);
            setRestartReason(reason ?? "Sign in again.");
          }}
        />
      </StandalonePage>
    );
  }

  const problem = restartReason ?? (complete.error ? errorMessage(complete.error) : null);
  return (
    <StandalonePage title="Signing in" description="Back from your identity provider.">
      {problem ? (
        <Stack>
          <Alert color="red" variant="light" icon={<IconAlertCircle />} title="Sign-in did not complete">
            {problem}
          </Alert>
          <Anchor component={Link} to="/sign-in">
            Back to sign-in
          </Anchor>
        </Stack>
      ) : (
        // The text says what is happening; the spinner is decoration (an aria-label on its bare span is not allowed).
        <Stack align="center" role="status">
          <Loader aria-hidden="true" />
          <Text size="sm" c="dimmed">
            Checking your identity provider's answer…
          </Text>
        </Stack>
      )}
    </StandalonePage>
  );
}
