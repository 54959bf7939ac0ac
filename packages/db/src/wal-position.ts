/**
 * A position in PostgreSQL's write-ahead log (a `pg_lsn`, written `16/B374D848`: two 32-bit halves in
 * hexadecimal) as a bigint, so positions compare with `<` and `>=`.
 */
export type WalPosition = bigint;

const LSN = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

/** `16/B374D848` → its bigint; null for anything else (a position a client sends is parsed here too). */
export function parseWalPosition(text: string | null | undefined): WalPosition | null {
  const match = text ? LSN.exec(text) : null;
  if (!match) return null;
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

/** The bigint back in PostgreSQL's own notation. */
export function formatWalPosition(position: WalPosition): string {
  const high = (position >> 32n).toString(16).toUpperCase();
  const low = (position & 0xffffffffn).toString(16).toUpperCase();
  return `${high}/${low}`;
}
