import { Alert, Button, Code, CopyButton, Group, Stack } from "@mantine/core";
import { IconCheck, IconCopy } from "@tabler/icons-react";

/** A signing secret, shown the one time Inkwell shows it, with a copy button. */
export function SecretOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  return (
    <Stack>
      <Alert color="yellow" variant="light" title="Copy the signing secret now">
        This is the only time Inkwell shows it. Give it to the receiver, which checks every delivery's signature with it
        (Standard Webhooks; <Code>verifyWebhook</Code> in <Code>@inkwell/client/webhooks</Code>).
      </Alert>
      <Group wrap="nowrap" gap="xs" align="center">
        <Code block style={{ flex: 1, wordBreak: "break-all" }} data-testid="webhook-secret">
          {secret}
        </Code>
        <CopyButton value={secret}>
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
