import { type MantineSize, Text, Tooltip } from "@mantine/core";
import { formatExactDateTime, fromNow } from "../lib/format.ts";

/** "3 days ago", with the exact time on hover and for screen readers via <time>. */
interface DateTextProps {
  date: Date | null | undefined;
  /** Shown when there is no date. */
  empty?: string;
  size?: MantineSize;
}

export function DateText({ date, empty = "—", size = "sm" }: DateTextProps) {
  if (!date) {
    return (
      <Text span c="dimmed" size={size}>
        {empty}
      </Text>
    );
  }
  return (
    <Tooltip label={formatExactDateTime(date)} openDelay={300}>
      <Text span size={size} component="time" dateTime={date.toISOString()} style={{ whiteSpace: "nowrap" }}>
        {fromNow(date)}
      </Text>
    </Tooltip>
  );
}
