import { Group, Indicator, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { errorMessage } from "../lib/error-message.ts";
import { trpc } from "../lib/trpc.ts";

/** Server version and database health, for operators (`system.status` needs `dashboard:read`). */
export function ServerStatus() {
  const status = useQuery(trpc.system.status.queryOptions(undefined, { staleTime: 60_000 }));
  if (status.isPending) {
    return (
      <Text size="xs" c="dimmed" aria-busy="true">
        Checking the server…
      </Text>
    );
  }
  if (status.isError) {
    return (
      <Text size="xs" c="red" role="status">
        Server status unavailable: {errorMessage(status.error)}
      </Text>
    );
  }
  const { version, database } = status.data;
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Indicator color={database.reachable ? "teal" : "red"} size={8} mt={6} processing={!database.reachable}>
        <span />
      </Indicator>
      <Text size="xs" c="dimmed" component="div">
        Server <span data-testid="server-version">{version}</span>
        <br />
        Database{" "}
        <span data-testid="database-status">
          {database.reachable
            ? `reachable (${database.latencyMs} ms), migrations ${database.migrations.applied}/${database.migrations.expected} applied`
            : `unreachable: ${database.error}`}
        </span>
      </Text>
    </Group>
  );
}
