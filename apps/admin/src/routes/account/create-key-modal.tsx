import "@mantine/dates/styles.css";
import { permissionDescriptions } from "@inkwell/auth/permissions";
import { inkwellErrorDetails } from "@inkwell/client/errors";
import { Alert, Button, Checkbox, Group, Modal, SimpleGrid, Stack, TextInput } from "@mantine/core";
import { DateTimePicker } from "@mantine/dates";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import dayjs from "dayjs";
import { type FormEvent, useState } from "react";
import { ShownOnce } from "../../components/shown-once.tsx";
import { errorMessage } from "../../lib/error-message.ts";
import { notifySuccess } from "../../lib/notify.tsx";
import { useMe } from "../../lib/permissions.ts";
import { trpc } from "../../lib/trpc.ts";

/** Create a key; its secret is shown once, here, with a copy button. */
export function CreateKeyModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Create API key" size="lg">
      {opened && <CreateKeyForm onClose={onClose} />}
    </Modal>
  );
}

function CreateKeyForm({ onClose }: { onClose: () => void }) {
  const { permissions } = useMe();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<string[]>([]);
  const [expiresAt, setExpiresAt] = useState<string | null>(null);
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: (key) => notifySuccess(`“${key.name}” created. Copy it now: it is not shown again.`),
      onSettled: () => queryClient.invalidateQueries(trpc.apiKeys.list.queryFilter()),
    }),
  );

  if (create.data) {
    return (
      <ShownOnce title="Copy your key now" value={create.data.key} testId="new-api-key" onDone={onClose}>
        This is the only time Inkwell shows it. Store it like a password.
      </ShownOnce>
    );
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({
      name,
      scopes: permissions.filter((permission) => scopes.includes(permission)),
      expiresAt: expiresAt ? dayjs(expiresAt).toDate() : null,
    });
  }

  const { fieldErrors } = inkwellErrorDetails(create.error);
  const nameError = fieldErrors.name?.[0];
  const scopesError = fieldErrors.scopes?.[0];
  const expiresError = fieldErrors.expiresAt?.[0];
  const otherError = create.error && !nameError && !scopesError && !expiresError;
  return (
    <form onSubmit={submit}>
      <Stack>
        <TextInput
          label="Name"
          description="What uses it, so you know what breaks if you revoke it."
          placeholder="e.g. nightly export"
          required
          data-autofocus
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={nameError}
          maxLength={100}
        />
        <Checkbox.Group
          label="Scopes"
          description="A key can do only what you chose here, and only while your role allows it."
          value={scopes}
          onChange={setScopes}
          error={scopesError}
        >
          <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs" spacing="xs">
            {permissions.map((permission) => (
              <Checkbox
                key={permission}
                value={permission}
                label={permission}
                description={permissionDescriptions[permission]}
              />
            ))}
          </SimpleGrid>
        </Checkbox.Group>
        <DateTimePicker
          label="Expires"
          description="Leave empty for a key that lasts until revoked (at most a year if set)."
          placeholder="Never"
          clearable
          valueFormat="YYYY-MM-DD HH:mm"
          minDate={dayjs().format("YYYY-MM-DD HH:mm:ss")}
          maxDate={dayjs().add(1, "year").format("YYYY-MM-DD HH:mm:ss")}
          value={expiresAt}
          onChange={setExpiresAt}
          error={expiresError}
        />
        {otherError && (
          <Alert color="red" variant="light">
            {errorMessage(create.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create key
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
