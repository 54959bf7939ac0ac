import type { Permission } from "@inkwell/auth/permissions";
import { Button, EmptyState, Group } from "@mantine/core";
import { IconArrowLeft, IconLock } from "@tabler/icons-react";
import { useCanGoBack, useRouter } from "@tanstack/react-router";
import { useMe } from "../lib/permissions.ts";
import { ButtonLink } from "./router-links.tsx";

/**
 * A page the signed-in role may not open: what is missing, who can help, and two
 * ways on: back to where they came from (when there is somewhere to go back to)
 * and to their own start page (the dashboard, or their account without it).
 */
export function Forbidden({ permission }: { permission: Permission }) {
  const { user, permissions } = useMe();
  const router = useRouter();
  // Back within the console, or to the page before it (a link followed from elsewhere, an address typed in).
  const canGoBack = useCanGoBack() || window.history.length > 1;
  const home = permissions.includes("dashboard:read") ? "the dashboard" : "my account";
  return (
    <EmptyState
      mt="xl"
      icon={<IconLock />}
      title="You cannot open this page"
      description={`It needs the “${permission}” permission, which the ${user.role} role does not have. Ask an administrator if you need it.`}
      data-testid="forbidden-page"
    >
      <Group justify="center" mt="md">
        {canGoBack && (
          <Button variant="default" leftSection={<IconArrowLeft size={16} />} onClick={() => router.history.back()}>
            Go back
          </Button>
        )}
        <ButtonLink to={permissions.includes("dashboard:read") ? "/" : "/account"} variant="light">
          Go to {home}
        </ButtonLink>
      </Group>
    </EmptyState>
  );
}
