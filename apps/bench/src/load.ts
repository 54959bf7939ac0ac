import autocannon from "autocannon";
import { percentile } from "./percentile.ts";
import type { RequestPlan } from "./scenarios.ts";

export interface LoadOptions {
  url: string;
  plan: RequestPlan;
  /** The status every answer must have; without, any 2xx. */
  expectedStatus?: number;
  connections: number;
  durationSeconds: number;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  /** Milliseconds, from every response's own time (autocannon's histogram rounds to whole ms). */
  p50: number;
  p99: number;
  /** Socket errors and timeouts, plus every response that was not 2xx. */
  errors: number;
  /** Connection errors and timeouts (autocannon counts timeouts among errors). */
  socketErrors: number;
  /** Responses by status code, 2xx left out. */
  statusCodes: Record<string, number>;
}

/** One autocannon run at fixed concurrency for a fixed time; request paths (and bodies) rotate round robin. */
export function runLoad({ url, plan, connections, durationSeconds, expectedStatus }: LoadOptions): Promise<LoadResult> {
  let next = 0;
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: durationSeconds,
        timeout: 30,
        requests: [
          {
            method: plan.method,
            headers: plan.headers,
            body: plan.body,
            setupRequest: (request) => {
              const turn = next++;
              request.path = plan.paths[turn % plan.paths.length] as string;
              if (plan.bodies) request.body = plan.bodies[turn % plan.bodies.length] as string;
              return request;
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        const sorted = Float64Array.from(latencies).sort();
        const seconds = result.duration;
        const requests = latencies.length;
        const failures = result.errors + Math.max(0, requests - (statusCodes.ok ?? 0));
        resolve({
          requests,
          seconds,
          requestsPerSecond: requests / seconds,
          p50: percentile(sorted, 0.5),
          p99: percentile(sorted, 0.99),
          errors: failures,
          socketErrors: result.errors,
          statusCodes: Object.fromEntries(Object.entries(statusCodes).filter(([code]) => code !== "ok")),
        });
      },
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      const ok = expectedStatus === undefined ? statusCode >= 200 && statusCode < 300 : statusCode === expectedStatus;
      const key = ok ? "ok" : String(statusCode);
      statusCodes[key] = (statusCodes[key] ?? 0) + 1;
    });
  });
}

/** Repeats one request of the plan with fetch, to show what a failing answer said. */
export async function sampleFailure(url: string, plan: RequestPlan): Promise<string> {
  const response = await fetch(`${url}${plan.paths[0]}`, {
    method: plan.method,
    headers: plan.headers,
    body: plan.bodies?.[0] ?? plan.body,
  }).catch((error: unknown) => error as Error);
  if (response instanceof Error) return `request failed: ${response.message}`;
  return `${response.status} ${(await response.text()).slice(0, 500)}`;
}
