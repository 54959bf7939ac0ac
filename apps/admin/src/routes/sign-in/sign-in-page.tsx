import { Box, Center, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { IconFeather } from "@tabler/icons-react";
import { createLazyRoute } from "@tanstack/react-router";
import { ColorSchemeToggle } from "../../components/color-scheme-toggle.tsx";
import { SignInForm } from "./sign-in-form.tsx";

export const Route = createLazyRoute("/sign-in")({ component: SignInPage });

function SignInPage() {
  return (
    <Center mih="100vh" p="md" bg="var(--mantine-color-body)">
      <Box w="100%" maw={420}>
        <Group justify="space-between" mb="lg">
          <Group gap="xs">
            <IconFeather size={28} color="var(--mantine-primary-color-filled)" aria-hidden />
            <Title order={1} size="h3">
              Inkwell admin
            </Title>
          </Group>
          <ColorSchemeToggle />
        </Group>
        <Paper withBorder shadow="sm" p="xl">
          <Stack gap="xs" mb="md">
            <Title order={2} size="h4">
              Sign in
            </Title>
            <Text size="sm" c="dimmed">
              Operators and moderators manage Inkwell here.
            </Text>
          </Stack>
          <SignInForm />
        </Paper>
      </Box>
    </Center>
  );
}
