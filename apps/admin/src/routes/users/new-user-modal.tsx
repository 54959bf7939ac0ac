import { roles } from "@inkwell/auth/permissions";
import { inkwellErrorDetails } from "@inkwell/client/errors";
import { Alert, Button, Group, Modal, PasswordInput, Radio, Select, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { errorMessage } from "../../lib/error-message.ts";
import { capitalize } from "../../lib/format.ts";
import { notifySuccess } from "../../lib/notify.tsx";
import { trpc } from "../../lib/trpc.ts";

type Mode = "invite" | "password";
type Role = (typeof roles)[number];

/**
 * Creates a user: by invitation (an email with a link to choose a password,
 * the default: the operator never knows it) or with a password the operator
 * sets and passes on. Opens the new user's page when done.
 */
export function NewUserModal({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [mode, setMode] = useState<Mode>("invite");
  const [username, setUsername] = useState("");
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("user");
  const [password, setPassword] = useState("");
  const options = {
    onSuccess: (created: { id: number; username: string; email: string; invited: boolean }) => {
      notifySuccess(
        created.invited
          ? `An invitation to choose a password went to ${created.email}.`
          : `${created.username} can sign in with the password you set.`,
        `${created.username} is created`,
      );
      onClose();
      void navigate({ to: "/users/$userId", params: { userId: created.id } });
    },
    onSettled: () => queryClient.invalidateQueries(trpc.users.pathFilter()),
  };
  const invite = useMutation(trpc.users.invite.mutationOptions(options));
  const create = useMutation(trpc.users.create.mutationOptions(options));
  const mutation = mode === "invite" ? invite : create;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (mode === "invite") invite.mutate({ username, email, role });
    else create.mutate({ username, email, role, password });
  }

  const { fieldErrors } = inkwellErrorDetails(mutation.error);
  const fieldError = (name: string) => fieldErrors[name]?.[0];
  const formError = mutation.error && !["username", "email", "password"].some(fieldError) ? mutation.error : null;

  return (
    <Modal opened onClose={onClose} title="New user">
      <form onSubmit={submit} aria-label="New user" noValidate>
        <Stack gap="sm">
          <Radio.Group label="How they get in" value={mode} onChange={(value) => setMode(value as Mode)}>
            <Group gap="lg" mt={4}>
              <Radio value="invite" label="Invite by email" />
              <Radio value="password" label="Set a password" />
            </Group>
          </Radio.Group>
          <Text size="sm" c="dimmed">
            {mode === "invite"
              ? "They get an email with a link to choose their password; it works for 7 days, once."
              : "Pass the password on to them safely; they can change it on their account page."}
          </Text>
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
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            error={fieldError("email")}
          />
          <Select
            label="Role"
            allowDeselect={false}
            data={roles.map((value) => ({ value, label: capitalize(value) }))}
            value={role}
            onChange={(value) => value && setRole(value as Role)}
          />
          {mode === "password" && (
            <PasswordInput
              label="Password"
              required
              autoComplete="new-password"
              description="At least 8 characters."
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
              error={fieldError("password")}
            />
          )}
          {formError && (
            <Alert color="red" variant="light">
              {errorMessage(formError)}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {mode === "invite" ? "Send invitation" : "Create user"}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
