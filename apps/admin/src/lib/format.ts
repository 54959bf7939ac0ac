import dayjs from "dayjs";
import relativeTime from "dayjs/plugin/relativeTime";

dayjs.extend(relativeTime);

export function formatDateTime(date: Date | null | undefined): string {
  return date ? dayjs(date).format("YYYY-MM-DD HH:mm") : "—";
}

/** To the second, with the offset from UTC: what a hover over a relative time shows ("2026-11-30 20:15:07 UTC+01:00"). */
export function formatExactDateTime(date: Date): string {
  return `${dayjs(date).format("YYYY-MM-DD HH:mm:ss")} UTC${dayjs(date).format("Z")}`;
}

export function formatDate(date: Date | null | undefined): string {
  return date ? dayjs(date).format("YYYY-MM-DD") : "—";
}

export function fromNow(date: Date): string {
  return dayjs(date).fromNow();
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString("en")} ${count === 1 ? one : many}`;
}

/** "suspended" → "Suspended", for labels made from stored values. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Who did something, as the audit log names them: the name they had then, "(deleted)" once their account is gone. */
export function actorName(actor: { id: number; username: string | null; deleted: boolean } | null): string {
  if (!actor) return "anonymous";
  const name = actor.username ?? `user #${actor.id}`;
  return actor.deleted ? `${name} (deleted)` : name;
}
