import { randomUUID } from "node:crypto";

/**
 * A bounded load of usage reports that retries like a careful data API service: the same requestId and
 * body again after a 503, a 5xx, a 429 or a dropped connection, until it is answered or its deadline
 * passes. Every attempt is recorded, so the checks can tell what was acknowledged from what was refused.
 */

/** One try: its status (or a dropped connection), its time, and for a 200 whether it answered `duplicate`. */
export type Attempt = { status: number | "error"; ms: number; duplicate?: boolean };
export type SentReport = {
  apiKey: string;
  requestId: string;
  credits: number;
  attempts: Attempt[];
  /** From the first attempt to the answer that settled it (or to giving up). */
  waitMs: number;
};

export type LoadOptions = {
  urls: string[];
  token: string;
  keys: string[];
  concurrency: number;
  durationMs: number;
  /** How long a report already sent keeps being retried after the load stops. */
  settleMs: number;
};

const retryDelayMs = 250;
const attemptTimeoutMs = 15_000;
const retryable = (status: number | "error") => status === "error" || status === 429 || status >= 500;

async function attempt(url: string, token: string, report: SentReport): Promise<Attempt> {
  const started = performance.now();
  try {
    const response = await fetch(`${url}/api/usage`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ apiKey: report.apiKey, requestId: report.requestId, credits: report.credits, endpoint: "/v1/chaos" }),
      signal: AbortSignal.timeout(attemptTimeoutMs),
    });
    const body = (await response.json().catch(() => ({}))) as { duplicate?: boolean };
    return { status: response.status, ms: performance.now() - started, duplicate: response.status === 200 ? body.duplicate === true : undefined };
  } catch {
    return { status: "error", ms: performance.now() - started };
  }
}

export async function runLoad(options: LoadOptions): Promise<SentReport[]> {
  const reports: SentReport[] = [];
  const stopAt = Date.now() + options.durationMs;
  const giveUpAt = stopAt + options.settleMs;
  let turn = 0;
  const worker = async () => {
    while (Date.now() < stopAt) {
      const report: SentReport = {
        apiKey: options.keys[Math.floor(Math.random() * options.keys.length)]!,
        requestId: randomUUID(),
        credits: 1 + Math.floor(Math.random() * 3),
        attempts: [],
        waitMs: 0,
      };
      reports.push(report);
      const first = performance.now();
      for (;;) {
        const url = options.urls[turn++ % options.urls.length]!;
        const result = await attempt(url, options.token, report);
        report.attempts.push(result);
        if (!retryable(result.status) || Date.now() > giveUpAt) break;
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
      }
      report.waitMs = performance.now() - first;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return reports;
}

export const acknowledged = (report: SentReport) => report.attempts.some((entry) => entry.status === 200);
/** Every answer said 503 (nothing recorded): such a report must not be in the database. */
export const refusedUnavailable = (report: SentReport) => !acknowledged(report) && report.attempts.every((entry) => entry.status === 503);

/**
 * Answered 503 ("nothing was recorded"), yet the retry found it recorded: every try before the first 200
 * said 503, and that 200 says `duplicate`. A dropped connection in between would make it ambiguous, so
 * those are not counted.
 */
export function recordedDespite503(report: SentReport) {
  const first200 = report.attempts.findIndex((entry) => entry.status === 200);
  if (first200 <= 0 || !report.attempts[first200]!.duplicate) return false;
  return report.attempts.slice(0, first200).every((entry) => entry.status === 503);
}
