/** An email ready to be stored and sent: both parts rendered, the recipient a bare address. */
export interface RenderedEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Which template rendered it (`email_messages.template`). */
  template: string;
}

/** Subjects are one line: a newline in user content must not start a new header. */
export function oneLine(value: string, max = 200): string {
  const flat = value.replace(/[\r\n\t\u2028\u2029]+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
