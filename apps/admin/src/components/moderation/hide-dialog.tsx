import { MAX_MODERATION_REASON_LENGTH } from "@inkwell/auth/enums";
import { Button, Group, Stack, Text, Textarea } from "@mantine/core";
import { modals } from "@mantine/modals";
import { useState } from "react";

interface HideFormProps {
  what: string;
  onHide: (reason: string | undefined) => void;
  onCancel: () => void;
}

function HideForm({ what, onHide, onCancel }: HideFormProps) {
  const [reason, setReason] = useState("");
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        onHide(reason.trim() || undefined);
      }}
    >
      <Stack gap="sm">
        <Text size="sm">
          Readers stop seeing {what}. You can undo this from the message that follows, or restore later.
        </Text>
        <Textarea
          label="Reason (optional)"
          description="Other moderators see it on what you hid."
          autosize
          minRows={2}
          maxRows={6}
          maxLength={MAX_MODERATION_REASON_LENGTH}
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
          data-autofocus
          rightSection={
            <Text size="xs" c="dimmed" pr="xs" aria-hidden>
              {reason.length}/{MAX_MODERATION_REASON_LENGTH}
            </Text>
          }
          rightSectionWidth={72}
        />
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" color="orange">
            Hide
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Asks for an optional reason before hiding; `what` names it ("2 articles", "this comment"). */
export function openHideDialog({ what, onHide }: { what: string; onHide: (reason: string | undefined) => void }) {
  const id = modals.open({
    title: `Hide ${what}?`,
    children: (
      <HideForm
        what={what}
        onCancel={() => modals.close(id)}
        onHide={(reason) => {
          modals.close(id);
          onHide(reason);
        }}
      />
    ),
  });
}
