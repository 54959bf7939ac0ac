import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { repoRoot } from "@inkwell/config";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** Where a frame's code lives: a package, Node itself, or a file of this repository. */
function owner(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  if (url.startsWith("node:")) return "node internals";
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)/)?.[1];
  if (pkg) return pkg;
  const path = url.replace(/^file:\/\//, "");
  return path.startsWith(repoRoot) ? path.slice(repoRoot.length).split("/").slice(0, 2).join("/") : path;
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url
    ? `${url
        .replace(/^file:\/\//, "")
        .replace(repoRoot, "")
        .replace(/.*node_modules\//, "")}:${lineNumber + 1}`
    : "";
  return `${functionName || "(anonymous)"} ${where}`.trim();
}

/**
 * Self time by owner (package or folder) and by function, and total time
 * (self plus callees) by function, from a `.cpuprofile`. Samples in the first
 * `skipSeconds` (the server starting) are left out.
 */
export function summarize(profile: CpuProfile, options: { skipSeconds?: number; top?: number } = {}): string {
  const { skipSeconds = 0, top = 25 } = options;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const self = new Map<number, number>();
  const { samples = [], timeDeltas = [] } = profile;
  let clock = 0;
  for (let i = 0; i < samples.length; i++) {
    clock += timeDeltas[i] ?? 0;
    if (clock < skipSeconds * 1e6) continue;
    const id = samples[i] as number;
    self.set(id, (self.get(id) ?? 0) + (timeDeltas[i + 1] ?? timeDeltas[i] ?? 0));
  }
  // Shares of the time the server was busy: idle time (waiting for PostgreSQL, or for the other server's turn
  // with --compare-defaults) would otherwise shrink every share by however long the run waited.
  let idle = 0;
  for (const [id, micros] of self) {
    if (byId.get(id)?.callFrame.functionName === "(idle)") {
      idle += micros;
      self.delete(id);
    }
  }
  const total = [...self.values()].reduce((sum, value) => sum + value, 0) || 1;

  const selfByFunction = new Map<string, number>();
  const selfByOwner = new Map<string, number>();
  const totalByFunction = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, micros: number) => map.set(key, (map.get(key) ?? 0) + micros);
  for (const [id, micros] of self) {
    const node = byId.get(id) as ProfileNode;
    add(selfByFunction, frameName(node), micros);
    add(selfByOwner, owner(node.callFrame.url, node.callFrame.functionName), micros);
    // Each function once per stack, however deep it recurses.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = frameName(byId.get(at) as ProfileNode);
      if (!seen.has(name)) add(totalByFunction, name, micros);
      seen.add(name);
    }
  }
  const lines = (map: Map<string, number>, count: number) =>
    [...map.entries()]
      .filter(([name]) => !["(root)", "(program)"].includes(name))
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, micros]) => `  ${((micros / total) * 100).toFixed(1).padStart(5)} %  ${name}`);
  return [
    `CPU profile: ${(total / 1e6).toFixed(1)} s busy and ${(idle / 1e6).toFixed(1)} s idle after the first ` +
      `${skipSeconds.toFixed(1)} s (start-up); shares are of the busy time.`,
    "Self time by package or folder:",
    ...lines(selfByOwner, 15),
    "Self time by function:",
    ...lines(selfByFunction, top),
    "Total time (with callees) by function:",
    ...lines(totalByFunction, top * 2),
  ].join("\n");
}

/**
 * Summarizes the main thread's profile of server process `pid` in `folder`
 * (`--cpu-prof` also writes one for the module loader's thread).
 */
export async function summarizeProcess(
  folder: string,
  pid: number,
  options: { skipSeconds?: number } = {},
): Promise<{ file: string; text: string } | undefined> {
  // CPU.<date>.<time>.<pid>.<thread>.<sequence>.cpuprofile
  const main = (await readdir(folder)).find(
    (name) => name.endsWith(".cpuprofile") && name.split(".")[3] === String(pid) && name.split(".")[4] === "0",
  );
  if (!main) return undefined;
  const file = join(folder, main);
  return { file, text: summarize(JSON.parse(await readFile(file, "utf8")) as CpuProfile, options) };
}
