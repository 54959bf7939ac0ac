import { Badge } from "@mantine/core";

interface KeyDates {
  revokedAt: Date | null;
  expiresAt: Date | null;
}

export function keyState(key: KeyDates): "active" | "revoked" | "expired" {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) return "expired";
  return "active";
}

export function KeyStateBadge({ apiKey }: { apiKey: KeyDates }) {
  const state = keyState(apiKey);
  return (
    <Badge size="sm" variant="light" color={state === "active" ? "teal" : "gray"} miw="max-content">
      {state}
    </Badge>
  );
}
