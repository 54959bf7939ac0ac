import { withReplicas } from "drizzle-orm/pg-core";
import { connect, type Database, type DatabaseConnection } from "./client.ts";
import { parseWalPosition, type WalPosition } from "./wal-position.ts";

export interface ReadReplicasOptions {
  /** The primary: writes, transactions and raw SQL of a routed handle go there (drizzle's `withReplicas`). */
  primary: Database;
  /** The primary's pool, asked for its write position after a write. */
  primarySql: DatabaseConnection["sql"];
  /** `DATABASE_REPLICA_URLS`: streaming replicas of the primary. */
  urls: readonly string[];
  maxConnections?: number;
  applicationName?: string;
  prepare?: boolean;
  /** How often each replica is asked whether it is up and how far it has replayed. */
  healthIntervalMs?: number;
  /** A replica that has not answered the health check within this long counts as down. */
  healthTimeoutMs?: number;
  /** Called when a replica goes down or comes back (`replica` has no password). */
  onHealthChange?: (replica: string, healthy: boolean, error?: unknown) => void;
}

/** One replica as this process sees it. */
interface Replica {
  /** host:port/database, for logs: never the password. */
  label: string;
  connection: DatabaseConnection;
  /** Selects on the replica; writes, transactions and `execute` on the primary. */
  routed: Database;
  healthy: boolean;
  /** How far it had replayed the primary's log at the last health check: a lower bound of where it is now. */
  replayed: WalPosition;
  checking: boolean;
}

export const DEFAULT_HEALTH_INTERVAL_MS = 1000;
const DEFAULT_HEALTH_TIMEOUT_MS = 2000;

/** How long a credential's last write is remembered here (see `rememberWrite`). */
export const WRITE_MEMORY_MS = 5 * 60_000;
/** Credentials remembered at once; past this the oldest are forgotten, so memory stays bounded. */
const WRITE_MEMORY_MAX = 100_000;

/**
 * Streaming replicas to read from (decision 014). A health check per replica each second asks whether it is
 * up, still a standby, and how far it has replayed; `pick` hands out a replica only when it was healthy at the
 * last check and had replayed at least the position the caller needs, else null (read from the primary). Each
 * replica is wrapped in drizzle's `withReplicas` with the primary, so a stray write in a read still reaches the
 * primary, and a handle is fixed to one replica (prepared statements built on it stay on that replica).
 */
export class ReadReplicas {
  private readonly replicas: Replica[];
  private readonly timer: NodeJS.Timeout;
  private next = 0;
  private readonly writes = new Map<string, { position: WalPosition; until: number }>();

  private constructor(private readonly options: ReadReplicasOptions) {
    this.replicas = options.urls.map((url) => {
      const connection = connect({
        url,
        maxConnections: options.maxConnections,
        applicationName: options.applicationName,
        prepare: options.prepare,
      });
      return {
        label: replicaLabel(url),
        connection,
        routed: withReplicas(options.primary, [connection.db], () => connection.db) as Database,
        healthy: false,
        replayed: 0n,
        checking: false,
      };
    });
    this.timer = setInterval(() => void this.checkAll(), options.healthIntervalMs ?? DEFAULT_HEALTH_INTERVAL_MS);
    this.timer.unref();
  }

  /** Connects and checks every replica once; a replica that is down does not fail this (reads use the primary). */
  static async open(options: ReadReplicasOptions): Promise<ReadReplicas> {
    const replicas = new ReadReplicas(options);
    await replicas.checkAll();
    return replicas;
  }

  /**
   * A handle reading from a healthy replica that has replayed `after` (when given), taking turns among those
   * that qualify; null when none does: read from the primary.
   */
  pick(after: WalPosition | null): Database | null {
    const count = this.replicas.length;
    for (let tried = 0; tried < count; tried++) {
      const replica = this.replicas[(this.next + tried) % count] as Replica;
      if (replica.healthy && (after === null || replica.replayed >= after)) {
        this.next = (this.next + tried + 1) % count;
        return replica.routed;
      }
    }
    return null;
  }

  /** A read on `handle` could not reach its replica: no more reads go there until a health check succeeds. */
  reportUnavailable(handle: Database, error?: unknown): void {
    const replica = this.replicas.find((candidate) => candidate.routed === handle);
    if (replica) this.setHealth(replica, false, error);
  }

  /** The primary's write-ahead log position now: after a commit, a replica that has replayed it sees the commit. */
  async writePosition(): Promise<WalPosition> {
    // The insert position is never behind the end of a commit just made, even with synchronous_commit off.
    const [row] = await this.options.primarySql`select pg_current_wal_insert_lsn()::text as position`;
    const position = parseWalPosition(row?.position as string | undefined);
    if (position === null) throw new Error(`unexpected write position ${String(row?.position)}`);
    return position;
  }

  /**
   * Remembers that `key` (a credential) wrote up to `position`, for `WRITE_MEMORY_MS`: its reads on this process
   * wait for a replica that has replayed it even when the client does not echo the position back.
   */
  rememberWrite(key: string, position: WalPosition, now = Date.now()): void {
    const known = this.recallWrite(key, now);
    this.writes.delete(key);
    if (this.writes.size >= WRITE_MEMORY_MAX) {
      // Maps iterate in insertion order: the first key is the one written longest ago.
      const oldest = this.writes.keys().next().value;
      if (oldest !== undefined) this.writes.delete(oldest);
    }
    this.writes.set(key, {
      position: known !== null && known > position ? known : position,
      until: now + WRITE_MEMORY_MS,
    });
  }

  /** The position `key` last wrote up to on this process, if within `WRITE_MEMORY_MS`. */
  recallWrite(key: string, now = Date.now()): WalPosition | null {
    const entry = this.writes.get(key);
    if (!entry) return null;
    if (entry.until <= now) {
      this.writes.delete(key);
      return null;
    }
    return entry.position;
  }

  /** Asks every replica how it is now (the timer does this each interval; tests call it to skip the wait). */
  async checkAll(): Promise<void> {
    await Promise.all(this.replicas.map((replica) => this.check(replica)));
  }

  /** Whether each replica counts as healthy, by label (for `/health` and tests). */
  status(): { replica: string; healthy: boolean; replayed: WalPosition }[] {
    return this.replicas.map(({ label, healthy, replayed }) => ({ replica: label, healthy, replayed }));
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.replicas.map((replica) => replica.connection.close()));
  }

  private async check(replica: Replica): Promise<void> {
    if (replica.checking) return;
    replica.checking = true;
    const timeoutMs = this.options.healthTimeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    try {
      const answer = replica.connection
        .sql`select pg_is_in_recovery() as standby, pg_last_wal_replay_lsn()::text as replayed`;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      const [row] = await Promise.race([answer, timedOut]);
      const replayed = parseWalPosition(row?.replayed as string | undefined);
      // A promoted replica (no longer a standby) stops following the primary: reading there could miss writes.
      if (!row?.standby || replayed === null) {
        this.setHealth(replica, false, new Error("not a streaming standby (promoted, or not a replica)"));
        return;
      }
      replica.replayed = replayed;
      this.setHealth(replica, true);
    } catch (error) {
      this.setHealth(replica, false, error);
    } finally {
      clearTimeout(timer);
      replica.checking = false;
    }
  }

  private setHealth(replica: Replica, healthy: boolean, error?: unknown): void {
    if (replica.healthy === healthy) return;
    replica.healthy = healthy;
    this.options.onHealthChange?.(replica.label, healthy, error);
  }
}

function replicaLabel(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return "replica";
  }
}
