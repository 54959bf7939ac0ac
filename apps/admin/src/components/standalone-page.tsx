import { Box, Center, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { IconFeather } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { ColorSchemeToggle } from "./color-scheme-toggle.tsx";

interface StandalonePageProps {
  title: string;
  description: ReactNode;
  children: ReactNode;
}

/** A page outside the app shell (sign-in, a required password change): one card in the middle of the screen. */
export function StandalonePage({ title, description, children }: StandalonePageProps) {
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
        <Paper withBorder shadow="sm" p="xl" component="main">
          <Stack gap="xs" mb="md">
            <Title order={2} size="h4">
              {title}
            </Title>
            <Text size="sm" c="dimmed">
              {description}
            </Text>
          </Stack>
          {children}
        </Paper>
      </Box>
    </Center>
  );
}
