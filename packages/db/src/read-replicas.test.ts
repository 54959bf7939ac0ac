import getPort from "get-port";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReadReplicas, WRITE_MEMORY_MS } from "./read-replicas.ts";
import { createTestDatabase, type TestDatabase } from "./testing/index.ts";
import { formatWalPosition, parseWalPosition } from "./wal-position.ts";

// Reading from a real standby, falling back when it goes away: apps/server/src/read-replicas.test.ts.

describe("WAL positions", () => {
  it("reads PostgreSQL's notation into numbers that compare, and writes it back", () => {
    expect(parseWalPosition("0/0")).toBe(0n);
    expect(parseWalPosition("16/B374D848")).toBe((0x16n << 32n) | 0xb374d848n);
    expect(parseWalPosition("16/b374d848")).toBe(parseWalPosition("16/B374D848"));
    expect(formatWalPosition((0x16n << 32n) | 0xb374d848n)).toBe("16/B374D848");
    expect(formatWalPosition(parseWalPosition("FFFFFFFF/FFFFFFFF") as bigint)).toBe("FFFFFFFF/FFFFFFFF");
    // The low half does not carry into the high one: 1/0 is past 0/FFFFFFFF.
    expect((parseWalPosition("1/0") as bigint) > (parseWalPosition("0/FFFFFFFF") as bigint)).toBe(true);
  });

  it("takes anything else as no position", () => {
    for (const text of [
      null,
      undefined,
      "",
      "0",
      "0/",
      "/0",
      "1/2/3",
      "G/0",
      "123456789/0",
      "0/123456789",
      " 0/0",
      "-1/0",
      // What a forged Inkwell-Read-After header may hold.
      "0/0\u0000",
      "0/0\n",
      "0/0, 0/1",
      "0x1/0",
      "１/0",
      `${"F".repeat(100_000)}/0`,
      `0/${"0".repeat(9)}`,
    ]) {
      expect(parseWalPosition(text), String(text)).toBeNull();
    }
  });
});

describe("ReadReplicas", () => {
  let primary: TestDatabase;
  let unreachable: string;

  beforeAll(async () => {
    primary = await createTestDatabase({ maxConnections: 2 });
    // A port nothing listens on.
    unreachable = `postgres://postgres:x@127.0.0.1:${await getPort({ host: "127.0.0.1" })}/inkwell`;
  });
  afterAll(() => primary?.drop());

  it("reads from the primary when the replica cannot be reached, and says so", async () => {
    const changes: boolean[] = [];
    const replicas = await ReadReplicas.open({
      primary: primary.db,
      primarySql: primary.sql,
      urls: [unreachable],
      healthIntervalMs: 60_000,
      onHealthChange: (_, healthy) => changes.push(healthy),
    });
    try {
      expect(replicas.pick(null)).toBeNull();
      expect(replicas.status()).toEqual([
        { replica: expect.stringMatching(/^127\.0\.0\.1:\d+\/inkwell$/), healthy: false, replayed: 0n },
      ]);
      // The label names host, port and database: never the password.
      expect(
        JSON.stringify(replicas.status(), (_, value) => (typeof value === "bigint" ? String(value) : value)),
      ).not.toContain("postgres:x");
      expect(changes).toEqual([]);
    } finally {
      await replicas.close();
    }
  });

  it("does not read from a server that is no standby (a promoted replica, or the primary itself)", async () => {
    const replicas = await ReadReplicas.open({
      primary: primary.db,
      primarySql: primary.sql,
      urls: [primary.url],
      healthIntervalMs: 60_000,
    });
    try {
      expect(replicas.pick(null)).toBeNull();
      expect(replicas.status()[0]?.healthy).toBe(false);
      // The primary's write position is known all the same.
      const position = await replicas.writePosition();
      expect(position).toBeGreaterThan(0n);
      const [row] =
        await primary.sql`select pg_current_wal_insert_lsn() >= ${formatWalPosition(position)}::pg_lsn as ok`;
      expect(row?.ok).toBe(true);
    } finally {
      await replicas.close();
    }
  });

  it("remembers a credential's last write for a bounded time, keeping the furthest position", async () => {
    const replicas = await ReadReplicas.open({
      primary: primary.db,
      primarySql: primary.sql,
      urls: [unreachable],
      healthIntervalMs: 60_000,
    });
    try {
      const now = 1_000_000;
      replicas.rememberWrite("session:a", 200n, now);
      replicas.rememberWrite("session:a", 100n, now + 1);
      expect(replicas.recallWrite("session:a", now + 2)).toBe(200n);
      expect(replicas.recallWrite("session:b", now + 2)).toBeNull();
      replicas.rememberWrite("session:a", 300n, now + 3);
      expect(replicas.recallWrite("session:a", now + 3 + WRITE_MEMORY_MS - 1)).toBe(300n);
      expect(replicas.recallWrite("session:a", now + 3 + WRITE_MEMORY_MS)).toBeNull();
    } finally {
      await replicas.close();
    }
  });
});
