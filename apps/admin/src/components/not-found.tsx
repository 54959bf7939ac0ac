import { EmptyState } from "@mantine/core";
import { IconMapQuestion } from "@tabler/icons-react";
import { lazy, Suspense } from "react";
import { isForbiddenPage } from "../lib/route-guards.ts";
import { ButtonLink } from "./router-links.tsx";

// Its own chunk: it reads the signed-in user (React Query's hooks), which the first page load does not need.
const Forbidden = lazy(() => import("./forbidden.tsx").then((module) => ({ default: module.Forbidden })));

/** An address that matches no page, a record that is gone, or (carried by the same signal) a page the role may not open. */
export function NotFound({ data }: { data?: unknown }) {
  if (isForbiddenPage(data)) {
    return (
      <Suspense>
        <Forbidden permission={data.forbidden} />
      </Suspense>
    );
  }
  return (
    <EmptyState
      mt="xl"
      icon={<IconMapQuestion />}
      title="Nothing here"
      description="This page does not exist, or what it showed has been deleted."
    >
      <ButtonLink to="/" variant="light" mt="md">
        Go home
      </ButtonLink>
    </EmptyState>
  );
}
