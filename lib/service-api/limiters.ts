import { Ratelimit } from "@upstash/ratelimit";
import { env } from "@/lib/env";
import {
  createMemoryRateLimiter,
  createRedisRatelimit,
  limitThroughRedis,
  withLocalFallback,
  type RateLimiter,
  type RateLimitResult,
} from "@/lib/rate-limit";
import { redisBreaker } from "@/lib/resilience/redis";
import { createLeasedLimiter } from "./leased-limiter";

/**
 * Limiters of the service routes. They sit on the billing hot path: when Redis is down a usage report must
 * still be recorded, and the portal must not wait on Redis per request to find out. Through the Redis
 * breaker, a hung or dead Redis costs one request one short timeout; from then on the same limits are counted
 * in this instance until a background probe finds Redis answering (lib/rate-limit/fallback.ts).
 */

const globalForLimiters = globalThis as typeof globalThis & { __serviceLimiters?: { byKey: Map<string, RateLimiter> } };
const state = (globalForLimiters.__serviceLimiters ??= { byKey: new Map<string, RateLimiter>() });

// The per-token limit leases this share of a window per Redis call (at most 100 requests), so the usage
// routes ask Redis about once per 100 requests instead of once per request.
const leaseSizeFor = (limit: number) => Math.max(1, Math.min(100, Math.floor(limit / 20)));

function createLimiter(prefix: string, limit: number, windowSeconds: number, leased: boolean): RateLimiter {
  const local = createMemoryRateLimiter(limit, windowSeconds);
  const ratelimit = createRedisRatelimit(
    prefix,
    windowSeconds === 1 ? Ratelimit.fixedWindow(limit, "1 s") : Ratelimit.slidingWindow(limit, `${windowSeconds} s`),
  );
  if (!ratelimit) return local;
  const take = (identifier: string, rate: number): Promise<RateLimitResult> => limitThroughRedis(ratelimit, identifier, rate);
  const shared = leased ? createLeasedLimiter(take, leaseSizeFor(limit)) : { limit: (identifier: string) => take(identifier, 1) };
  return withLocalFallback(shared, local, redisBreaker());
}

function limiterFor(name: string, limit: number, windowSeconds: number, leased = false) {
  const id = `${name}:${limit}:${windowSeconds}`;
  let limiter = state.byKey.get(id);
  if (!limiter) {
    limiter = createLimiter(name, limit, windowSeconds, leased);
    state.byKey.set(id, limiter);
  }
  return limiter;
}

/** SPEC section 2: per service token, SERVICE_RATE_LIMIT_PER_SECOND. Never per API key on the usage routes. */
export function limitServiceToken(tokenId: string) {
  return limiterFor("service", env().SERVICE_RATE_LIMIT_PER_SECOND, 1, true).limit(tokenId);
}

/** SPEC section 3: a key's own requests-per-minute limit, consumed by verify. */
export function limitApiKey(keyId: string, perMinute: number) {
  return limiterFor("key", perMinute, 60).limit(keyId);
}
