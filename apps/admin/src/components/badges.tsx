import { Badge } from "@mantine/core";

const roleColors: Record<string, string> = { admin: "grape", moderator: "blue", user: "gray" };

export function RoleBadge({ role }: { role: string }) {
  return (
    <Badge variant="light" color={roleColors[role] ?? "gray"} miw="max-content">
      {role}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge variant="dot" color={status === "active" ? "teal" : "red"} miw="max-content">
      {status}
    </Badge>
  );
}

export function ModerationBadge({ state }: { state: string }) {
  return (
    <Badge variant="light" color={state === "visible" ? "teal" : "orange"} miw="max-content">
      {state}
    </Badge>
  );
}

export function OutcomeBadge({ outcome }: { outcome: unknown }) {
  if (outcome !== "success" && outcome !== "failure") return null;
  return (
    <Badge size="sm" variant="outline" color={outcome === "success" ? "teal" : "red"} miw="max-content">
      {outcome}
    </Badge>
  );
}
