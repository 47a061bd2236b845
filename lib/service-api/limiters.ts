import { Ratelimit } from "@upstash/ratelimit";
import { createUpstashClient } from "@/lib/cache/store";
import { env } from "@/lib/env";
import { createMemoryRateLimiter, type RateLimiter, type RateLimitResult } from "@/lib/rate-limit";
import { createLeasedLimiter } from "./leased-limiter";

/**
 * Limiters of the service routes. Unlike lib/rate-limit's general limiter, these sit on the billing hot
 * path, so they use a client without SDK retries, a short timeout, and fail open: when Redis is down a
 * usage report must still be recorded, and the portal must not wait seconds per request to find out.
 */

const failOpenMs = 5_000;
const globalForLimiters = globalThis as typeof globalThis & {
  __serviceLimiters?: { byKey: Map<string, RateLimiter>; redisDownUntil: number };
};
const state = (globalForLimiters.__serviceLimiters ??= { byKey: new Map(), redisDownUntil: 0 });

// The per-token limit leases this share of a window per Redis call (at most 100 requests), so the usage
// routes ask Redis about once per 100 requests instead of once per request.
const leaseSizeFor = (limit: number) => Math.max(1, Math.min(100, Math.floor(limit / 20)));

function createLimiter(prefix: string, limit: number, windowSeconds: number, leased: boolean): RateLimiter {
  const client = createUpstashClient({ deserialize: true });
  if (!client) return createMemoryRateLimiter(limit, windowSeconds);
  const ratelimit = new Ratelimit({
    redis: client,
    limiter: windowSeconds === 1 ? Ratelimit.fixedWindow(limit, "1 s") : Ratelimit.slidingWindow(limit, `${windowSeconds} s`),
    prefix: `${env().REDIS_PREFIX}ratelimit:${prefix}`,
    analytics: false,
    timeout: 1_000,
  });
  const take = async (identifier: string, rate: number): Promise<RateLimitResult> => {
    const allowed = { success: true, limit, remaining: limit, reset: Date.now() + windowSeconds * 1000 };
    if (Date.now() < state.redisDownUntil) return allowed;
    try {
      const { success, limit: max, remaining, reset } = await ratelimit.limit(identifier, { rate });
      return { success, limit: max, remaining, reset };
    } catch (error) {
      state.redisDownUntil = Date.now() + failOpenMs;
      console.error("[rate-limit] Redis unavailable, allowing requests for now:", (error as Error).message);
      return allowed;
    }
  };
  return leased ? createLeasedLimiter(take, leaseSizeFor(limit)) : { limit: (identifier) => take(identifier, 1) };
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
