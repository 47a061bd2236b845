import { createCircuitBreaker, type CircuitBreaker } from "./circuit-breaker";

/**
 * The one breaker for Redis in this process, shared by everything that talks to it (the service and auth
 * limiters, the mirror): they all see the same dependency, so one timeout anywhere spares the others the wait.
 */

// Upstash answers in milliseconds; half a second means it is not answering. A request on the usage or
// verify routes waits at most this long, once per outage: later requests are decided locally.
export const redisRequestTimeoutMs = 500;
// Mirror batches may carry hundreds of writes and wait on no request, so they get longer.
export const redisWriteTimeoutMs = 2_000;

const globalForBreaker = globalThis as typeof globalThis & { __redisBreaker?: CircuitBreaker };

export function redisBreaker(): CircuitBreaker {
  globalForBreaker.__redisBreaker ??= createCircuitBreaker({
    name: "Redis",
    timeoutMs: redisRequestTimeoutMs,
    failureThreshold: 3,
    // Probes run in the background (see lib/rate-limit/fallback.ts), so a short cool-down costs no request anything.
    cooldownMs: 2_000,
  });
  return globalForBreaker.__redisBreaker;
}
