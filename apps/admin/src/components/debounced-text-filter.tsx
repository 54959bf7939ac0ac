import { CloseButton, TextInput, type TextInputProps } from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { type ReactNode, useEffect, useState } from "react";

interface DebouncedTextFilterProps extends Pick<TextInputProps, "w" | "mb" | "maxLength"> {
  label: string;
  placeholder: string;
  icon: ReactNode;
  /** The value in the URL. */
  value: string | undefined;
  /** Typing stopped 300 ms ago: the text, trimmed, or undefined when blank. */
  onCommit: (value: string | undefined) => void;
  /** The clear button; `onCommit(undefined)` unless given. */
  onClear?: () => void;
}

/**
 * A table's text filter: it reaches the URL 300 ms after typing stops, and
 * follows the URL back when it changes under the input (Back, a shared link).
 */
export function DebouncedTextFilter({ label, icon, value, onCommit, onClear, ...input }: DebouncedTextFilterProps) {
  const [text, setText] = useState(value ?? "");
  const commit = useDebouncedCallback((next: string) => onCommit(next.trim() || undefined), 300);
  useEffect(() => setText(value ?? ""), [value]);
  return (
    <TextInput
      label={label}
      leftSection={icon}
      {...input}
      value={text}
      onChange={(event) => {
        setText(event.currentTarget.value);
        commit(event.currentTarget.value);
      }}
      rightSection={
        text ? (
          <CloseButton
            aria-label={`Clear ${label.toLowerCase()}`}
            size="sm"
            onClick={() => {
              setText("");
              if (onClear) onClear();
              else onCommit(undefined);
            }}
          />
        ) : null
      }
    />
  );
}
