import { inkwellErrorDetails } from "@inkwell/client/errors";
import { Alert, Button, Group, Modal, MultiSelect, Select, Stack, Text } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { errorMessage } from "../../lib/error-message.ts";
import { plural } from "../../lib/format.ts";
import { notifySuccess } from "../../lib/notify.tsx";
import { trpc } from "../../lib/trpc.ts";
import type { TagRow } from "./tags-columns.tsx";

interface MergeTagsModalProps {
  opened: boolean;
  tags: TagRow[];
  /** Preselected sources (the table's selection). */
  initialSourceIds: number[];
  onClose: () => void;
  onMerged: () => void;
}

/** Folds duplicates ("js", "JS") into one tag: pick the sources, then the tag they become. */
export function MergeTagsModal({ opened, tags, initialSourceIds, onClose, onMerged }: MergeTagsModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title="Merge tags" size="lg">
      {opened && (
        <MergeTagsForm tags={tags} initialSourceIds={initialSourceIds} onClose={onClose} onMerged={onMerged} />
      )}
    </Modal>
  );
}

function MergeTagsForm({ tags, initialSourceIds, onClose, onMerged }: Omit<MergeTagsModalProps, "opened">) {
  const queryClient = useQueryClient();
  const [sources, setSources] = useState(initialSourceIds.map(String));
  const [target, setTarget] = useState<string | null>(null);
  const options = tags.map((tag) => ({ value: String(tag.id), label: `${tag.name} (${tag.articleCount})` }));
  const merge = useMutation(
    trpc.tags.merge.mutationOptions({
      onSuccess: ({ target, merged, articlesRetagged }) => {
        notifySuccess(
          `${plural(merged, "tag")} merged into “${target.name}”; ${plural(articlesRetagged, "article")} retagged.`,
        );
        onMerged();
        onClose();
      },
      onSettled: () => queryClient.invalidateQueries(trpc.tags.list.queryFilter()),
    }),
  );
  const { fieldErrors } = inkwellErrorDetails(merge.error);
  const sourcesError = fieldErrors.sourceIds?.[0];
  const targetError = fieldErrors.targetId?.[0];

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!target) return;
    merge.mutate({ sourceIds: sources.map(Number), targetId: Number(target) });
  }

  return (
    <form onSubmit={submit}>
      <Stack>
        <Text size="sm" c="dimmed">
          Articles carrying a source tag get the target tag instead; the source tags are deleted.
        </Text>
        <MultiSelect
          label="Merge these tags"
          placeholder="Pick tags"
          searchable
          required
          data={options.filter((option) => option.value !== target)}
          value={sources}
          onChange={setSources}
          error={sourcesError}
          maxValues={50}
        />
        <Select
          label="Into this tag"
          placeholder="Pick the tag to keep"
          searchable
          required
          data={options.filter((option) => !sources.includes(option.value))}
          value={target}
          onChange={setTarget}
          error={targetError}
        />
        {merge.error && !sourcesError && !targetError && (
          <Alert color="red" variant="light">
            {errorMessage(merge.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={merge.isPending} disabled={sources.length === 0 || !target}>
            Merge {sources.length > 0 ? plural(sources.length, "tag") : ""}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
