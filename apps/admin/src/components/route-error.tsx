import { Button, Stack } from "@mantine/core";
import type { ErrorComponentProps } from "@tanstack/react-router";
import { ErrorAlert } from "./error-alert.tsx";

/** What a route shows when loading it failed (a refused permission is not an error: see `requirePermission`). */
export function RouteError({ error, reset }: ErrorComponentProps) {
  return (
    <Stack>
      <ErrorAlert title="This page could not be loaded" error={error} />
      <Button variant="default" w="fit-content" onClick={reset}>
        Try again
      </Button>
    </Stack>
  );
}
