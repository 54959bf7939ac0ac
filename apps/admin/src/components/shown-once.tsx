import { Alert, Button, Code, CopyButton, Group, Stack } from "@mantine/core";
import { IconCheck, IconCopy } from "@tabler/icons-react";
import type { ReactNode } from "react";

/** A secret (an API key, a signing secret) shown the one time Inkwell shows it, with a copy button. */
export function ShownOnce({
  title,
  children,
  value,
  testId,
  onDone,
}: {
  title: string;
  /** What to do with it. */
  children: ReactNode;
  value: string;
  testId: string;
  onDone: () => void;
}) {
  return (
    <Stack>
      <Alert color="yellow" variant="light" title={title}>
        {children}
      </Alert>
      <Group wrap="nowrap" gap="xs" align="center">
        <Code block style={{ flex: 1, wordBreak: "break-all" }} data-testid={testId}>
          {value}
        </Code>
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Button
              color={copied ? "teal" : undefined}
              leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              onClick={copy}
              variant="light"
            >
              {copied ? "Copied" : "Copy"}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Group justify="flex-end">
        <Button onClick={onDone}>Done</Button>
      </Group>
    </Stack>
  );
}
