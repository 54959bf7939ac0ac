import { Group, Paper, SimpleGrid, Skeleton, Text, ThemeIcon } from "@mantine/core";
import { IconFileText, IconMessages, IconPlugConnected, IconUsers } from "@tabler/icons-react";
import type { ComponentType } from "react";
import type { RouterOutputs } from "../../lib/trpc.ts";

type Totals = RouterOutputs["dashboard"]["summary"]["totals"];

const cards: { key: keyof Totals; label: string; color: string; icon: ComponentType<{ size?: number }> }[] = [
  { key: "users", label: "Users", color: "indigo", icon: IconUsers },
  { key: "articles", label: "Articles", color: "teal", icon: IconFileText },
  { key: "comments", label: "Comments", color: "orange", icon: IconMessages },
  { key: "activeSessions", label: "Active sessions", color: "grape", icon: IconPlugConnected },
];

export function StatCards({ totals }: { totals: Totals | undefined }) {
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
      {cards.map(({ key, label, color, icon: Icon }) => (
        <Paper key={key} withBorder p="md">
          <Group justify="space-between" align="flex-start">
            <div>
              <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
                {label}
              </Text>
              {totals ? (
                <Text fz={28} fw={700} data-testid={`total-${key}`}>
                  {totals[key].toLocaleString("en")}
                </Text>
              ) : (
                <Skeleton height={28} width={80} mt={6} />
              )}
            </div>
            <ThemeIcon variant="light" color={color} size="lg" radius="md">
              <Icon size={20} />
            </ThemeIcon>
          </Group>
        </Paper>
      ))}
    </SimpleGrid>
  );
}
