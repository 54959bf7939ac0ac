import { Skeleton, Stack } from "@mantine/core";

/** Shown while a page's code loads. */
export function PageSkeleton() {
  return (
    <Stack gap="md" aria-busy="true" aria-label="Loading">
      <Skeleton height={32} width="40%" />
      <Skeleton height={16} width="60%" />
      <Skeleton height={240} />
    </Stack>
  );
}
