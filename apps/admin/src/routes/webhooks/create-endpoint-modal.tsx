import { webhookEventTypes } from "@inkwell/auth/enums";
import { inkwellErrorDetails } from "@inkwell/client/errors";
import { Alert, Button, Checkbox, Group, Modal, SimpleGrid, Stack, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { errorMessage } from "../../lib/error-message.ts";
import { notifySuccess } from "../../lib/notify.tsx";
import { trpc } from "../../lib/trpc.ts";
import { SecretOnce } from "./secret-once.tsx";

/** Registers an endpoint; its signing secret is shown once, here. */
export function CreateEndpointModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Add webhook endpoint" size="lg">
      {opened && <CreateEndpointForm onClose={onClose} />}
    </Modal>
  );
}

function CreateEndpointForm({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState<string[]>([]);
  const create = useMutation(
    trpc.webhooks.create.mutationOptions({
      onSuccess: ({ endpoint }) => notifySuccess(`Endpoint ${endpoint.url} added. Copy its secret now.`),
      onSettled: () => queryClient.invalidateQueries(trpc.webhooks.list.queryFilter()),
    }),
  );
  if (create.data) return <SecretOnce secret={create.data.secret} onDone={onClose} />;

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ url, events: webhookEventTypes.filter((type) => events.includes(type)) });
  }
  const { fieldErrors } = inkwellErrorDetails(create.error);
  const urlError = fieldErrors.url?.[0];
  const eventsError = fieldErrors.events?.[0];
  return (
    <form onSubmit={submit}>
      <Stack>
        <TextInput
          label="URL"
          description="Where Inkwell POSTs each event (http or https). Private and loopback addresses are refused unless WEBHOOK_ALLOWED_HOSTS allows them."
          placeholder="https://hooks.example.com/inkwell"
          required
          data-autofocus
          value={url}
          onChange={(event) => setUrl(event.currentTarget.value)}
          error={urlError}
          maxLength={2048}
        />
        <Checkbox.Group label="Events" value={events} onChange={setEvents} error={eventsError} required>
          <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs" spacing="xs">
            {webhookEventTypes.map((type) => (
              <Checkbox key={type} value={type} label={type} />
            ))}
          </SimpleGrid>
        </Checkbox.Group>
        {create.error && !urlError && !eventsError && (
          <Alert color="red" variant="light">
            {errorMessage(create.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Add endpoint
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
