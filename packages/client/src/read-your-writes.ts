/** The header in which the server says where a write ended, and in which clients send that back (decision 014). */
const READ_AFTER = "inkwell-read-after";

const POSITION = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i;

function positionValue(text: string): bigint | null {
  const match = POSITION.exec(text);
  return match ? (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`) : null;
}

/**
 * Read-your-writes with read replicas: remembers the latest write position the server reported and sends it with
 * every later request, so a read after this client's write waits for a replica that has it (or is served by the
 * primary), whichever server process answers. Servers without replicas never send one; then this does nothing.
 */
export function readYourWrites(send: () => typeof fetch) {
  let latest: { text: string; value: bigint } | null = null;
  return {
    headers: (): Record<string, string> => (latest ? { [READ_AFTER]: latest.text } : {}),
    fetch: (async (input, init) => {
      const response = await send()(input, init);
      const text = response.headers.get(READ_AFTER);
      const value = text ? positionValue(text) : null;
      // Answers may arrive out of order: keep the furthest position.
      if (text && value !== null && (latest === null || value > latest.value)) latest = { text, value };
      return response;
    }) as typeof fetch,
  };
}
