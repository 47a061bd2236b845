import { randomUUID } from "node:crypto";
import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createLeasedLimiter } from "@/lib/service-api/leased-limiter";
import { startUpstashRestServer } from "../fakes/upstash-rest-server";

let server: Awaited<ReturnType<typeof startUpstashRestServer>>;

beforeAll(async () => {
  server = await startUpstashRestServer();
});

afterAll(() => server.close());

afterEach(() => {
  vi.useRealTimers();
});

/** One app instance's per-token limiter: @upstash/ratelimit over real Redis, leased like the service routes. */
function instanceLimiter(prefix: string, limit: number, leaseSize: number) {
  const ratelimit = new Ratelimit({
    redis: new Redis({ url: server.url, token: server.token, retry: false, enableTelemetry: false }),
    limiter: Ratelimit.fixedWindow(limit, "1 s"),
    prefix,
    analytics: false,
  });
  return createLeasedLimiter(async (identifier, rate) => ratelimit.limit(identifier, { rate }), leaseSize);
}

/**
 * @upstash/ratelimit names a fixed window's Redis key after the client's clock (`Math.floor(Date.now() / 1000)`
 * for a 1 s window), and the leased limiter spends a lease until its `reset` by that clock too. So the test sets
 * that clock instead of waiting for a boundary: frozen at the start of a window, a burst cannot straddle two,
 * and one second later is the next window. Only `Date` is faked; timers, sockets and Redis run for real, and the
 * window keys in Redis still expire on Redis's own clock, a second after they were written.
 */
function freezeClockAtStartOfAWindow() {
  const start = Math.ceil(Date.now() / 1000) * 1000 + 1000;
  vi.useFakeTimers({ toFake: ["Date"], now: start });
  return start;
}

describe("the leased per-token limit", () => {
  it("lets through exactly the limit across instances in one window, asking Redis once per lease", async () => {
    const prefix = `test:lease:${randomUUID()}`;
    const instances = [instanceLimiter(prefix, 50, 5), instanceLimiter(prefix, 50, 5)];
    freezeClockAtStartOfAWindow();
    const before = server.requestCount();
    const results = await Promise.all(
      Array.from({ length: 120 }, (_, index) => instances[index % 2]!.limit("service-token")),
    );
    expect(results.filter((result) => result.success)).toHaveLength(50);
    // 10 leases of 5, plus each instance's refused lease and refused single request; nothing per request.
    expect(server.requestCount() - before).toBeLessThanOrEqual(14);
    const refused = results.filter((result) => !result.success);
    expect(refused).toHaveLength(70);
    expect(refused.every((result) => result.remaining === 0 && result.reset > Date.now())).toBe(true);
  });

  it("starts afresh in the next window", async () => {
    const limiter = instanceLimiter(`test:lease:${randomUUID()}`, 10, 5);
    const start = freezeClockAtStartOfAWindow();
    const first = await Promise.all(Array.from({ length: 15 }, () => limiter.limit("token")));
    expect(first.filter((result) => result.success)).toHaveLength(10);
    // Another token spends one request of a lease of five: four are left when the window ends.
    expect(await limiter.limit("partly spent")).toMatchObject({ success: true, remaining: 9, reset: start + 1000 });
    expect(first.every((result) => result.reset === start + 1000)).toBe(true);
    // In the window's last millisecond it is still spent (answered from the refusal this instance keeps)...
    vi.setSystemTime(start + 999);
    expect(await limiter.limit("token")).toMatchObject({ success: false, remaining: 0, reset: start + 1000 });
    // ...and the next one starts afresh: a new lease from a new window. (A millisecond in: @upstash/ratelimit's
    // in-memory cache keeps a refused identifier blocked through the reset millisecond itself.)
    vi.setSystemTime(start + 1001);
    const before = server.requestCount();
    const next = await Promise.all(Array.from({ length: 15 }, () => limiter.limit("token")));
    expect(next.filter((result) => result.success)).toHaveLength(10);
    expect(next.find((result) => result.success)).toMatchObject({ reset: start + 2000 });
    expect(server.requestCount()).toBeGreaterThan(before);
    // A lease ends with its window, unspent or not: the next request takes a new one from the new window.
    expect(await limiter.limit("partly spent")).toMatchObject({ success: true, remaining: 9, reset: start + 2000 });
  });
});
