export type RateLimitResult = {
  success: boolean;
  limit: number;
  remaining: number;
  /** Unix time in milliseconds when the window resets. */
  reset: number;
};

export type RateLimiter = { limit: (identifier: string) => Promise<RateLimitResult> };

export type RateLimiterOptions = {
  /** Namespaces the counters, e.g. "auth:sign-in:ip". */
  prefix: string;
  limit: number;
  windowSeconds: number;
};
