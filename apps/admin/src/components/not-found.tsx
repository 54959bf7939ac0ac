import { EmptyState } from "@mantine/core";
import { IconMapQuestion } from "@tabler/icons-react";
import { ButtonLink } from "./router-links.tsx";

export function NotFound() {
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
