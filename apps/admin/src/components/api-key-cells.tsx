import { Badge, Code, Group, Text } from "@mantine/core";

/** A key's name with its public prefix (the secret is never shown again). */
export function ApiKeyName({ apiKey }: { apiKey: { name: string; prefix: string } }) {
  return (
    <>
      <Text size="sm" fw={500}>
        {apiKey.name}
      </Text>
      <Code fz="xs">{apiKey.prefix}…</Code>
    </>
  );
}

export function ScopeBadges({ scopes }: { scopes: readonly string[] }) {
  return (
    <Group gap={4}>
      {scopes.length === 0 ? (
        <Text size="xs" c="dimmed">
          none
        </Text>
      ) : (
        scopes.map((scope) => (
          <Badge key={scope} size="xs" variant="outline" tt="none">
            {scope}
          </Badge>
        ))
      )}
    </Group>
  );
}
