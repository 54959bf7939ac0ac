import { Paper, Text, Title } from "@mantine/core";
import { ChangePasswordForm } from "./change-password-form.tsx";

/** The account page's password form. */
export function ChangePasswordCard() {
  return (
    <Paper withBorder p="lg" h="100%">
      <Title order={3} size="h5">
        Change password
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        Your other sessions end; this one stays.
      </Text>
      <ChangePasswordForm />
    </Paper>
  );
}
