import { notifications } from "@mantine/notifications";
import { IconAlertTriangle, IconCheck } from "@tabler/icons-react";
import { errorMessage } from "./error-message.ts";

export function notifySuccess(message: string, title?: string): void {
  notifications.show({ color: "teal", title, message, icon: <IconCheck size={18} />, autoClose: 4000 });
}

export function notifyError(error: unknown, title = "That did not work"): void {
  notifications.show({
    color: "red",
    title,
    message: errorMessage(error),
    icon: <IconAlertTriangle size={18} />,
    autoClose: 8000,
  });
}
