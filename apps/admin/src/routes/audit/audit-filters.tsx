import "@mantine/dates/styles.css";
import { Autocomplete, Button, Group, NumberInput, Paper, SimpleGrid, TextInput } from "@mantine/core";
import { DateTimePicker } from "@mantine/dates";
import { IconFilter, IconX } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import dayjs from "dayjs";
import { type FormEvent, useEffect, useState } from "react";
import { trpc } from "../../lib/trpc.ts";
import type { AuditSearch } from "./search.ts";

const PICKER_FORMAT = "YYYY-MM-DD HH:mm:ss";

interface FormState {
  actorId: string | number;
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  from: string | null;
  to: string | null;
}

function formFrom(search: AuditSearch): FormState {
  return {
    actorId: search.actorId ?? "",
    actor: search.actor ?? "",
    action: search.action ?? "",
    targetType: search.targetType ?? "",
    targetId: search.targetId ?? "",
    from: search.from ? dayjs(search.from).format(PICKER_FORMAT) : null,
    to: search.to ? dayjs(search.to).format(PICKER_FORMAT) : null,
  };
}

function searchFrom(form: FormState): AuditSearch {
  const text = (value: string) => value.trim() || undefined;
  return {
    actorId: typeof form.actorId === "number" ? form.actorId : undefined,
    actor: text(form.actor),
    action: text(form.action),
    targetType: text(form.targetType),
    targetId: text(form.targetId),
    from: form.from ? dayjs(form.from).toISOString() : undefined,
    to: form.to ? dayjs(form.to).toISOString() : undefined,
  };
}

/** Filters applied on submit, into the URL. */
export function AuditFilters({ search, onApply }: { search: AuditSearch; onApply: (search: AuditSearch) => void }) {
  const [form, setForm] = useState(() => formFrom(search));
  // Every action and target type the log holds, for the suggestions (a partial name filters too).
  const vocabulary = useQuery({ ...trpc.audit.vocabulary.queryOptions(), staleTime: 60_000 });
  useEffect(() => setForm(formFrom(search)), [search]);
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setForm((prev) => ({ ...prev, [key]: value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    onApply(searchFrom(form));
  }

  return (
    <Paper withBorder p="md" mb="md" component="form" onSubmit={submit} aria-label="Audit log filters">
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
        <TextInput
          label="Actor"
          placeholder="Part of a username"
          value={form.actor}
          onChange={(event) => set("actor", event.currentTarget.value)}
        />
        <NumberInput
          label="Actor id"
          placeholder="Any actor"
          min={1}
          allowDecimal={false}
          allowNegative={false}
          value={form.actorId}
          onChange={(value) => set("actorId", value)}
        />
        <Autocomplete
          label="Action"
          placeholder="Part of a name, e.g. articles"
          data={vocabulary.data?.actions ?? []}
          limit={50}
          value={form.action}
          onChange={(value) => set("action", value)}
        />
        <Autocomplete
          label="Target type"
          placeholder="e.g. user"
          data={vocabulary.data?.targetTypes ?? []}
          value={form.targetType}
          onChange={(value) => set("targetType", value)}
        />
        <TextInput
          label="Target id"
          placeholder="e.g. 42"
          value={form.targetId}
          onChange={(event) => set("targetId", event.currentTarget.value)}
        />
        <DateTimePicker
          label="From"
          placeholder="Any time"
          clearable
          valueFormat="YYYY-MM-DD HH:mm"
          value={form.from}
          onChange={(value) => set("from", value)}
          maxDate={form.to ?? undefined}
        />
        <DateTimePicker
          label="To"
          placeholder="Now"
          clearable
          valueFormat="YYYY-MM-DD HH:mm"
          value={form.to}
          onChange={(value) => set("to", value)}
          minDate={form.from ?? undefined}
        />
      </SimpleGrid>
      <Group justify="flex-end" mt="md" gap="xs">
        <Button
          variant="default"
          leftSection={<IconX size={16} />}
          onClick={() => {
            setForm(formFrom({}));
            onApply({});
          }}
        >
          Reset
        </Button>
        <Button type="submit" leftSection={<IconFilter size={16} />}>
          Apply filters
        </Button>
      </Group>
    </Paper>
  );
}
