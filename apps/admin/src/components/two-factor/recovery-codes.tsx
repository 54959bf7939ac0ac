import { Alert, Button, Checkbox, CopyButton, Group, List, Stack, Text } from "@mantine/core";
import { IconCheck, IconCopy, IconDownload, IconKey } from "@tabler/icons-react";
import { useState } from "react";

interface RecoveryCodesProps {
  codes: string[];
  onSaved: () => Promise<void> | void;
}

/** Recovery codes, shown once: copy or download them, then confirm they are kept somewhere safe. */
export function RecoveryCodes({ codes, onSaved }: RecoveryCodesProps) {
  const [saved, setSaved] = useState(false);
  const [finishing, setFinishing] = useState(false);
  const text = `${codes.join("\n")}\n`;

  function download() {
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = "inkwell-recovery-codes.txt";
    link.click();
    URL.revokeObjectURL(url);
  }

  return (
    <Stack gap="md">
      <Alert color="teal" variant="light" icon={<IconKey />} title="Save your recovery codes">
        Each code signs you in once if you lose your authenticator app. They are shown only now; Inkwell keeps only a
        fingerprint of each.
      </Alert>
      <List
        aria-label="Recovery codes"
        data-testid="recovery-codes"
        listStyleType="none"
        ff="monospace"
        fz="md"
        spacing={2}
        style={{ columns: 2 }}
      >
        {codes.map((code) => (
          <List.Item key={code}>{code}</List.Item>
        ))}
      </List>
      <Group gap="sm">
        <CopyButton value={text}>
          {({ copied, copy }) => (
            <Button
              variant="default"
              size="xs"
              leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
              onClick={copy}
            >
              {copied ? "Copied" : "Copy"}
            </Button>
          )}
        </CopyButton>
        <Button variant="default" size="xs" leftSection={<IconDownload size={14} />} onClick={download}>
          Download
        </Button>
      </Group>
      <Checkbox
        label="I have saved these codes somewhere safe"
        checked={saved}
        onChange={(event) => setSaved(event.currentTarget.checked)}
      />
      <Text size="xs" c="dimmed">
        Lost your app and these codes? An administrator can reset two-factor sign-in once they have checked who you are.
      </Text>
      <Button
        w="fit-content"
        disabled={!saved}
        loading={finishing}
        onClick={async () => {
          setFinishing(true);
          try {
            await onSaved();
          } finally {
            setFinishing(false);
          }
        }}
      >
        Done
      </Button>
    </Stack>
  );
}
