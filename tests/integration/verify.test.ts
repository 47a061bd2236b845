import { Pool as NeonPool } from "@neondatabase/serverless";
import { eq } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { db } from "@/db/client";
import { apiKeys, organizations } from "@/db/schema";
import { deductCredits } from "@/lib/credits";
import { env } from "@/lib/env";
import { createApiKey, generateApiKey, revokeApiKey } from "@/lib/keys";
import { startUpstashRestServer, type UpstashRestServer } from "../fakes/upstash-rest-server";
import { createOrganizationWithKey } from "../helpers/usage";

/**
 * SPEC section 2, POST /api/keys/verify, through the route and its one named prepared statement
 * (`api_key_verify`), on every driver this file runs on: pg here, @neondatabase/serverless in the `neon`
 * project. Per-key limits go through Upstash's REST API over the local redis-server, as in production.
 */

let upstash: UpstashRestServer;
let verifyRoute: (request: Request) => Promise<Response>;

beforeAll(async () => {
  upstash = await startUpstashRestServer();
  process.env.UPSTASH_REDIS_REST_URL = upstash.url;
  process.env.UPSTASH_REDIS_REST_TOKEN = upstash.token;
  process.env.USAGE_SERVICE_TOKENS = "verify-test-token";
  ({ POST: verifyRoute } = await import("@/app/api/keys/verify/route"));
  // Nothing may have read the environment before this file set Redis up.
  expect(env().UPSTASH_REDIS_REST_URL).toBe(upstash.url);
});

afterAll(async () => {
  await upstash.close();
});

async function verify(apiKey: string) {
  const response = await verifyRoute(
    new Request("http://portal.test/api/keys/verify", {
      method: "POST",
      headers: { authorization: "Bearer verify-test-token", "content-type": "application/json" },
      body: JSON.stringify({ apiKey }),
    }),
  );
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

describe("POST /api/keys/verify", () => {
  it("runs on the driver its project names", async () => {
    await verify(generateApiKey().key);
    const client = (db as unknown as { $client: unknown }).$client;
    expect(client).toBeInstanceOf(inject("databaseKind") === "neon" ? NeonPool : pg.Pool);
  });

  it("answers a usable key with its organization, balance, expiry and scopes, the same on every call", async () => {
    const expiresAt = new Date(Date.now() + 86_400_000);
    const { organization, admin, apiKey, key } = await createOrganizationWithKey(250, { expiresAt });
    // Twice: the second call runs the named statement this connection has already prepared.
    for (let call = 0; call < 2; call++) {
      expect(await verify(key)).toEqual({
        valid: true,
        keyId: apiKey.id,
        organizationId: organization.id,
        remainingCredits: 250,
        expiresAt: expiresAt.toISOString(),
        scopes: ["query", "public"],
      });
    }
    const other = await createApiKey({ organizationId: organization.id, createdByUserId: admin.id, name: "no expiry", scopes: ["query"] });
    expect(await verify(other.key)).toMatchObject({ valid: true, keyId: other.apiKey.id, expiresAt: null, scopes: ["query"] });
  });

  it("answers NOT_FOUND, REVOKED, EXPIRED, DISABLED and INSUFFICIENT_CREDITS", async () => {
    expect(await verify("not a key")).toEqual({ valid: false, code: "NOT_FOUND" });
    expect(await verify(generateApiKey().key)).toEqual({ valid: false, code: "NOT_FOUND" });

    const revoked = await createOrganizationWithKey(100);
    await revokeApiKey({ organizationId: revoked.organization.id, keyId: revoked.apiKey.id, actorUserId: revoked.admin.id });
    expect(await verify(revoked.key)).toEqual({ valid: false, code: "REVOKED" });

    const expired = await createOrganizationWithKey(100, { expiresAt: new Date(Date.now() + 3_600_000) });
    await db.update(apiKeys).set({ expiresAt: new Date(Date.now() - 1_000) }).where(eq(apiKeys.id, expired.apiKey.id));
    expect(await verify(expired.key)).toEqual({ valid: false, code: "EXPIRED" });

    const disabled = await createOrganizationWithKey(100);
    await db.update(organizations).set({ disabledAt: new Date() }).where(eq(organizations.id, disabled.organization.id));
    expect(await verify(disabled.key)).toEqual({ valid: false, code: "DISABLED" });

    const spent = await createOrganizationWithKey(10);
    expect(await verify(spent.key)).toMatchObject({ valid: true, remainingCredits: 10 });
    await deductCredits({ organizationId: spent.organization.id, credits: 10, reference: `verify-test:${spent.apiKey.id}` });
    expect(await verify(spent.key)).toEqual({ valid: false, code: "INSUFFICIENT_CREDITS" });
  });

  it("consumes the key's own rate limit, answering RATE_LIMITED past it with the same rateLimit object", async () => {
    const { key } = await createOrganizationWithKey(100, { rateLimitPerMinute: 2 });
    // A reset is the end of the window the server saw the request in, so it can pass before the answer arrives.
    const firstSentAt = Date.now();
    const answers = [await verify(key), await verify(key), await verify(key)];
    expect(answers.map((answer) => [answer.valid, answer.code])).toEqual([[true, undefined], [true, undefined], [false, "RATE_LIMITED"]]);
    expect(answers.map((answer) => (answer.rateLimit as { remaining: number }).remaining)).toEqual([1, 0, 0]);
    for (const answer of answers) {
      expect(answer.rateLimit).toMatchObject({ limit: 2 });
      expect((answer.rateLimit as { reset: number }).reset).toBeGreaterThan(firstSentAt);
    }
  });
});
