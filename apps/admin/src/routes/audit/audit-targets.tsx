import { Text } from "@mantine/core";
import { AnchorLink } from "../../components/router-links.tsx";
import type { RouterOutputs } from "../../lib/trpc.ts";

export type AuditTargetState = RouterOutputs["audit"]["targets"]["targets"][number];

/** What the log knows now about the targets it names, by `type:id`; a target not in it is shown as it was logged. */
export type TargetStates = ReadonlyMap<string, AuditTargetState>;

export const targetKey = (type: string, id: string) => `${type}:${id}`;

/** The ids an event names: one, or several for a bulk action (logged as `1,2,3`). */
export function targetIdsOf(targetId: string | null): string[] {
  if (!targetId) return [];
  return targetId
    .split(",")
    .map((id) => id.trim())
    .filter((id) => id !== "");
}

/** What the page may link to, from the caller's permissions. */
export interface LinkRights {
  users: boolean;
  content: boolean;
  tags: boolean;
  webhooks: boolean;
  settings: boolean;
  jobs: boolean;
}

/**
 * A target's id, linked to the page where the console shows it when the
 * caller may open it and it still exists; a target that is gone keeps its
 * id, marked "(gone)", with no link to a page that would fail.
 */
export function TargetLink({
  type,
  id,
  state,
  rights,
}: {
  type: string;
  id: string;
  state: AuditTargetState | undefined;
  rights: LinkRights;
}) {
  const title = state?.label ?? undefined;
  const plain = (
    <Text span size="sm" c="dimmed" title={title}>
      {id}
      {state && !state.exists && " (gone)"}
    </Text>
  );
  if (state && !state.exists) return plain;
  const numeric = Number(id);
  // Underlined: inside a line of text, colour alone does not tell a link apart (axe link-in-text-block, dark theme).
  const link = { size: "sm", title, underline: "always" } as const;
  switch (type) {
    case "user":
      return rights.users && state ? (
        <AnchorLink to="/users/$userId" params={{ userId: numeric }} {...link}>
          {id}
        </AnchorLink>
      ) : (
        plain
      );
    case "apiKey":
      // Keys are listed on their owner's page.
      return rights.users && state?.parentId ? (
        <AnchorLink to="/users/$userId" params={{ userId: state.parentId }} {...link}>
          {id}
        </AnchorLink>
      ) : (
        plain
      );
    case "article":
      return rights.content && state?.label ? (
        <AnchorLink to="/articles" search={{ search: state.label.slice(0, 100) }} {...link}>
          {id}
        </AnchorLink>
      ) : (
        plain
      );
    case "comment":
      return rights.content && state?.label ? (
        <AnchorLink to="/comments" search={{ search: state.label.slice(0, 100) }} {...link}>
          {id}
        </AnchorLink>
      ) : (
        plain
      );
    case "webhookEndpoint":
      return rights.webhooks && state ? (
        <AnchorLink to="/webhooks" search={{ endpoint: numeric }} {...link}>
          {id}
        </AnchorLink>
      ) : (
        plain
      );
    case "tag":
      return rights.tags && state ? (
        <AnchorLink to="/tags" {...link}>
          {id}
        </AnchorLink>
      ) : (
        plain
      );
    case "setting":
      return rights.settings ? (
        <AnchorLink to="/settings" {...link}>
          {id}
        </AnchorLink>
      ) : (
        plain
      );
    case "job":
      return rights.jobs ? (
        <AnchorLink to="/jobs" {...link}>
          {id}
        </AnchorLink>
      ) : (
        plain
      );
    default:
      return plain;
  }
}

/**
 * The Target cell: the kind and the id (linked), or, for a bulk action,
 * the kind and how many ("article ×20"), their ids being in the details.
 */
export function TargetCell({
  type,
  targetId,
  states,
  rights,
}: {
  type: string | null;
  targetId: string | null;
  states: TargetStates;
  rights: LinkRights;
}) {
  if (!type) {
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  }
  const ids = targetIdsOf(targetId);
  if (ids.length > 1) {
    return (
      <Text size="sm" style={{ whiteSpace: "nowrap" }} title={`${ids.length} targets: their ids are in the details`}>
        {type} ×{ids.length}
      </Text>
    );
  }
  const [id] = ids;
  return (
    <Text size="sm" truncate="end" maw={200}>
      {type}{" "}
      {id !== undefined && <TargetLink type={type} id={id} state={states.get(targetKey(type, id))} rights={rights} />}
    </Text>
  );
}
