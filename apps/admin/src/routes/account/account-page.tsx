import { Grid, Stack, Text } from "@mantine/core";
import { createLazyRoute } from "@tanstack/react-router";
import { Can } from "../../components/can.tsx";
import { PageHeader } from "../../components/page-header.tsx";
import { AnchorLink } from "../../components/router-links.tsx";
import { ChangePasswordCard } from "./change-password-card.tsx";
import { LinkedAccountsCard } from "./linked-accounts-card.tsx";
import { MySessions } from "./my-sessions.tsx";
import { NotificationsCard } from "./notifications-card.tsx";
import { PasskeysCard } from "./passkeys-card.tsx";
import { ProfileCard } from "./profile-card.tsx";
import { TwoFactorCard } from "./two-factor-card.tsx";

export const Route = createLazyRoute("/_app/account")({ component: AccountPage });

function AccountPage() {
  return (
    <>
      <PageHeader
        title="My account"
        description={
          <>
            Your password, two-factor sign-in, passkeys, linked accounts, notifications and where you are signed in.
            <Can permission="keys:manage">
              <Text span size="sm">
                {" "}
                Your API keys have{" "}
                <AnchorLink to="/api-keys" underline="always">
                  their own page
                </AnchorLink>
                .
              </Text>
            </Can>
          </>
        }
      />
      <Stack gap="lg">
        <Grid>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <ProfileCard />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <ChangePasswordCard />
          </Grid.Col>
        </Grid>
        <TwoFactorCard />
        <PasskeysCard />
        <LinkedAccountsCard />
        <Can permission="profile:write">
          <NotificationsCard />
        </Can>
        <MySessions />
      </Stack>
    </>
  );
}
