import type { RateLimiter, RateLimitResult } from "./types";

type Window = { count: number; reset: number };

/**
 * A fixed-window counter per identifier in this process. Used when Upstash is not configured
 * (development, a single instance); it does not share counts between instances.
 */
export function createMemoryRateLimiter(limit: number, windowSeconds: number): RateLimiter {
  const windows = new Map<string, Window>();
  const windowMs = windowSeconds * 1000;

  function prune(now: number) {
    for (const [key, window] of windows) if (window.reset <= now) windows.delete(key);
  }

  return {
    async limit(identifier: string): Promise<RateLimitResult> {
      const now = Date.now();
      // Bounded memory: expired windows are dropped once the map grows.
      if (windows.size > 10_000) prune(now);
      let window = windows.get(identifier);
      if (!window || window.reset <= now) {
        window = { count: 0, reset: Math.floor(now / windowMs) * windowMs + windowMs };
        windows.set(identifier, window);
      }
      window.count += 1;
      return {
        success: window.count <= limit,
        limit,
        remaining: Math.max(0, limit - window.count),
        reset: window.reset,
      };
    },
  };
}
