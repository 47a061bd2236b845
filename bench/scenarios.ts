import autocannon, { type RawRequest, type RequestStep, type Result } from "autocannon";

/**
 * The load: one autocannon run per route and connection count. Bodies are generated per request, so every
 * usage report carries a requestId never used before and the routes do their full work (no duplicates).
 */

export type Scenario = {
  name: string;
  /** Usage events per successful request (0 when the route reports none). */
  eventsPerRequest: number;
  step: (context: ScenarioContext) => RequestStep;
};

export type ScenarioContext = { keys: string[]; serviceToken: string; runId: string; tally: { failedEvents: number } };

export type Measurement = {
  scenario: string;
  connections: number;
  requestsPerSecond: number;
  eventsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
};

export const batchSize = 500;

let sequence = 0;
const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)]!;

function post(path: string, token: string, body: () => unknown): RequestStep {
  return {
    method: "POST",
    path,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    setupRequest: (request: RawRequest) => ({ ...request, body: JSON.stringify(body()) }),
  };
}

const usageEvent = ({ keys, runId }: ScenarioContext) => ({
  apiKey: pick(keys),
  requestId: `${runId}-${sequence++}`,
  credits: 1,
  endpoint: "/v1/query",
});

// A batch answers 200 even when events fail, so failed events are counted from the body.
const countFailedEvents = (tally: ScenarioContext["tally"]) => (status: number, body: string) => {
  if (status !== 200) return;
  const { results } = JSON.parse(body) as { results: Array<{ success: boolean }> };
  tally.failedEvents += results.filter((result) => !result.success).length;
};

export const scenarios: Scenario[] = [
  { name: "GET /api/health/live", eventsPerRequest: 0, step: () => ({ method: "GET", path: "/api/health/live" }) },
  {
    name: "POST /api/usage",
    eventsPerRequest: 1,
    step: (context) => post("/api/usage", context.serviceToken, () => usageEvent(context)),
  },
  {
    name: `POST /api/usage/batch (${batchSize})`,
    eventsPerRequest: batchSize,
    step: (context) => ({
      ...post("/api/usage/batch", context.serviceToken, () => ({ events: Array.from({ length: batchSize }, () => usageEvent(context)) })),
      onResponse: countFailedEvents(context.tally),
    }),
  },
  {
    name: "POST /api/keys/verify",
    eventsPerRequest: 0,
    step: (context) => post("/api/keys/verify", context.serviceToken, () => ({ apiKey: pick(context.keys) })),
  },
];

/** bench/floor-server.ts: the single report's deduction without the framework, for comparison with POST /api/usage. */
export const floorScenario: Scenario = {
  name: "floor: node:http + pg deduction",
  eventsPerRequest: 1,
  step: (context) => post("/usage", context.serviceToken, () => usageEvent(context)),
};

export function percentile(sorted: number[], fraction: number) {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

function summarise(scenario: Scenario, connections: number, result: Result, latencies: number[], eventFailures: number): Measurement {
  const ok = result["2xx"];
  latencies.sort((a, b) => a - b);
  return {
    scenario: scenario.name,
    connections,
    requestsPerSecond: result.requests.total / result.duration,
    eventsPerSecond: (ok * scenario.eventsPerRequest - eventFailures) / result.duration,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    errors: result.errors + result.timeouts + result.non2xx + eventFailures,
  };
}

export async function runScenario(
  url: string,
  scenario: Scenario,
  context: Omit<ScenarioContext, "tally">,
  connections: number,
  durationSeconds: number,
) {
  const tally = { failedEvents: 0 };
  const requests = [scenario.step({ ...context, tally })];
  const instance = autocannon({ url, connections, duration: durationSeconds, timeout: 30, requests });
  // autocannon's own histogram keeps whole milliseconds, too coarse for sub-millisecond routes.
  const latencies: number[] = [];
  instance.on("response", (_client: unknown, _status: number, _bytes: number, milliseconds: number) => latencies.push(milliseconds));
  const result = await instance;
  return summarise(scenario, connections, result, latencies, tally.failedEvents);
}
