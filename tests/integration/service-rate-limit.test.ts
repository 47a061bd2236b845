import { randomUUID } from "node:crypto";
import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLeasedLimiter } from "@/lib/service-api/leased-limiter";
import { startUpstashRestServer } from "../fakes/upstash-rest-server";

let server: Awaited<ReturnType<typeof startUpstashRestServer>>;

beforeAll(async () => {
  server = await startUpstashRestServer();
});

afterAll(() => server.close());

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

async function startOfAWindow() {
  // Fixed windows are aligned to whole seconds: start early in one so the burst cannot straddle two.
  while (Date.now() % 1000 > 100) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe("the leased per-token limit", () => {
  it("lets through exactly the limit across instances in one window, asking Redis once per lease", async () => {
    const prefix = `test:lease:${randomUUID()}`;
    const instances = [instanceLimiter(prefix, 50, 5), instanceLimiter(prefix, 50, 5)];
    await startOfAWindow();
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
    await startOfAWindow();
    const first = await Promise.all(Array.from({ length: 15 }, () => limiter.limit("token")));
    expect(first.filter((result) => result.success)).toHaveLength(10);
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 20));
    expect((await limiter.limit("token")).success).toBe(true);
  });
});
