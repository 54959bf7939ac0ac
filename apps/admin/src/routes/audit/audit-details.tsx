import { ActionIcon, Code, Popover, ScrollArea, Stack, Table, Text } from "@mantine/core";
import { IconBraces } from "@tabler/icons-react";
import type { AuditEvent } from "./audit-event.ts";
import { type LinkRights, TargetLink, type TargetStates, targetIdsOf, targetKey } from "./audit-targets.tsx";

type Values = Record<string, unknown>;

const isValues = (value: unknown): value is Values =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const shown = (value: unknown) =>
  value === null || value === undefined ? "—" : typeof value === "string" ? value : JSON.stringify(value);

/** A change's before and after values, field by field (what the server logged: the changed fields only). */
function ChangeTable({ before, after }: { before: Values; after: Values }) {
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return (
    <Table withTableBorder fz="xs" verticalSpacing={4} aria-label="Changed fields">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Field</Table.Th>
          <Table.Th>Before</Table.Th>
          <Table.Th>After</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {fields.map((field) => (
          <Table.Tr key={field}>
            <Table.Td>{field}</Table.Td>
            <Table.Td>
              <Text span fz="xs" td="line-through" style={{ wordBreak: "break-word" }}>
                {shown(before[field])}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text span fz="xs" fw={600} style={{ wordBreak: "break-word" }}>
                {shown(after[field])}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** The Details button of a row: the change as a diff, every target of a bulk action, then the raw details. */
export function AuditDetails({
  event,
  states,
  rights,
}: {
  event: AuditEvent;
  states: TargetStates;
  rights: LinkRights;
}) {
  const { before, after, ...rest } = event.details as Values;
  const ids = targetIdsOf(event.targetId);
  const type = event.targetType;
  return (
    <Popover position="left" shadow="md" withinPortal width={440}>
      <Popover.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={`Details of event ${event.id}`}>
          <IconBraces size={18} />
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown>
        <ScrollArea.Autosize mah={420} type="auto">
          <Stack gap="xs" data-testid={`audit-details-${event.id}`}>
            {isValues(before) && isValues(after) && <ChangeTable before={before} after={after} />}
            {type && ids.length > 1 && (
              <div>
                <Text size="xs" fw={600}>
                  {ids.length} targets ({type})
                </Text>
                <Text size="sm" component="div">
                  {ids.map((id, index) => (
                    <span key={id}>
                      {index > 0 && ", "}
                      <TargetLink type={type} id={id} state={states.get(targetKey(type, id))} rights={rights} />
                    </span>
                  ))}
                </Text>
              </div>
            )}
            <Code block fz="xs">
              {JSON.stringify({ details: rest, requestId: event.requestId, userAgent: event.userAgent }, null, 2)}
            </Code>
          </Stack>
        </ScrollArea.Autosize>
      </Popover.Dropdown>
    </Popover>
  );
}
