import { Anchor, Breadcrumbs, Grid, Skeleton, Stack } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { createLazyRoute, getRouteApi } from "@tanstack/react-router";
import { ErrorAlert } from "../../components/error-alert.tsx";
import { AnchorLink } from "../../components/router-links.tsx";
import { trpc } from "../../lib/trpc.ts";
import { UserActivity } from "./user-activity.tsx";
import { UserKeys } from "./user-keys.tsx";
import { UserProfile } from "./user-profile.tsx";
import { UserSessions } from "./user-sessions.tsx";
import { UserSignInMethods } from "./user-sign-in-methods.tsx";

export const Route = createLazyRoute("/_app/users/$userId")({ component: UserPage });

const route = getRouteApi("/_app/users/$userId");

function UserPage() {
  const { userId } = route.useParams();
  const navigate = route.useNavigate();
  const detail = useQuery(trpc.users.detail.queryOptions({ userId }));

  return (
    <Stack gap="lg">
      <Breadcrumbs>
        <AnchorLink to="/users" size="sm">
          Users
        </AnchorLink>
        <Anchor component="span" size="sm" c="dimmed">
          {detail.data?.user.username ?? `#${userId}`}
        </Anchor>
      </Breadcrumbs>
      {detail.isPending ? (
        <Stack aria-busy="true" aria-label="Loading user">
          <Skeleton height={160} />
          <Skeleton height={200} />
        </Stack>
      ) : detail.isError ? (
        <ErrorAlert title="Could not load this user" error={detail.error} onRetry={() => void detail.refetch()} />
      ) : (
        <>
          <UserProfile
            user={detail.data.user}
            twoFactor={detail.data.twoFactor}
            counts={detail.data.counts}
            onDeleted={() => void navigate({ to: "/users" })}
          />
          <Grid>
            <Grid.Col span={{ base: 12, lg: 6 }}>
              <UserSessions user={detail.data.user} sessions={detail.data.sessions} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 6 }}>
              <UserKeys user={detail.data.user} apiKeys={detail.data.apiKeys} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 6 }}>
              <UserSignInMethods identities={detail.data.identities} passkeys={detail.data.passkeys} />
            </Grid.Col>
          </Grid>
          <UserActivity userId={userId} events={detail.data.recentActivity} />
        </>
      )}
    </Stack>
  );
}
