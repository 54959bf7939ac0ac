import { inkwellErrorDetails } from "@inkwell/client/errors";
import { Alert, Button, Group, Modal, Stack, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { errorMessage } from "../../lib/error-message.ts";
import { notifySuccess } from "../../lib/notify.tsx";
import { trpc } from "../../lib/trpc.ts";
import type { TagRow } from "./tags-columns.tsx";

/** Rename one tag; a taken name is reported next to the field. */
export function RenameTagModal({ tag, onClose }: { tag: TagRow | null; onClose: () => void }) {
  return (
    <Modal opened={tag !== null} onClose={onClose} title={tag ? `Rename “${tag.name}”` : "Rename"}>
      {tag && <RenameTagForm key={tag.id} tag={tag} onClose={onClose} />}
    </Modal>
  );
}

function RenameTagForm({ tag, onClose }: { tag: TagRow; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(tag.name);
  const rename = useMutation(
    trpc.tags.rename.mutationOptions({
      onSuccess: (renamed) => {
        notifySuccess(`“${tag.name}” is now “${renamed.name}”.`);
        onClose();
      },
      onSettled: () => queryClient.invalidateQueries(trpc.tags.list.queryFilter()),
    }),
  );
  const { fieldErrors } = inkwellErrorDetails(rename.error);
  const nameError = fieldErrors.name?.[0];

  function submit(event: FormEvent) {
    event.preventDefault();
    rename.mutate({ id: tag.id, name });
  }

  return (
    <form onSubmit={submit}>
      <Stack>
        <TextInput
          label="New name"
          required
          data-autofocus
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={nameError}
          maxLength={40}
        />
        {rename.error && !nameError && (
          <Alert color="red" variant="light">
            {errorMessage(rename.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={rename.isPending} disabled={name.trim() === tag.name}>
            Rename
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
