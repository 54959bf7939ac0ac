import { isOperatorRole, type Role, roles } from "@inkwell/auth/permissions";
import { inkwellErrorDetails } from "@inkwell/client/errors";
import { Alert, Button, Checkbox, Group, Paper, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { confirmAction } from "../../components/confirm.tsx";
import { ErrorAlert } from "../../components/error-alert.tsx";
import { errorMessage } from "../../lib/error-message.ts";
import { notifySuccess } from "../../lib/notify.tsx";
import { trpc } from "../../lib/trpc.ts";

/** Plain users' RealWorld clients cannot send a code, so only operator roles can be required to. */
const operatorRoles = roles.filter(isOperatorRole);
const plural: Record<Role, string> = { user: "users", moderator: "moderators", admin: "admins" };

/** Which operator roles must sign in with two-factor sign-in (`settings.requireTwoFactor`). */
export function RequireTwoFactorCard() {
  const queryClient = useQueryClient();
  const setting = useQuery(trpc.settings.requireTwoFactor.get.queryOptions());
  const [selected, setSelected] = useState<Role[]>([]);
  useEffect(() => {
    if (setting.data) setSelected(setting.data.roles);
  }, [setting.data]);

  const save = useMutation(
    trpc.settings.requireTwoFactor.set.mutationOptions({
      onSuccess: ({ roles: required }) =>
        notifySuccess(
          required.length === 0
            ? "No role requires two-factor sign-in."
            : `Every ${required.join(" and ")} signs in with two-factor sign-in.`,
          "Saved",
        ),
      onSettled: () => queryClient.invalidateQueries(trpc.settings.pathFilter()),
    }),
  );

  const added = selected.filter((role) => !setting.data?.roles.includes(role));
  function submit() {
    if (added.length === 0) {
      save.mutate({ roles: selected });
      return;
    }
    confirmAction({
      title: `Require two-factor sign-in of ${added.map((role) => plural[role]).join(" and ")}?`,
      message: `Those who have not turned it on keep their sessions and keys, but hold no permission until they do; the console leads them through it at their next visit.`,
      confirmLabel: "Require it",
      danger: false,
      onConfirm: () => save.mutate({ roles: selected }),
    });
  }

  const rolesError = inkwellErrorDetails(save.error).fieldErrors.roles?.[0];
  return (
    <Paper withBorder p="lg" maw={640} component="section" aria-labelledby="require-two-factor-title">
      <Title order={3} size="h5" id="require-two-factor-title">
        Require two-factor sign-in
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        Operators of the roles ticked here must sign in with a code from an authenticator app.
      </Text>
      {setting.isPending ? (
        <Skeleton height={72} />
      ) : setting.isError ? (
        <ErrorAlert title="Could not load the setting" error={setting.error} />
      ) : (
        <Stack gap="sm">
          {!setting.data.available && (
            <Alert color="gray" variant="light">
              Not available on this server yet: its operator must set ENCRYPTION_KEY first.
            </Alert>
          )}
          <Checkbox.Group
            value={selected}
            onChange={(value) => setSelected(operatorRoles.filter((role) => value.includes(role)))}
            error={rolesError}
          >
            <Group gap="lg">
              {operatorRoles.map((role) => (
                <Checkbox key={role} value={role} label={`All ${plural[role]}`} disabled={!setting.data.available} />
              ))}
            </Group>
          </Checkbox.Group>
          {save.error && !rolesError && (
            <Alert color="red" variant="light">
              {errorMessage(save.error)}
            </Alert>
          )}
          <Button
            w="fit-content"
            onClick={submit}
            loading={save.isPending}
            disabled={!setting.data.available || (selected.length === setting.data.roles.length && added.length === 0)}
          >
            Save
          </Button>
        </Stack>
      )}
    </Paper>
  );
}
