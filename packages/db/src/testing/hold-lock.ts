import type postgres from "postgres";
import { connect } from "../client.ts";

export interface HeldLock {
  /** Ends the transaction (its locks go), then its connection. */
  release(): Promise<void>;
}

/**
 * Runs `take` in a transaction on a connection of its own and keeps that transaction open until `release()`: what
 * it locked, other sessions wait for. Resolves once `take` is done, so the locks are held from then on.
 */
export async function holdLock(
  url: string,
  take: (tx: postgres.TransactionSql) => Promise<unknown>,
): Promise<HeldLock> {
  const holder = connect({ url, maxConnections: 1, applicationName: "lock-holder" });
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let taken = () => {};
  const held = new Promise<void>((resolve) => {
    taken = resolve;
  });
  const transaction = holder.sql.begin(async (tx) => {
    await take(tx);
    taken();
    await released;
  });
  const ended = transaction.finally(() => holder.close());
  // A `take` that fails ends the transaction before it holds anything: that failure is thrown here.
  await Promise.race([held, ended]);
  return {
    async release() {
      release();
      await ended;
    },
  };
}
