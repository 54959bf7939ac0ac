import { readdirSync, readFileSync } from "node:fs";

/**
 * How much CPU other processes took while the bench measured: the machine's
 * busy time less that of the bench, the server and the bench's PostgreSQL
 * (its postmaster and children). Linux only; elsewhere it reports nothing.
 */
export interface CpuWindow {
  /** Average cores used by processes outside the benchmark (0 on a quiet machine). */
  otherCores: number;
  /** Average cores used by the bench, the server and PostgreSQL. */
  benchCores: number;
}

interface Snapshot {
  at: number;
  busyTicks: number;
  ours: Map<number, number>;
}

const TICKS_PER_SECOND = 100;

function read(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

function busyTicks(): number | undefined {
  const fields = read("/proc/stat")?.split("\n")[0]?.trim().split(/\s+/).slice(1).map(Number);
  if (!fields || fields.length < 8) return undefined;
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return user + nice + system + irq + softirq + steal;
}

/** utime + stime and parent pid of a process, from /proc/<pid>/stat (fields after the command name). */
function processStat(pid: number): { ticks: number; parent: number } | undefined {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { parent: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
}

export class CpuMeter {
  /**
   * @param pids the bench's own processes, asked at each snapshot (the server may restart)
   * @param postgresDataDir the embedded cluster's data directory, whose postmaster.pid names PostgreSQL
   */
  constructor(
    private readonly pids: () => number[],
    private readonly postgresDataDir?: string,
  ) {}

  private ourProcesses(): number[] {
    const roots = [...this.pids()];
    const postmaster = this.postgresDataDir
      ? Number(read(`${this.postgresDataDir}/postmaster.pid`)?.split("\n")[0])
      : Number.NaN;
    if (!Number.isInteger(postmaster) || postmaster <= 0) return roots;
    const children = readdirSync("/proc")
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
      .filter((pid) => processStat(pid)?.parent === postmaster);
    return [...roots, postmaster, ...children];
  }

  private snapshot(): Snapshot | undefined {
    const busy = busyTicks();
    if (busy === undefined) return undefined;
    const ours = new Map<number, number>();
    for (const pid of this.ourProcesses()) {
      const stat = processStat(pid);
      if (stat) ours.set(pid, stat.ticks);
    }
    return { at: performance.now(), busyTicks: busy, ours };
  }

  /** Starts a window; the function returned ends it. */
  start(): () => CpuWindow | undefined {
    const begin = this.snapshot();
    return () => {
      const end = this.snapshot();
      if (!begin || !end) return undefined;
      const seconds = (end.at - begin.at) / 1000;
      let oursTicks = 0;
      for (const [pid, ticks] of end.ours) oursTicks += ticks - (begin.ours.get(pid) ?? 0);
      const cores = (ticks: number) => Math.max(0, ticks / TICKS_PER_SECOND / seconds);
      return { otherCores: cores(end.busyTicks - begin.busyTicks - oursTicks), benchCores: cores(oursTicks) };
    };
  }
}
