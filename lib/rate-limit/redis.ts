import { Ratelimit, type RatelimitConfig } from "@upstash/ratelimit";
import { createUpstashClient } from "@/lib/cache/store";
import { env } from "@/lib/env";
import { TimeoutError } from "@/lib/resilience/circuit-breaker";
import { redisBreaker, redisRequestTimeoutMs } from "@/lib/resilience/redis";
import type { RateLimitResult } from "./types";

/**
 * @upstash/ratelimit over a client for the request path: no SDK retries, each HTTP request aborted after the
 * breaker's timeout, and no timeout of its own (the breaker has it). Null when Upstash is not configured.
 */
export function createRedisRatelimit(prefix: string, limiter: RatelimitConfig["limiter"]) {
  const client = createUpstashClient({ deserialize: true, timeoutMs: redisRequestTimeoutMs });
  if (!client) return null;
  return new Ratelimit({
    redis: client,
    limiter,
    prefix: `${env().REDIS_PREFIX}ratelimit:${prefix}`,
    analytics: false,
    timeout: 0,
  });
}

/**
 * Takes `rate` requests from the shared window, through the Redis breaker: throws when Redis times out, fails
 * or the breaker is open, so the caller falls back to its local counts.
 */
export function limitThroughRedis(ratelimit: Ratelimit, identifier: string, rate = 1): Promise<RateLimitResult> {
  return redisBreaker().run(async () => {
    const result = await ratelimit.limit(identifier, { rate });
    // On its own timeout the SDK does not throw but allows the request with `reset: 0`; a lease or window
    // built from that answer is never valid. Should that answer ever come back, it is a timeout.
    if (result.reason === "timeout" || result.reset === 0) throw new TimeoutError("@upstash/ratelimit timed out");
    return { success: result.success, limit: result.limit, remaining: result.remaining, reset: result.reset };
  });
}
