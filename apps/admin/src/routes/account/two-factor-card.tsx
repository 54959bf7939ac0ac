import { Alert, Badge, Button, Group, Paper, Skeleton, Stack, Text, Title } from "@mantine/core";
import { IconShieldCheck } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorAlert } from "../../components/error-alert.tsx";
import { TwoFactorEnrolment } from "../../components/two-factor/two-factor-enrolment.tsx";
import { formatDate, plural } from "../../lib/format.ts";
import { trpc } from "../../lib/trpc.ts";
import { DisableTwoFactorModal } from "./disable-two-factor-modal.tsx";
import { RegenerateRecoveryCodesModal } from "./regenerate-recovery-codes-modal.tsx";

/** The account page's two-factor sign-in: its state, turning it on (QR code, first code, recovery codes) or off. */
export function TwoFactorCard() {
  const status = useQuery(trpc.auth.twoFactor.status.queryOptions());
  const [disabling, setDisabling] = useState(false);
  const [regenerating, setRegenerating] = useState(false);
  // Once enrolment has begun it stays on screen until its recovery codes are saved, though the status turns "on".
  const [enrolling, setEnrolling] = useState(false);
  const enrolment = (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        Besides your password, signing in will take a code from an app on your phone, so a stolen password alone is not
        enough. Your other sessions end when you turn it on.
      </Text>
      <TwoFactorEnrolment onStart={() => setEnrolling(true)} onDone={() => setEnrolling(false)} />
    </Stack>
  );

  return (
    <Paper withBorder p="lg" aria-labelledby="two-factor-title" component="section">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h5" id="two-factor-title">
          Two-factor sign-in
        </Title>
        {status.data?.enabled && (
          <Badge color="teal" variant="light" leftSection={<IconShieldCheck size={12} />}>
            on
          </Badge>
        )}
      </Group>
      {status.isPending ? (
        <Skeleton height={64} />
      ) : status.isError ? (
        <ErrorAlert title="Could not load two-factor sign-in" error={status.error} />
      ) : enrolling ? (
        enrolment
      ) : status.data.enabled ? (
        <Stack gap="sm" align="flex-start">
          <Text size="sm" data-testid="two-factor-state">
            On since {formatDate(status.data.enabledAt)}: signing in takes a code from your authenticator app.{" "}
            {plural(status.data.recoveryCodesLeft, "recovery code")} left.
          </Text>
          <Group gap="sm">
            <Button variant="default" size="xs" onClick={() => setRegenerating(true)}>
              New recovery codes
            </Button>
            {!status.data.required && (
              <Button variant="default" size="xs" color="red" onClick={() => setDisabling(true)}>
                Turn off
              </Button>
            )}
          </Group>
          {status.data.required && (
            <Text size="sm" c="dimmed">
              Your role requires it, so it cannot be turned off.
            </Text>
          )}
          <DisableTwoFactorModal opened={disabling} onClose={() => setDisabling(false)} />
          <RegenerateRecoveryCodesModal opened={regenerating} onClose={() => setRegenerating(false)} />
        </Stack>
      ) : !status.data.available ? (
        <Alert color="gray" variant="light">
          Not available on this server yet: its operator must set ENCRYPTION_KEY first.
        </Alert>
      ) : (
        enrolment
      )}
    </Paper>
  );
}
