import { ActionIcon, AppShell, Burger, Group, ScrollArea, Title, Tooltip } from "@mantine/core";
import { useDisclosure, useReducedMotion } from "@mantine/hooks";
import { IconFeather, IconLayoutSidebarLeftCollapse, IconLayoutSidebarLeftExpand } from "@tabler/icons-react";
import { createLazyRoute, Outlet, useRouter, useRouterState } from "@tanstack/react-router";
import { useEffect } from "react";
import { Can } from "../../components/can.tsx";
import { ColorSchemeToggle } from "../../components/color-scheme-toggle.tsx";
import { ServerStatus } from "../../components/server-status.tsx";
import { useMe } from "../../lib/permissions.ts";
import { changePasswordSearch } from "../../lib/redirect-search.ts";
import { MainNav } from "./main-nav.tsx";
import { SkipLink } from "./skip-link.tsx";
import { UserMenu } from "./user-menu.tsx";

export const Route = createLazyRoute("/_app")({ component: AppLayout });

const MAIN_ID = "main-content";

/** Header, collapsible navbar (a drawer on phones and small tablets), and the page. */
function AppLayout() {
  const [mobileOpened, mobile] = useDisclosure(false);
  const [desktopOpened, desktop] = useDisclosure(true);
  const reduceMotion = useReducedMotion();
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  // Following a link on a small screen closes the drawer.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on navigation on purpose.
  useEffect(() => mobile.close(), [pathname]);
  usePasswordChangeWhenRequired();

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{
        width: { sm: 200, lg: 240 },
        breakpoint: "sm",
        collapsed: { mobile: !mobileOpened, desktop: !desktopOpened },
      }}
      padding={{ base: "sm", sm: "lg" }}
      transitionDuration={reduceMotion ? 0 : 200}
    >
      <SkipLink target={MAIN_ID} />
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={mobileOpened}
              onClick={mobile.toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
              aria-expanded={mobileOpened}
            />
            <Tooltip label={desktopOpened ? "Hide navigation" : "Show navigation"}>
              <ActionIcon
                variant="subtle"
                color="gray"
                size="lg"
                visibleFrom="sm"
                onClick={desktop.toggle}
                aria-label="Toggle navigation"
                aria-expanded={desktopOpened}
              >
                {desktopOpened ? (
                  <IconLayoutSidebarLeftCollapse size={20} />
                ) : (
                  <IconLayoutSidebarLeftExpand size={20} />
                )}
              </ActionIcon>
            </Tooltip>
            <IconFeather size={24} color="var(--mantine-primary-color-filled)" aria-hidden />
            <Title order={1} size="h4">
              Inkwell admin
            </Title>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <ColorSchemeToggle />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main navigation">
        <AppShell.Section grow component={ScrollArea}>
          <MainNav />
        </AppShell.Section>
        <Can permission="dashboard:read">
          <AppShell.Section pt="sm" px="xs">
            <ServerStatus />
          </AppShell.Section>
        </Can>
      </AppShell.Navbar>
      <AppShell.Main id={MAIN_ID} tabIndex={-1}>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}

/**
 * The route guard sends an operator with a breached password to change it on
 * every navigation; this covers a refreshed `auth.me` on a page already open
 * (they signed in elsewhere with that password: the server now treats every
 * session of theirs as a plain user's).
 */
function usePasswordChangeWhenRequired() {
  const { user } = useMe();
  const router = useRouter();
  useEffect(() => {
    if (!user.passwordChangeRequired) return;
    void router.navigate({ to: "/change-password", search: changePasswordSearch(router.state.location.href) });
  }, [user.passwordChangeRequired, router]);
}
