import { Alert, Button } from "@mantine/core";
import { IconAlertCircle } from "@tabler/icons-react";
import { errorMessage } from "../lib/error-message.ts";

interface ErrorAlertProps {
  error: unknown;
  title?: string;
  /** Shows a "Try again" button. */
  onRetry?: () => void;
}

/** An error as the server explained it. */
export function ErrorAlert({ error, title = "Something went wrong", onRetry }: ErrorAlertProps) {
  return (
    <Alert color="red" variant="light" title={title} icon={<IconAlertCircle />}>
      {errorMessage(error)}
      {onRetry && (
        <Button display="block" mt="sm" size="xs" variant="light" color="red" onClick={onRetry}>
          Try again
        </Button>
      )}
    </Alert>
  );
}
