import { describe, expect, it, vi } from "vitest";
import { createCircuitBreaker, type Clock } from "@/lib/resilience/circuit-breaker";
import { withLocalFallback } from "./fallback";
import type { RateLimiter, RateLimitResult } from "./types";

const decided = (success: boolean): RateLimitResult => ({ success, limit: 1, remaining: 0, reset: 1 });

function setUp(shared: RateLimiter["limit"]) {
  let now = 0;
  const clock: Clock & { advance(ms: number): void } = {
    now: () => now,
    setTimeout: () => () => {},
    advance: (ms) => (now += ms),
  };
  const breaker = createCircuitBreaker({ name: "Redis", timeoutMs: 500, failureThreshold: 1, cooldownMs: 2_000, clock, onStateChange: () => {} });
  const sharedLimit = vi.fn((identifier: string) => breaker.run(() => shared(identifier)));
  const localLimit = vi.fn(async () => decided(false));
  const limiter = withLocalFallback({ limit: sharedLimit }, { limit: localLimit }, breaker);
  return { clock, breaker, limiter, sharedLimit, localLimit };
}

describe("a shared limiter with a local fallback", () => {
  it("answers from Redis while the breaker is closed", async () => {
    const { limiter, localLimit } = setUp(async () => decided(true));
    expect((await limiter.limit("token")).success).toBe(true);
    expect(localLimit).not.toHaveBeenCalled();
  });

  it("counts locally when Redis fails, and while the breaker is open does not ask it", async () => {
    const { limiter, sharedLimit, localLimit } = setUp(() => Promise.reject(new Error("fetch failed")));
    expect((await limiter.limit("token")).success).toBe(false);
    expect((await limiter.limit("token")).success).toBe(false);
    expect(sharedLimit).toHaveBeenCalledTimes(1);
    expect(localLimit).toHaveBeenCalledTimes(2);
  });

  it("after the cool-down probes Redis in the background; the request waits on nothing", async () => {
    let redis: "failing" | "hanging" | "answering" = "failing";
    let finishProbe: (result: RateLimitResult) => void = () => {};
    const { clock, breaker, limiter, sharedLimit } = setUp((): Promise<RateLimitResult> => {
      if (redis === "failing") return Promise.reject(new Error("fetch failed"));
      if (redis === "hanging") return new Promise((resolve) => (finishProbe = resolve));
      return Promise.resolve(decided(true));
    });
    await limiter.limit("token");
    redis = "hanging";
    clock.advance(2_000);
    // The probe has not answered, and still each request is decided (locally) at once.
    expect(await limiter.limit("token")).toEqual(decided(false));
    expect(await limiter.limit("token")).toEqual(decided(false));
    expect(sharedLimit).toHaveBeenCalledTimes(2);
    redis = "answering";
    finishProbe(decided(true));
    await vi.waitFor(() => expect(breaker.state()).toBe("closed"));
    expect((await limiter.limit("token")).success).toBe(true);
  });
});
