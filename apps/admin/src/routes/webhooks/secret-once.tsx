import { Code } from "@mantine/core";
import { ShownOnce } from "../../components/shown-once.tsx";

/** A signing secret, shown the one time Inkwell shows it, with a copy button. */
export function SecretOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  return (
    <ShownOnce title="Copy the signing secret now" value={secret} testId="webhook-secret" onDone={onDone}>
      This is the only time Inkwell shows it. Give it to the receiver, which checks every delivery's signature with it
      (Standard Webhooks; <Code>verifyWebhook</Code> in <Code>@inkwell/client/webhooks</Code>).
    </ShownOnce>
  );
}
