import { Alert, Button, Divider, Group, Text } from "@mantine/core";
import { IconShieldLock } from "@tabler/icons-react";
import { useQueryClient } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi, useRouter } from "@tanstack/react-router";
import { StandalonePage } from "../../components/standalone-page.tsx";
import { TwoFactorEnrolment } from "../../components/two-factor/two-factor-enrolment.tsx";
import { useMe } from "../../lib/permissions.ts";
import { safeRedirect } from "../../lib/redirect-search.ts";
import { trpc } from "../../lib/trpc.ts";
import { useSignOut } from "../../lib/use-sign-out.ts";

export const Route = createLazyRoute("/two-factor-setup")({ component: TwoFactorSetupPage });

const route = getRouteApi("/two-factor-setup");

/** Where a user whose role requires two-factor sign-in must turn it on first. */
function TwoFactorSetupPage() {
  const { user } = useMe();
  const { redirect } = route.useSearch();
  const router = useRouter();
  const queryClient = useQueryClient();
  const signOut = useSignOut();

  async function continueToConsole() {
    // The server lifted the restriction once it was on: ask again who we are (and what we may do),
    // so the route guards see it, then go where the user was going.
    await queryClient.fetchQuery({ ...trpc.auth.me.queryOptions(), staleTime: 0 });
    await router.navigate({ href: safeRedirect(redirect) });
  }

  return (
    <StandalonePage title="Turn on two-factor sign-in" description={`Signed in as ${user.email}`}>
      <Alert
        color="orange"
        variant="light"
        icon={<IconShieldLock />}
        title="Your role requires it"
        mb="lg"
        data-testid="two-factor-reason"
      >
        Operators require two-factor sign-in of every {user.role}. Until you turn it on, your account can do nothing but
        this: the console's pages, and your API keys, stay closed to you.
      </Alert>
      <TwoFactorEnrolment onDone={continueToConsole} />
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
