import { Button, Group, Modal, Paper, Skeleton, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { startRegistration, WebAuthnError } from "@simplewebauthn/browser";
import { IconFingerprint, IconPlus } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { confirmAction } from "../../components/confirm.tsx";
import { DateText } from "../../components/date-text.tsx";
import { ErrorAlert } from "../../components/error-alert.tsx";
import { notifyError, notifySuccess } from "../../lib/notify.tsx";
import { trpc } from "../../lib/trpc.ts";

/** A passkey prompt the person closed is no failure worth a red notification. */
function closedPrompt(error: unknown): boolean {
  return (
    (error instanceof WebAuthnError && error.code === "ERROR_CEREMONY_ABORTED") ||
    (error instanceof Error && error.name === "NotAllowedError")
  );
}

/** The signed-in user's passkeys: add one (the browser's prompt), rename, remove. */
export function PasskeysCard() {
  const queryClient = useQueryClient();
  const passkeys = useQuery(trpc.auth.passkeys.list.queryOptions());
  const listKey = trpc.auth.passkeys.list.queryKey();
  const [name, setName] = useState("");
  const [renaming, setRenaming] = useState<{ id: number; name: string } | null>(null);

  const options = useMutation(trpc.auth.passkeys.registrationOptions.mutationOptions());
  const register = useMutation(trpc.auth.passkeys.register.mutationOptions());
  const rename = useMutation(
    trpc.auth.passkeys.rename.mutationOptions({
      onSuccess: () => setRenaming(null),
      onSettled: () => queryClient.invalidateQueries({ queryKey: listKey }),
    }),
  );
  const remove = useMutation(
    trpc.auth.passkeys.remove.mutationOptions({
      onError: (error) => notifyError(error, "Could not remove the passkey"),
      onSuccess: () => notifySuccess("It no longer signs you in.", "Passkey removed"),
      onSettled: () => queryClient.invalidateQueries({ queryKey: listKey }),
    }),
  );

  async function add(event: FormEvent) {
    event.preventDefault();
    try {
      const optionsJSON = await options.mutateAsync();
      const response = await startRegistration({ optionsJSON });
      const created = await register.mutateAsync({ response, name: name.trim() || "Passkey" });
      setName("");
      notifySuccess(`“${created.name}” signs you in now.`, "Passkey added");
    } catch (error) {
      if (!closedPrompt(error)) notifyError(error, "Could not add the passkey");
    } finally {
      await queryClient.invalidateQueries({ queryKey: listKey });
    }
  }

  function submitRename(event: FormEvent) {
    event.preventDefault();
    if (renaming) rename.mutate({ id: renaming.id, name: renaming.name });
  }

  return (
    <Paper withBorder p="lg">
      <Title order={3} size="h5">
        Passkeys
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Sign in with your device's screen lock or a security key instead of a password. A passkey counts as two-factor
        sign-in.
      </Text>
      <form onSubmit={add} aria-label="Add a passkey">
        <Group align="flex-end" mb="md">
          <TextInput
            label="Name for the new passkey"
            placeholder="e.g. Work laptop"
            maxLength={60}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
          />
          <Button type="submit" leftSection={<IconPlus size={14} />} loading={options.isPending || register.isPending}>
            Add a passkey
          </Button>
        </Group>
      </form>
      {passkeys.isPending ? (
        <Skeleton height={64} />
      ) : passkeys.isError ? (
        <ErrorAlert title="Could not load your passkeys" error={passkeys.error} />
      ) : passkeys.data.length === 0 ? (
        <Group gap="xs" c="dimmed" py="sm">
          <IconFingerprint size={18} />
          <Text size="sm">No passkeys yet.</Text>
        </Group>
      ) : (
        <Table aria-label="My passkeys" fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Added</Table.Th>
              <Table.Th>Last used</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {passkeys.data.map((passkey) => (
              <Table.Tr key={passkey.id}>
                <Table.Td>{passkey.name}</Table.Td>
                <Table.Td>
                  <DateText date={passkey.createdAt} />
                </Table.Td>
                <Table.Td>
                  <DateText date={passkey.lastUsedAt} empty="never" />
                </Table.Td>
                <Table.Td ta="right">
                  <Button
                    size="xs"
                    variant="subtle"
                    aria-label={`Rename ${passkey.name}`}
                    onClick={() => setRenaming({ id: passkey.id, name: passkey.name })}
                  >
                    Rename
                  </Button>
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    aria-label={`Remove ${passkey.name}`}
                    onClick={() =>
                      confirmAction({
                        title: `Remove “${passkey.name}”?`,
                        message: "It will no longer sign you in. Your password and other passkeys still work.",
                        confirmLabel: "Remove passkey",
                        onConfirm: () => remove.mutate({ id: passkey.id }),
                      })
                    }
                  >
                    Remove
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Modal opened={renaming !== null} onClose={() => setRenaming(null)} title="Rename passkey">
        <form onSubmit={submitRename} aria-label="Rename passkey">
          <Stack>
            <TextInput
              label="Name"
              maxLength={60}
              data-autofocus
              value={renaming?.name ?? ""}
              onChange={(event) => {
                const value = event.currentTarget.value;
                setRenaming((current) => current && { ...current, name: value });
              }}
              error={rename.error?.message}
            />
            <Button type="submit" loading={rename.isPending}>
              Save
            </Button>
          </Stack>
        </form>
      </Modal>
    </Paper>
  );
}
