import "@mantine/dates/styles.css";
import { Group, SegmentedControl } from "@mantine/core";
import { DatePickerInput, type DatesRangeValue } from "@mantine/dates";
import dayjs from "dayjs";
import { useEffect, useState } from "react";
import { type DashboardSearch, dashboardPresets } from "./search.ts";

export type RangeChoice = { days: (typeof dashboardPresets)[number] } | { from: string; to: string };

interface RangePickerProps {
  search: DashboardSearch;
  onChange: (choice: RangeChoice) => void;
}

/** The server counts at most 366 days and nothing after today (in the operator's time zone, as here). */
const LONGEST_RANGE_DAYS = 366;

const presetOptions = [
  ...dashboardPresets.map((days) => ({ value: String(days), label: `${days} days` })),
  { value: "custom", label: "Custom" },
];

/** 7, 30 or 90 days in one click, or a custom range of days picked on a calendar; the choice goes into the URL. */
export function RangePicker({ search, onChange }: RangePickerProps) {
  const custom: DatesRangeValue<string> | null = search.from && search.to ? [search.from, search.to] : null;
  // "Custom" chosen, the range not picked yet: the charts keep showing the last range until it is.
  const [picking, setPicking] = useState(false);
  const [draft, setDraft] = useState<DatesRangeValue<string>>(custom ?? [null, null]);
  useEffect(
    () => setDraft(search.from && search.to ? [search.from, search.to] : [null, null]),
    [search.from, search.to],
  );
  const today = dayjs().format("YYYY-MM-DD");
  const mode = custom || picking ? "custom" : String(search.days);

  return (
    <Group gap="xs" align="center">
      <SegmentedControl
        aria-label="Date range"
        value={mode}
        data={presetOptions}
        onChange={(value) => {
          const preset = dashboardPresets.find((days) => String(days) === value);
          setPicking(!preset);
          if (preset) onChange({ days: preset });
        }}
      />
      {mode === "custom" && (
        <DatePickerInput
          type="range"
          aria-label="Custom range"
          placeholder="First and last day"
          value={draft}
          onChange={(value) => {
            setDraft(value);
            const [from, to] = value;
            if (from && to) {
              setPicking(false);
              onChange({ from, to });
            }
          }}
          allowSingleDateInRange
          minDate={dayjs(today)
            .subtract(LONGEST_RANGE_DAYS - 1, "day")
            .format("YYYY-MM-DD")}
          maxDate={today}
          valueFormat="MMM D, YYYY"
          miw={240}
        />
      )}
    </Group>
  );
}
