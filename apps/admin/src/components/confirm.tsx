import { Text } from "@mantine/core";
import { modals } from "@mantine/modals";
import type { ReactNode } from "react";

interface ConfirmOptions {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  /** Red confirm button, for what cannot be undone. @default true */
  danger?: boolean;
  onConfirm: () => void;
}

/** Asks before doing something destructive; focus starts on Cancel. */
export function confirmAction({ title, message, confirmLabel, danger = true, onConfirm }: ConfirmOptions): void {
  modals.openConfirmModal({
    title,
    children: typeof message === "string" ? <Text size="sm">{message}</Text> : message,
    labels: { confirm: confirmLabel, cancel: "Cancel" },
    confirmProps: { color: danger ? "red" : undefined },
    cancelProps: { "data-autofocus": true },
    onConfirm,
  });
}
