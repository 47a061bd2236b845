import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
import { env } from "@/lib/env";
import { createMemoryRateLimiter } from "./memory";
import type { RateLimiter, RateLimiterOptions } from "./types";

export type { RateLimiter, RateLimiterOptions, RateLimitResult } from "./types";
export { createMemoryRateLimiter } from "./memory";

let redis: Redis | undefined;

function upstash() {
  const { UPSTASH_REDIS_REST_URL: url, UPSTASH_REDIS_REST_TOKEN: token } = env();
  if (!url || !token) return undefined;
  redis ??= new Redis({ url, token });
  return redis;
}

/**
 * A limiter with one interface everywhere: Upstash's sliding window when Upstash is configured (shared by
 * every instance), otherwise an in-process fixed window.
 */
export function createRateLimiter({ prefix, limit, windowSeconds }: RateLimiterOptions): RateLimiter {
  const client = upstash();
  if (!client) return createMemoryRateLimiter(limit, windowSeconds);
  const ratelimit = new Ratelimit({
    redis: client,
    limiter: Ratelimit.slidingWindow(limit, `${windowSeconds} s`),
    prefix: `${env().REDIS_PREFIX}ratelimit:${prefix}`,
  });
  return {
    async limit(identifier) {
      const { success, limit: max, remaining, reset } = await ratelimit.limit(identifier);
      return { success, limit: max, remaining, reset };
    },
  };
}
