import { Alert, Button, Divider, Group, Text } from "@mantine/core";
import { IconShieldLock } from "@tabler/icons-react";
import { useQueryClient } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi, useRouter } from "@tanstack/react-router";
import { StandalonePage } from "../../components/standalone-page.tsx";
import { useMe } from "../../lib/permissions.ts";
import { safeRedirect } from "../../lib/redirect-search.ts";
import { trpc } from "../../lib/trpc.ts";
import { useSignOut } from "../../lib/use-sign-out.ts";
import { ChangePasswordForm } from "../account/change-password-form.tsx";

export const Route = createLazyRoute("/change-password")({ component: ChangePasswordPage });

const route = getRouteApi("/change-password");

/** Where an operator signed in with a breached password must go first. */
function ChangePasswordPage() {
  const { user } = useMe();
  const { redirect } = route.useSearch();
  const router = useRouter();
  const queryClient = useQueryClient();
  const signOut = useSignOut();

  async function continueToConsole() {
    // The server lifted the restriction with the new password: ask again who we are (and what we may do),
    // so the route guards see it, then go where the user was going.
    await queryClient.fetchQuery({ ...trpc.auth.me.queryOptions(), staleTime: 0 });
    await router.navigate({ href: safeRedirect(redirect) });
  }

  return (
    <StandalonePage title="Change your password" description={`Signed in as ${user.email}`}>
      <Alert
        color="orange"
        variant="light"
        icon={<IconShieldLock />}
        title="Your password is not safe to keep"
        mb="lg"
        data-testid="password-change-reason"
      >
        The password you signed in with appears in lists of passwords leaked in data breaches, which are the first ones
        attackers try. Until you choose a new one, you have a plain user's access: the console's {user.role} pages stay
        closed to you.
      </Alert>
      <ChangePasswordForm onChanged={continueToConsole} />
      <Divider my="lg" />
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" c="dimmed">
          Not now?
        </Text>
        <Button variant="default" size="xs" onClick={() => signOut.mutate()} loading={signOut.isPending}>
          Sign out
        </Button>
      </Group>
    </StandalonePage>
  );
}
