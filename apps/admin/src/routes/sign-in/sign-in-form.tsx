import { inkwellErrorDetails } from "@inkwell/client/errors";
import { Alert, Anchor, Button, Group, PasswordInput, Stack, TextInput } from "@mantine/core";
import { IconAlertCircle, IconClockPause } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link, useRouter } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { errorMessage } from "../../lib/error-message.ts";
import { safeRedirect } from "../../lib/redirect-search.ts";
import { trpc } from "../../lib/trpc.ts";
import { OtherSignInMethods } from "./other-sign-in-methods.tsx";
import { SecondFactorForm } from "./second-factor-form.tsx";
import { useCountdown } from "./use-countdown.ts";

const route = getRouteApi("/sign-in");

export function SignInForm() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const { redirect } = route.useSearch();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  /** Set after the right password for an account with two-factor sign-in: the code is still owed. */
  const [challenge, setChallenge] = useState<string | null>(null);
  const [restartReason, setRestartReason] = useState<string | null>(null);
  const countdown = useCountdown();

  async function enter() {
    // Whatever was cached belonged to whoever was signed in before.
    queryClient.clear();
    await router.navigate({ href: safeRedirect(redirect) });
  }

  const signIn = useMutation(
    trpc.auth.signIn.mutationOptions({
      onSuccess: async (result) => {
        if (result.twoFactorRequired) {
          setRestartReason(null);
          setChallenge(result.challenge);
          return;
        }
        await enter();
      },
      onError: (error) => {
        const seconds = inkwellErrorDetails(error).retryAfterSeconds;
        if (seconds) countdown.start(seconds);
      },
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    setRestartReason(null);
    signIn.mutate({ email, password });
  }

  if (challenge) {
    return (
      <SecondFactorForm
        challenge={challenge}
        onSignedIn={enter}
        onRestart={(reason) => {
          setChallenge(null);
          setPassword("");
          signIn.reset();
          setRestartReason(reason ?? null);
        }}
      />
    );
  }

  const error = signIn.error;
  const { code, fieldErrors } = inkwellErrorDetails(error);
  const throttled = code === "TOO_MANY_REQUESTS";
  const emailError = fieldErrors.email?.[0];
  const passwordError = fieldErrors.password?.[0];
  const formError = error && !emailError && !passwordError ? error : null;

  return (
    <>
      <form onSubmit={submit} aria-label="Sign in" noValidate>
        <Stack>
          <TextInput
            label="Email"
            name="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            error={emailError}
          />
          <PasswordInput
            label="Password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            error={passwordError}
          />
          {restartReason && !formError && (
            <Alert color="orange" variant="light" icon={<IconAlertCircle />}>
              {restartReason}
            </Alert>
          )}
          {formError && (
            <Alert
              color={throttled ? "orange" : "red"}
              variant="light"
              icon={throttled ? <IconClockPause /> : <IconAlertCircle />}
              title={throttled ? "Too many attempts" : undefined}
            >
              {throttled && countdown.remaining > 0
                ? `Too many failed sign-in attempts. Try again in ${countdown.remaining} seconds.`
                : errorMessage(formError)}
            </Alert>
          )}
          <Button type="submit" loading={signIn.isPending} disabled={throttled && countdown.remaining > 0}>
            Sign in
          </Button>
          <Group justify="flex-end">
            <Anchor component={Link} to="/forgot-password" size="sm">
              Forgot password?
            </Anchor>
          </Group>
        </Stack>
      </form>
      <OtherSignInMethods returnTo={safeRedirect(redirect)} onSignedIn={enter} />
    </>
  );
}
