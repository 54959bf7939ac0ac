/**
 * Experiment for BENCHMARKS.md finding 14's open question (the server slows down after its first round, but not
 * under `--cpu-prof`): runs V8's sampling CPU profiler in the server, as `--cpu-prof` does, at
 * `EXPERIMENT_SAMPLING_US` microseconds between samples (default 1000), and throws the profile away.
 *
 *   pnpm bench --scenarios 8 --rounds 3 --experiment sampling-profiler --server-env EXPERIMENT_SAMPLING_US=100000
 */
import { Session } from "node:inspector";

const session = new Session();
session.connect();
const post = (method: string, params?: object) =>
  new Promise<void>((resolve, reject) => session.post(method, params, (error) => (error ? reject(error) : resolve())));
await post("Profiler.enable");
await post("Profiler.setSamplingInterval", { interval: Number(process.env.EXPERIMENT_SAMPLING_US ?? 1000) });
await post("Profiler.start");
