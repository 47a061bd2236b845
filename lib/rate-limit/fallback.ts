import type { CircuitBreaker } from "@/lib/resilience/circuit-breaker";
import type { RateLimiter } from "./types";

/**
 * A limiter shared through Redis that, while Redis's breaker is not closed, counts the same limit in this
 * instance instead. So a hung or dead Redis costs a request at most the breaker's first timeout, never one
 * wait per request. The limit then holds per instance rather than across them, for as long as the outage.
 */
export function withLocalFallback(shared: RateLimiter, local: RateLimiter, breaker: CircuitBreaker): RateLimiter {
  return {
    async limit(identifier) {
      if (breaker.state() === "closed") {
        try {
          return await shared.limit(identifier);
        } catch {
          return local.limit(identifier);
        }
      }
      // Past the cool-down, this request's shared check is the breaker's probe. It runs in the background and
      // its answer is dropped: the request is decided here and waits on nothing.
      if (breaker.allowsCall()) void shared.limit(identifier).catch(() => undefined);
      return local.limit(identifier);
    },
  };
}
