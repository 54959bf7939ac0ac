import { Alert, Button, Divider, Stack } from "@mantine/core";
import { startAuthentication, WebAuthnError } from "@simplewebauthn/browser";
import { IconAlertCircle, IconFingerprint, IconLogin2 } from "@tabler/icons-react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../../lib/error-message.ts";
import { trpc } from "../../lib/trpc.ts";

interface OtherSignInMethodsProps {
  /** Where to go afterwards (already checked to be a path in this app). */
  returnTo: string;
  onSignedIn: () => Promise<void>;
}

/** What the browser said when the passkey prompt ended without one; null when the person just closed it. */
function promptProblem(error: unknown): string | null {
  if (error instanceof WebAuthnError && error.code === "ERROR_CEREMONY_ABORTED") return null;
  if (error instanceof Error && error.name === "NotAllowedError") return null;
  return errorMessage(error);
}

/** Signing in with a passkey, or at one of the identity providers the operator configured. */
export function OtherSignInMethods({ returnTo, onSignedIn }: OtherSignInMethodsProps) {
  const providers = useQuery(trpc.auth.identities.providers.queryOptions());
  const [problem, setProblem] = useState<string | null>(null);

  const passkeyOptions = useMutation(trpc.auth.passkeys.signInOptions.mutationOptions());
  const passkeySignIn = useMutation(trpc.auth.passkeys.signIn.mutationOptions({ onSuccess: onSignedIn }));
  const begin = useMutation(
    trpc.auth.identities.beginSignIn.mutationOptions({
      onSuccess: ({ authorizationUrl }) => window.location.assign(authorizationUrl),
      onError: (error) => setProblem(errorMessage(error)),
    }),
  );

  async function signInWithPasskey() {
    setProblem(null);
    try {
      const optionsJSON = await passkeyOptions.mutateAsync();
      const response = await startAuthentication({ optionsJSON });
      await passkeySignIn.mutateAsync({ response });
    } catch (error) {
      setProblem(promptProblem(error));
    }
  }

  return (
    <Stack gap="xs" mt="md">
      <Divider label="or" labelPosition="center" />
      <Button
        variant="default"
        leftSection={<IconFingerprint size={18} />}
        loading={passkeyOptions.isPending || passkeySignIn.isPending}
        onClick={signInWithPasskey}
      >
        Sign in with a passkey
      </Button>
      {providers.data?.map((provider) => (
        <Button
          key={provider.id}
          variant="default"
          leftSection={<IconLogin2 size={18} />}
          loading={begin.isPending && begin.variables?.provider === provider.id}
          onClick={() => {
            setProblem(null);
            begin.mutate({ provider: provider.id, returnTo });
          }}
        >
          Sign in with {provider.name}
        </Button>
      ))}
      {problem && (
        <Alert color="red" variant="light" icon={<IconAlertCircle />}>
          {problem}
        </Alert>
      )}
    </Stack>
  );
}
