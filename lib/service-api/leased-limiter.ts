import type { RateLimiter, RateLimitResult } from "@/lib/rate-limit";

/** Takes `rate` requests at once from the shared window (Redis), as @upstash/ratelimit's `limit(id, { rate })`. */
export type TakeFromWindow = (identifier: string, rate: number) => Promise<RateLimitResult>;

type Lease = { unspent: number; reset: number; sharedRemaining: number; limit: number };
type Refusal = RateLimitResult & { success: false };

/**
 * A limiter for the hot path that asks Redis once per lease instead of once per request: an instance takes
 * `leaseSize` requests from the shared window at once and spends them locally until the window ends.
 * Together the instances never exceed the limit; near it, leases shrink to single requests, so an instance
 * is refused only when the window is spent or the rest is leased by other instances for the same window.
 */
export function createLeasedLimiter(take: TakeFromWindow, leaseSize: number): RateLimiter {
  const leases = new Map<string, Lease>();
  const pending = new Map<string, Promise<RateLimitResult>>();
  // A spent window stays spent until it resets: refuse locally instead of asking Redis again per request.
  const refusals = new Map<string, Refusal>();

  function spend(lease: Lease): RateLimitResult {
    lease.unspent -= 1;
    return { success: true, limit: lease.limit, remaining: lease.sharedRemaining + lease.unspent, reset: lease.reset };
  }

  async function renew(identifier: string): Promise<RateLimitResult> {
    let size = leaseSize;
    let result = await take(identifier, size);
    if (!result.success && size > 1) {
      size = 1;
      result = await take(identifier, size);
    }
    if (!result.success) {
      leases.delete(identifier);
      refusals.set(identifier, { ...result, success: false });
      return result;
    }
    const lease = { unspent: size, reset: result.reset, sharedRemaining: result.remaining, limit: result.limit };
    leases.set(identifier, lease);
    return spend(lease);
  }

  async function limit(identifier: string): Promise<RateLimitResult> {
    const lease = leases.get(identifier);
    const now = Date.now();
    if (lease && lease.unspent > 0 && lease.reset > now) return spend(lease);
    const refusal = refusals.get(identifier);
    if (refusal && refusal.reset > now) return refusal;
    const inFlight = pending.get(identifier);
    if (inFlight) {
      // Another request is already renewing this lease: wait for it, then try to spend from it.
      await inFlight.catch(() => undefined);
      return limit(identifier);
    }
    const renewal = renew(identifier).finally(() => pending.delete(identifier));
    pending.set(identifier, renewal);
    return renewal;
  }

  return { limit };
}
