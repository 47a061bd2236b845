import { Ratelimit } from "@upstash/ratelimit";
import { redisBreaker } from "@/lib/resilience/redis";
import { withLocalFallback } from "./fallback";
import { createMemoryRateLimiter } from "./memory";
import { createRedisRatelimit, limitThroughRedis } from "./redis";
import type { RateLimiter, RateLimiterOptions } from "./types";

export type { RateLimiter, RateLimiterOptions, RateLimitResult } from "./types";
export { createMemoryRateLimiter } from "./memory";
export { withLocalFallback } from "./fallback";
export { createRedisRatelimit, limitThroughRedis } from "./redis";

/**
 * A limiter with one interface everywhere: Upstash's sliding window when Upstash is configured (shared by
 * every instance), otherwise an in-process fixed window. While Redis is slow or down, the Upstash limiter
 * counts in this process too, with the same limit, instead of failing or waiting (sign-in must keep working).
 */
export function createRateLimiter({ prefix, limit, windowSeconds }: RateLimiterOptions): RateLimiter {
  const local = createMemoryRateLimiter(limit, windowSeconds);
  const ratelimit = createRedisRatelimit(prefix, Ratelimit.slidingWindow(limit, `${windowSeconds} s`));
  if (!ratelimit) return local;
  const shared: RateLimiter = { limit: (identifier) => limitThroughRedis(ratelimit, identifier) };
  return withLocalFallback(shared, local, redisBreaker());
}
