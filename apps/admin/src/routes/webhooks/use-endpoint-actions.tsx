import { Modal } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { confirmAction } from "../../components/confirm.tsx";
import { notifyError, notifySuccess } from "../../lib/notify.tsx";
import { trpc } from "../../lib/trpc.ts";
import type { WebhookEndpoint } from "./endpoint-columns.tsx";
import { SecretOnce } from "./secret-once.tsx";

/**
 * Enable/disable, rotate the secret (asks, then shows the new one once) and
 * delete (asks): what the endpoints table's buttons do. `secretModal` renders
 * the rotated secret.
 */
export function useEndpointActions(onDeleted: (id: number) => void) {
  const queryClient = useQueryClient();
  const [rotated, setRotated] = useState<{ url: string; secret: string } | null>(null);
  const refresh = () => queryClient.invalidateQueries(trpc.webhooks.list.queryFilter());
  const update = useMutation(
    trpc.webhooks.update.mutationOptions({
      onError: (error) => notifyError(error, "Could not change the endpoint"),
      onSuccess: (endpoint) => notifySuccess(`${endpoint.url} is ${endpoint.enabled ? "enabled" : "disabled"}.`),
      onSettled: refresh,
    }),
  );
  const rotate = useMutation(
    trpc.webhooks.rotateSecret.mutationOptions({
      onError: (error) => notifyError(error, "Could not rotate the secret"),
      onSettled: refresh,
    }),
  );
  const remove = useMutation(
    trpc.webhooks.delete.mutationOptions({
      onError: (error) => notifyError(error, "Could not delete the endpoint"),
      onSuccess: ({ deleted }) => {
        notifySuccess("Endpoint deleted.");
        onDeleted(deleted);
      },
      onSettled: refresh,
    }),
  );

  const { mutate: updateEndpoint } = update;
  const { mutate: rotateSecret } = rotate;
  const { mutate: deleteEndpoint } = remove;
  const actions = useMemo(
    () => ({
      setEnabled: (endpoint: WebhookEndpoint, enabled: boolean) => updateEndpoint({ id: endpoint.id, enabled }),
      rotateSecret: (endpoint: WebhookEndpoint) =>
        confirmAction({
          title: "Rotate the signing secret?",
          message: `Deliveries to ${endpoint.url} are signed with a new secret from now on; the receiver must switch to it, or it will refuse them.`,
          confirmLabel: "Rotate secret",
          onConfirm: () =>
            rotateSecret({ id: endpoint.id }, { onSuccess: ({ secret }) => setRotated({ url: endpoint.url, secret }) }),
        }),
      remove: (endpoint: WebhookEndpoint) =>
        confirmAction({
          title: "Delete this endpoint?",
          message: `${endpoint.url} receives nothing more, and its deliveries and their attempts are deleted with it.`,
          confirmLabel: "Delete endpoint",
          onConfirm: () => deleteEndpoint({ id: endpoint.id }),
        }),
    }),
    [updateEndpoint, rotateSecret, deleteEndpoint],
  );
  return {
    actions,
    secretModal: (
      <Modal
        opened={rotated !== null}
        onClose={() => setRotated(null)}
        title={`New secret for ${rotated?.url ?? ""}`}
        size="lg"
      >
        {rotated && <SecretOnce secret={rotated.secret} onDone={() => setRotated(null)} />}
      </Modal>
    ),
  };
}
