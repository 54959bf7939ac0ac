import { inkwellErrorDetails } from "@inkwell/client/errors";
import { Alert, Button, Group, Modal, Stack, Textarea, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { errorMessage } from "../../lib/error-message.ts";
import { notifySuccess } from "../../lib/notify.tsx";
import { trpc } from "../../lib/trpc.ts";

interface EditUserModalProps {
  user: { id: number; username: string; email: string; bio: string | null };
  onClose: () => void;
}

/**
 * Edits a user's username, email and bio. Only changed fields are sent, so an
 * edit made meanwhile by someone else to another field is kept; a taken name
 * or address shows under its field.
 */
export function EditUserModal({ user, onClose }: EditUserModalProps) {
  const queryClient = useQueryClient();
  const [username, setUsername] = useState(user.username);
  const [email, setEmail] = useState(user.email);
  const [bio, setBio] = useState(user.bio ?? "");
  const update = useMutation(
    trpc.users.update.mutationOptions({
      onSuccess: (edited) => {
        const fields = Object.keys(edited.after);
        notifySuccess(
          fields.length === 0 ? "Nothing changed." : `Changed ${fields.join(", ")}.`,
          `${edited.username} is saved`,
        );
        onClose();
      },
      onSettled: () => queryClient.invalidateQueries(trpc.users.pathFilter()),
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    update.mutate({
      userId: user.id,
      username: username.trim() !== user.username ? username : undefined,
      email: email.trim() !== user.email ? email : undefined,
      bio: bio !== (user.bio ?? "") ? bio : undefined,
    });
  }

  const { fieldErrors } = inkwellErrorDetails(update.error);
  const fieldError = (name: string) => fieldErrors[name]?.[0];
  const formError = update.error && !["username", "email", "bio"].some(fieldError) ? update.error : null;

  return (
    <Modal opened onClose={onClose} title={`Edit ${user.username}`}>
      <form onSubmit={submit} aria-label="Edit user" noValidate>
        <Stack gap="sm">
          <TextInput
            label="Username"
            required
            data-autofocus
            maxLength={40}
            value={username}
            onChange={(event) => setUsername(event.currentTarget.value)}
            error={fieldError("username")}
          />
          <TextInput
            label="Email"
            type="email"
            required
            maxLength={254}
            description="A new address is unverified until they open a link sent to it."
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            error={fieldError("email")}
          />
          <Textarea
            label="Bio"
            autosize
            minRows={2}
            maxRows={8}
            maxLength={1000}
            value={bio}
            onChange={(event) => setBio(event.currentTarget.value)}
            error={fieldError("bio")}
          />
          {formError && (
            <Alert color="red" variant="light">
              {errorMessage(formError)}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={update.isPending}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
