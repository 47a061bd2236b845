import { randomUUID } from "node:crypto";
import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { POST as verifyRoute } from "@/app/api/keys/verify/route";
import { POST as usageRoute } from "@/app/api/usage/route";
import { allowAuthAttempt } from "@/lib/auth/rate-limit";
import { cacheKeys, enqueueMirrorWrites, flushMirror, getCacheStore, pendingMirrorWrites } from "@/lib/cache";
import { env } from "@/lib/env";
import { checkReadiness } from "@/lib/health";
import { redisBreaker } from "@/lib/resilience/redis";
import { limitApiKey, limitServiceToken } from "@/lib/service-api/limiters";
import { startUpstashRestServer, type UpstashRestServer } from "../fakes/upstash-rest-server";
import { createOrganizationWithKey, eventually } from "../helpers/usage";

/**
 * Issue 8, items 3 and 4: Redis alive but silent (SIGSTOP, here the fake's hang switch) or gone (killed).
 * The limiters must decide locally after at most one timeout, without asking Redis per request, and share
 * their counts through Redis again once it answers; sign-in must not fail; /api/health says "degraded".
 */

const perSecond = 50;
let server: UpstashRestServer;
let port: number;

beforeAll(async () => {
  server = await startUpstashRestServer();
  port = Number(new URL(server.url).port);
  process.env.UPSTASH_REDIS_REST_URL = server.url;
  process.env.UPSTASH_REDIS_REST_TOKEN = server.token;
  process.env.SERVICE_RATE_LIMIT_PER_SECOND = String(perSecond);
  process.env.AUTH_RATE_LIMIT_PER_EMAIL = "3";
  process.env.AUTH_RATE_LIMIT_PER_IP = "100";
  process.env.USAGE_SERVICE_TOKENS = "outage-service-token";
  // Nothing may have read the environment before this file set Redis up.
  expect(env().UPSTASH_REDIS_REST_URL).toBe(server.url);
});

afterAll(async () => {
  server.setHung(false);
  await server.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function startOfAWindow() {
  // Fixed windows are aligned to whole seconds: start early in one so the checks cannot straddle two.
  while (Date.now() % 1000 > 100) await sleep(5);
}

/** Another instance spends the token's whole window in Redis: this instance must then be refused. */
async function expectSharedServiceLimit() {
  const token = `shared-${randomUUID()}`;
  const otherInstance = new Ratelimit({
    redis: new Redis({ url: server.url, token: server.token, retry: false, enableTelemetry: false }),
    limiter: Ratelimit.fixedWindow(perSecond, "1 s"),
    prefix: `${env().REDIS_PREFIX}ratelimit:service`,
    analytics: false,
  });
  await startOfAWindow();
  expect((await otherInstance.limit(token, { rate: perSecond })).success).toBe(true);
  expect((await limitServiceToken(token)).success).toBe(false);
}

/** Calls `call` up to `count` times in sequence, but stops after `budgetMs` (the unfixed code takes a second per call). */
async function sequential<T>(count: number, call: () => Promise<T>, budgetMs = 8_000) {
  const started = Date.now();
  const results: T[] = [];
  while (results.length < count && Date.now() - started < budgetMs) results.push(await call());
  return results;
}

/** Once Redis answers again, the breaker closes (after its cool-down, on a probe) and the limits are shared again. */
async function expectRecovered() {
  await eventually(async () => {
    await limitServiceToken(`probe-${randomUUID()}`);
    return redisBreaker().state() === "closed";
  });
  await expectSharedServiceLimit();
}

async function killServer() {
  await server.close();
}

async function restartServer() {
  server = await startUpstashRestServer({ port });
}

describe("the service limiters during a Redis outage", () => {
  it("share the per-token limit through Redis while it answers", async () => {
    await expectSharedServiceLimit();
  });

  it("decide locally, with the same limit, after one timeout when Redis hangs, and share again when it resumes", async () => {
    const token = `hung-${randomUUID()}`;
    server.setHung(true);
    const before = server.requestCount();
    const results = await sequential(200, () => limitServiceToken(token));
    expect(results).toHaveLength(200);
    // A handful of attempts at most: one renewal that times out, maybe a probe; never one per request.
    expect(server.requestCount() - before).toBeLessThanOrEqual(3);
    // Decided locally with the same limit: 200 calls in a second or two cannot all pass 50 per second.
    const allowed = results.filter((result) => result.success).length;
    expect(allowed).toBeGreaterThanOrEqual(perSecond);
    expect(allowed).toBeLessThanOrEqual(3 * perSecond);
    expect(results.every((result) => result.reset > Date.now() - 5_000)).toBe(true);

    // The verify route's per-key limit is decided locally too, without another attempt.
    const keyId = randomUUID();
    const attemptsBefore = server.requestCount();
    const verifies = await sequential(5, () => limitApiKey(keyId, 3));
    expect(verifies.map((result) => result.success)).toEqual([true, true, true, false, false]);
    expect(server.requestCount() - attemptsBefore).toBeLessThanOrEqual(1);
    expect(redisBreaker().state()).not.toBe("closed");

    server.setHung(false);
    await expectRecovered();
  });

  it("decide locally when Redis is killed, and share again once it is back", async () => {
    await killServer();
    try {
      const token = `killed-${randomUUID()}`;
      const results = await sequential(200, () => limitServiceToken(token));
      expect(results).toHaveLength(200);
      const allowed = results.filter((result) => result.success).length;
      expect(allowed).toBeGreaterThanOrEqual(perSecond);
      expect(allowed).toBeLessThanOrEqual(3 * perSecond);
      expect(redisBreaker().state()).not.toBe("closed");
    } finally {
      await restartServer();
    }
    await expectRecovered();
  });
});

describe("the usage and verify routes during a Redis outage", () => {
  function post(route: (request: Request) => Promise<Response>, body: unknown) {
    return route(
      new Request("http://portal.test/api/usage", {
        method: "POST",
        headers: { authorization: "Bearer outage-service-token", "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
  }

  it("keep answering while Redis hangs, asking it a handful of times in all, not once per request", async () => {
    // Far above the low-credit threshold, so no alert email is part of this test.
    const { key } = await createOrganizationWithKey(100_000, { rateLimitPerMinute: 5 });
    await flushMirror();
    server.setHung(true);
    const before = server.requestCount();
    // Fewer than the 50 a second the per-token limit allows, counted locally or not.
    const reports = await sequential(40, async () => (await post(usageRoute, { apiKey: key, requestId: randomUUID(), credits: 1 })).status);
    const verifies = await sequential(7, async () => (await (await post(verifyRoute, { apiKey: key })).json()) as { valid: boolean; code?: string });
    const attempts = server.requestCount() - before;
    server.setHung(false);

    expect(reports).toEqual(Array.from({ length: 40 }, () => 200));
    // The key's own limit (5 a minute) still holds, counted in this instance.
    expect(verifies.map((answer) => answer.valid)).toEqual([true, true, true, true, true, false, false]);
    expect(verifies[5]).toMatchObject({ code: "RATE_LIMITED" });
    // The lease renewal that timed out, perhaps a mirror flush begun before it and a probe: nothing per request.
    expect(attempts).toBeLessThanOrEqual(4);
    await expectRecovered();
  });
});

describe("the sign-in, sign-up and reset limiters during a Redis outage", () => {
  const identity = () => ({ ipAddress: "203.0.113.9", email: `outage-${randomUUID()}@example.com` });

  it("fall back to this instance's counts after one timeout when Redis hangs", async () => {
    const who = identity();
    server.setHung(true);
    const before = server.requestCount();
    const answers = await sequential(5, () => allowAuthAttempt("sign-in", who));
    // AUTH_RATE_LIMIT_PER_EMAIL is 3 in this file: the limit still holds, counted locally.
    expect(answers).toEqual([true, true, true, false, false]);
    // At most the first attempt's two checks (per IP and per email) reached Redis.
    expect(server.requestCount() - before).toBeLessThanOrEqual(2);
    server.setHung(false);
    await expectRecovered();
  });

  it("answer instead of failing when Redis is killed", async () => {
    const who = identity();
    await killServer();
    try {
      const answers = await sequential(5, () => allowAuthAttempt("reset", who));
      expect(answers).toEqual([true, true, true, false, false]);
    } finally {
      await restartServer();
    }
    await expectRecovered();
  });

  it("count through Redis again once it answers", async () => {
    const who = identity();
    const results = await Promise.all([1, 2, 3, 4].map(() => allowAuthAttempt("sign-up", who)));
    expect(results.filter(Boolean)).toHaveLength(3);
    expect(redisBreaker().state()).toBe("closed");
  });
});

describe("the Redis mirror during an outage", () => {
  it("gives up on a hung Redis within a timeout, keeps the write queued and sends it once Redis answers", async () => {
    const key = cacheKeys.credits(`outage-${randomUUID()}`);
    server.setHung(true);
    try {
      enqueueMirrorWrites([{ kind: "balance", key, balance: 42, version: 1 }]);
      const settled = await Promise.race([flushMirror().then(() => true), sleep(5_000).then(() => false)]);
      expect(settled).toBe(true);
      expect(pendingMirrorWrites()).toBeGreaterThan(0);
      expect(redisBreaker().state()).not.toBe("closed");
    } finally {
      // The held request is lost, as with a Redis that died while stopped: only the mirror's retry can deliver.
      server.setHung(false, { drop: true });
    }
    await eventually(async () => (await getCacheStore().get(key)) === "42");
    expect(pendingMirrorWrites()).toBe(0);
  });
});

describe("GET /api/health during a Redis outage", () => {
  async function readHealth() {
    const response = await health();
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  }

  it("answers ok while both answer", async () => {
    expect(await readHealth()).toEqual({ status: 200, body: { status: "ok", db: "ok", cache: "ok" } });
  });

  const degraded = { status: 200, body: { status: "degraded", db: "ok", cache: "down" } };
  const recovered = () => eventually(async () => (await readHealth()).body.status === "ok");

  it("answers 200 degraded when the cache hangs or is gone, so the load balancer keeps the instance", async () => {
    server.setHung(true);
    try {
      expect(await readHealth()).toEqual(degraded);
      // The breaker is open now: the next checks answer at once, without asking the hung Redis.
      const before = server.requestCount();
      expect(await readHealth()).toEqual(degraded);
      expect(server.requestCount()).toBe(before);
    } finally {
      server.setHung(false);
    }
    await recovered();
    await killServer();
    try {
      expect(await readHealth()).toEqual(degraded);
    } finally {
      await restartServer();
    }
    await recovered();
  });

  it("answers 503 only when the database is down", async () => {
    const failing = () => Promise.reject(new Error("connection refused"));
    const ok = () => Promise.resolve(true);
    expect(await checkReadiness({ database: failing, cache: ok })).toEqual({
      ready: false,
      body: { status: "down", db: "down", cache: "ok" },
    });
    expect((await checkReadiness({ database: failing, cache: failing })).body).toEqual({ status: "down", db: "down", cache: "down" });
  });
});
