import { createHash } from "node:crypto";
import { request as playwrightRequest, type APIRequestContext } from "@playwright/test";
import Redis from "ioredis";
import { readStackEnv } from "./stack-env";

/** Points this test process's lib/ code at the running app's database before anything reads the environment. */
export async function serviceTestKit() {
  const stackEnv = readStackEnv();
  process.env.DATABASE_URL = stackEnv.DATABASE_URL;
  // The mirror's key names (lib/cache/keys.ts) too, for specs that point this process's mirror at the stack's Redis.
  process.env.REDIS_PREFIX = stackEnv.REDIS_PREFIX;
  const [{ createOrganizationWithKey }, keys, credits, orgs] = await Promise.all([
    import("../../helpers/usage"),
    import("@/lib/keys"),
    import("@/lib/credits"),
    import("@/db/schema"),
  ]);
  return { stackEnv, createOrganizationWithKey, keys, credits, organizations: orgs.organizations };
}

export const serviceToken = "e2e-service-token";

export function serviceHeaders(token = serviceToken) {
  return { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
}

/**
 * Fills a service token's current and next rate-limit windows in Redis, as `SERVICE_RATE_LIMIT_PER_SECOND`
 * requests would, so the 429 path runs for real without sending thousands of requests.
 */
export async function exhaustServiceToken(token: string, redisPrefix: string) {
  const redis = new Redis("redis://127.0.0.1:6379");
  const identifier = createHash("sha256").update(token).digest("hex").slice(0, 16);
  const bucket = Math.floor(Date.now() / 1000);
  for (let offset = 0; offset < 5; offset++) {
    await redis.set(`${redisPrefix}ratelimit:service:${identifier}:${bucket + offset}`, "1000000000", "PX", 10_000);
  }
  redis.disconnect();
}

export async function newRequestContext(baseURL: string): Promise<APIRequestContext> {
  return playwrightRequest.newContext({ baseURL });
}
