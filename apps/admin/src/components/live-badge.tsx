import { Badge, Tooltip } from "@mantine/core";

/** The state of a live stream as `useSubscription` reports it. */
type StreamStatus = "idle" | "connecting" | "pending" | "error";

const looks: Record<StreamStatus, { label: string; color: string }> = {
  idle: { label: "Paused", color: "gray" },
  connecting: { label: "Connecting…", color: "yellow" },
  // "pending": connected, waiting for the next event.
  pending: { label: "Live", color: "teal" },
  error: { label: "Offline", color: "red" },
};

/** Whether a live view is up to date: "Live" while connected; why not, on hover, when it is not. */
export function LiveBadge({ status, error }: { status: StreamStatus; error?: { message: string } | null }) {
  const { label, color } = looks[status];
  return (
    <Tooltip label={error?.message ?? "Updates appear as they happen"} openDelay={300}>
      <Badge variant="dot" color={color} size="sm" data-testid="live-status" miw="max-content">
        {label}
      </Badge>
    </Tooltip>
  );
}
