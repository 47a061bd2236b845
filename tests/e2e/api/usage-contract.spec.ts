import { eq, sql } from "drizzle-orm";
import { expect, test } from "@playwright/test";
import { db } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { exhaustServiceToken, serviceHeaders, serviceTestKit } from "../support/service-api";

let kit: Awaited<ReturnType<typeof serviceTestKit>>;
test.beforeAll(async () => {
  kit = await serviceTestKit();
});

const usage = (body: Record<string, unknown>) => ({ headers: serviceHeaders(), data: body });

/**
 * Moves a key's expiry (or a rolled key's grace end) to just past, by the database's clock, which is the one
 * the usage and verify statements compare with (`expires_at <= now()`): no waiting for the time to come.
 */
async function expireInDatabase(keyId: string) {
  const [row] = await db.update(apiKeys).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(apiKeys.id, keyId)).returning({ id: apiKeys.id });
  expect(row?.id).toBe(keyId);
}

const hourFromNow = () => new Date(Date.now() + 3_600_000);

test.describe("POST /api/usage", () => {
  test("401 without a valid service token", async ({ request }) => {
    for (const path of ["/api/usage", "/api/usage/batch", "/api/keys/verify"]) {
      const missing = await request.post(path, { data: {} });
      expect(missing.status()).toBe(401);
      expect(await missing.json()).toMatchObject({ success: false, error: "unauthorized" });
      const wrong = await request.post(path, { headers: serviceHeaders("not-a-token"), data: {} });
      expect(wrong.status()).toBe(401);
    }
  });

  test("200, then the same answer as a duplicate, 409 for another body, 402 when short", async ({ request }) => {
    const { key, organization } = await kit.createOrganizationWithKey(100);
    const body = { apiKey: key, requestId: "req-1", credits: 30, endpoint: "/v1/query", metadata: { rows: 3 } };
    const first = await request.post("/api/usage", usage(body));
    expect(first.status()).toBe(200);
    const answer = await first.json();
    expect(answer).toMatchObject({ success: true, remainingCredits: 70, duplicate: false });
    expect(new Date(answer.usageDateTime).toISOString()).toBe(answer.usageDateTime);

    const again = await request.post("/api/usage", usage(body));
    expect(again.status()).toBe(200);
    expect(await again.json()).toEqual({ ...answer, duplicate: true });

    const conflict = await request.post("/api/usage", usage({ ...body, credits: 31 }));
    expect(conflict.status()).toBe(409);
    expect(await conflict.json()).toMatchObject({ success: false, error: "idempotency_conflict" });

    const short = await request.post("/api/usage", usage({ apiKey: key, requestId: "req-2", credits: 71 }));
    expect(short.status()).toBe(402);
    expect(await short.json()).toMatchObject({ success: false, error: "insufficient_credits", remainingCredits: 70 });
    expect(await kit.credits.getBalance(organization.id)).toBe(70);
    expect(await kit.credits.sumLedger(organization.id)).toBe(70);
  });

  test("400 invalid_request with the zod issues", async ({ request }) => {
    const { key } = await kit.createOrganizationWithKey(10);
    const cases = [
      { requestId: "a", credits: 1 },
      { apiKey: key, requestId: "a", credits: 0 },
      { apiKey: key, requestId: "a", credits: 1.5 },
      { apiKey: key, requestId: "a", credits: 1_000_001 },
      { apiKey: key, requestId: "x".repeat(129), credits: 1 },
      { apiKey: key, requestId: "a", credits: 1, endpoint: "e".repeat(201) },
      { apiKey: key, requestId: "a", credits: 1, metadata: { blob: "m".repeat(5000) } },
      { apiKey: key, requestId: "a", credits: 1, occurredAt: "yesterday" },
    ];
    for (const data of cases) {
      const response = await request.post("/api/usage", usage(data));
      expect(response.status()).toBe(400);
      const body = await response.json();
      expect(body).toMatchObject({ success: false, error: "invalid_request" });
      expect(body.issues.length).toBeGreaterThan(0);
    }
    const badJson = await request.post("/api/usage", { headers: serviceHeaders(), data: "{not json" });
    expect(badJson.status()).toBe(400);
  });

  test("413 payload_too_large over 64 KB", async ({ request }) => {
    const response = await request.post("/api/usage", usage({ apiKey: "k", requestId: "a", credits: 1, padding: "p".repeat(70_000) }));
    expect(response.status()).toBe(413);
    expect(await response.json()).toMatchObject({ success: false, error: "payload_too_large" });
  });

  test("403 for unknown, revoked and expired keys", async ({ request }) => {
    const unknown = await request.post("/api/usage", usage({ apiKey: `dz_live_${"1".repeat(40)}`, requestId: "a", credits: 1 }));
    expect(unknown.status()).toBe(403);
    expect((await unknown.json()).error).toBe("invalid_api_key");

    const revoked = await kit.createOrganizationWithKey(10);
    await kit.keys.revokeApiKey({ organizationId: revoked.organization.id, keyId: revoked.apiKey.id, actorUserId: null });
    const revokedAnswer = await request.post("/api/usage", usage({ apiKey: revoked.key, requestId: "a", credits: 1 }));
    expect(revokedAnswer.status()).toBe(403);
    expect((await revokedAnswer.json()).error).toBe("revoked_api_key");

    const expired = await kit.createOrganizationWithKey(10, { expiresAt: hourFromNow() });
    expect((await request.post("/api/usage", usage({ apiKey: expired.key, requestId: "before", credits: 1 }))).status()).toBe(200);
    await expireInDatabase(expired.apiKey.id);
    const expiredAnswer = await request.post("/api/usage", usage({ apiKey: expired.key, requestId: "a", credits: 1 }));
    expect(expiredAnswer.status()).toBe(403);
    expect((await expiredAnswer.json()).error).toBe("expired_api_key");
    expect(await kit.credits.getBalance(expired.organization.id)).toBe(9);
  });

  test("a rolled key's old secret works until the grace period ends, then fails", async ({ request }) => {
    const { key, apiKey, organization } = await kit.createOrganizationWithKey(50);
    const rolledAt = Date.now();
    const rolled = await kit.keys.rollApiKey({ organizationId: organization.id, keyId: apiKey.id, graceHours: 2, actorUserId: null });
    // The grace end the roll set: two hours from now.
    const graceEnd = rolled.previous.expiresAt!.getTime();
    expect(graceEnd).toBeGreaterThanOrEqual(rolledAt + 2 * 3_600_000 - 5_000);
    expect(graceEnd).toBeLessThanOrEqual(Date.now() + 2 * 3_600_000 + 5_000);
    expect(rolled.apiKey.expiresAt).toBeNull();
    expect((await request.post("/api/usage", usage({ apiKey: key, requestId: "old-1", credits: 1 }))).status()).toBe(200);
    expect((await request.post("/api/usage", usage({ apiKey: rolled.key, requestId: "new-1", credits: 1 }))).status()).toBe(200);
    // The grace period ends: its end is set in the past rather than waited for.
    await expireInDatabase(apiKey.id);
    const late = await request.post("/api/usage", usage({ apiKey: key, requestId: "old-2", credits: 1 }));
    expect(late.status()).toBe(403);
    expect((await late.json()).error).toBe("expired_api_key");
    expect((await request.post("/api/usage", usage({ apiKey: rolled.key, requestId: "new-2", credits: 1 }))).status()).toBe(200);
    // A retry of a report the old key made in its grace period is still its first answer, not a refusal.
    expect(await (await request.post("/api/usage", usage({ apiKey: key, requestId: "old-1", credits: 1 }))).json()).toMatchObject({ duplicate: true });
    expect(await kit.credits.getBalance(organization.id)).toBe(47);
  });

  test("429 rate_limited per service token, with Retry-After and X-RateLimit-* headers", async ({ request }) => {
    await exhaustServiceToken("e2e-second-token", kit.stackEnv.REDIS_PREFIX!);
    const response = await request.post("/api/usage", { headers: serviceHeaders("e2e-second-token"), data: {} });
    expect(response.status()).toBe(429);
    expect(await response.json()).toMatchObject({ success: false, error: "rate_limited" });
    expect(Number(response.headers()["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(response.headers()["x-ratelimit-limit"]).toBe("2000");
    expect(response.headers()["x-ratelimit-remaining"]).toBe("0");
    const other = await request.post("/api/usage", usage({}));
    expect(other.status()).toBe(400);
    expect(other.headers()["x-ratelimit-limit"]).toBe("2000");
  });
});

test.describe("POST /api/usage/batch", () => {
  test("answers every event in order; limits the count and the size", async ({ request }) => {
    const { key } = await kit.createOrganizationWithKey(10);
    const response = await request.post("/api/usage/batch", {
      headers: serviceHeaders(),
      data: { events: [{ apiKey: key, requestId: "b1", credits: 8 }, { apiKey: key, requestId: "b2", credits: 8 }, { requestId: "b3" }] },
    });
    expect(response.status()).toBe(200);
    const { results } = await response.json();
    expect(results[0]).toMatchObject({ index: 0, success: true, remainingCredits: 2, duplicate: false });
    expect(results[1]).toMatchObject({ index: 1, success: false, error: "insufficient_credits", remainingCredits: 2 });
    expect(results[2]).toMatchObject({ index: 2, success: false, error: "invalid_request" });

    const tooMany = await request.post("/api/usage/batch", { headers: serviceHeaders(), data: { events: Array.from({ length: 1001 }, () => ({})) } });
    expect(tooMany.status()).toBe(400);
    const tooBig = await request.post("/api/usage/batch", { headers: serviceHeaders(), data: { events: [{ padding: "p".repeat(4.2 * 1024 * 1024) }] } });
    expect(tooBig.status()).toBe(413);
  });
});

test.describe("POST /api/keys/verify", () => {
  const verify = (apiKey: string) => ({ headers: serviceHeaders(), data: { apiKey } });

  test("reports valid keys and each reason a key is not", async ({ request }) => {
    const ok = await kit.createOrganizationWithKey(25);
    const valid = await request.post("/api/keys/verify", verify(ok.key));
    expect(valid.status()).toBe(200);
    expect(await valid.json()).toEqual({
      valid: true,
      keyId: ok.apiKey.id,
      organizationId: ok.organization.id,
      remainingCredits: 25,
      expiresAt: null,
      scopes: ["query", "public"],
    });
    expect(await (await request.post("/api/keys/verify", verify(`dz_live_${"2".repeat(40)}`))).json()).toEqual({ valid: false, code: "NOT_FOUND" });

    const empty = await kit.createOrganizationWithKey(0);
    expect((await (await request.post("/api/keys/verify", verify(empty.key))).json()).code).toBe("INSUFFICIENT_CREDITS");

    const disabled = await kit.createOrganizationWithKey(5);
    await db.update(kit.organizations).set({ disabledAt: new Date() }).where(eq(kit.organizations.id, disabled.organization.id));
    expect((await (await request.post("/api/keys/verify", verify(disabled.key))).json()).code).toBe("DISABLED");

    // Verify answers from the instance's memory: a change made elsewhere reaches it within a second (SPEC, issue 11).
    const codeOf = async (key: string) => (await (await request.post("/api/keys/verify", verify(key))).json()).code;
    await kit.keys.revokeApiKey({ organizationId: ok.organization.id, keyId: ok.apiKey.id, actorUserId: null });
    await expect.poll(() => codeOf(ok.key), { timeout: 1_000 }).toBe("REVOKED");

    const expired = await kit.createOrganizationWithKey(5, { expiresAt: hourFromNow() });
    expect(await (await request.post("/api/keys/verify", verify(expired.key))).json()).toMatchObject({ valid: true, expiresAt: expired.apiKey.expiresAt!.toISOString() });
    await expireInDatabase(expired.apiKey.id);
    await expect.poll(() => codeOf(expired.key), { timeout: 1_000 }).toBe("EXPIRED");
    expect((await request.post("/api/keys/verify", { headers: serviceHeaders(), data: {} })).status()).toBe(400);
  });

  test("consumes the key's own rate limit and reports it", async ({ request }) => {
    const limited = await kit.createOrganizationWithKey(5, { rateLimitPerMinute: 2 });
    const first = await (await request.post("/api/keys/verify", verify(limited.key))).json();
    expect(first).toMatchObject({ valid: true, rateLimit: { limit: 2, remaining: 1 } });
    await request.post("/api/keys/verify", verify(limited.key));
    // The reset is the end of the window the server saw the request in, so it can pass before the answer arrives.
    const thirdSentAt = Date.now();
    const third = await (await request.post("/api/keys/verify", verify(limited.key))).json();
    expect(third).toMatchObject({ valid: false, code: "RATE_LIMITED", rateLimit: { limit: 2, remaining: 0 } });
    expect(third.rateLimit.reset).toBeGreaterThan(thirdSentAt);
  });
});
