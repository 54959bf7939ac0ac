import { Button, Stack } from "@mantine/core";
import type { ErrorComponentProps } from "@tanstack/react-router";
import { ForbiddenError } from "../lib/route-guards.ts";
import { ErrorAlert } from "./error-alert.tsx";

/** What a route shows when loading it failed, or when the user may not open it. */
export function RouteError({ error, reset }: ErrorComponentProps) {
  if (error instanceof ForbiddenError) {
    return <ErrorAlert title="You cannot open this page" error={error} />;
  }
  return (
    <Stack>
      <ErrorAlert title="This page could not be loaded" error={error} />
      <Button variant="default" w="fit-content" onClick={reset}>
        Try again
      </Button>
    </Stack>
  );
}
