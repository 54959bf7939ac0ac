import type { ModerationState } from "@inkwell/auth/enums";
import { Button, Group } from "@mantine/core";
import { modals } from "@mantine/modals";
import { IconEye, IconEyeOff, IconTrash } from "@tabler/icons-react";

export interface PreviewActionHandlers {
  hide: (ids: number[], what: string) => void;
  restore: (ids: number[]) => void;
  remove: (ids: number[], what: string, onDeleted?: () => void) => void;
  pending: boolean;
}

interface PreviewActionsProps {
  id: number;
  /** Names it in the dialogs: `"Title"`, "this comment". */
  what: string;
  state: ModerationState;
  actions: PreviewActionHandlers;
}

/** Hide or restore, and delete, from a preview; deleting closes the preview. */
export function PreviewActions({ id, what, state, actions }: PreviewActionsProps) {
  return (
    <Group gap="xs" role="group" aria-label="Moderate">
      {state === "visible" ? (
        <Button
          size="xs"
          variant="default"
          leftSection={<IconEyeOff size={14} />}
          disabled={actions.pending}
          onClick={() => actions.hide([id], what)}
        >
          Hide
        </Button>
      ) : (
        <Button
          size="xs"
          variant="default"
          leftSection={<IconEye size={14} />}
          disabled={actions.pending}
          onClick={() => actions.restore([id])}
        >
          Restore
        </Button>
      )}
      <Button
        size="xs"
        color="red"
        variant="light"
        leftSection={<IconTrash size={14} />}
        disabled={actions.pending}
        onClick={() => actions.remove([id], what, () => modals.closeAll())}
      >
        Delete
      </Button>
    </Group>
  );
}
