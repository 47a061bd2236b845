import { inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { cacheKeys, flushMirror, getCacheStore, pendingMirrorWrites } from "@/lib/cache";
import { resyncMirror } from "@/lib/cache/resync";
import { mirrorChangesBetween } from "@/lib/cache/sweep";
import { getBalance, grantCredits, sumLedger } from "@/lib/credits";
import { createApiKey, hashApiKey, revokeApiKey, rollApiKey } from "@/lib/keys";
import { reportUsage } from "@/lib/usage/report";
import { createOrganizationWithKey, eventually, setUpRedisMirror } from "../helpers/usage";

const mirror = setUpRedisMirror();

const keyHash = (key: string) => getCacheStore().getHash(cacheKeys.apiKey(hashApiKey(key)));
const credits = (organizationId: string) => getCacheStore().get(cacheKeys.credits(organizationId));

describe("the Redis mirror", () => {
  it("holds each key and balance right after every change", async () => {
    const { organization, key, apiKey, admin } = await createOrganizationWithKey(500);
    await flushMirror();
    expect(await keyHash(key)).toEqual({
      keyId: apiKey.id,
      organizationId: organization.id,
      status: "active",
      expiresAt: "",
      scopes: "query,public",
    });
    expect(await credits(organization.id)).toBe("500");

    await reportUsage({ apiKey: key, requestId: "m-1", credits: 20 });
    await flushMirror();
    expect(await credits(organization.id)).toBe("480");

    await grantCredits({ organizationId: organization.id, credits: 100, reference: "test:top-up" });
    await flushMirror();
    expect(await credits(organization.id)).toBe("580");

    const rolled = await rollApiKey({ organizationId: organization.id, keyId: apiKey.id, graceHours: 1, actorUserId: admin.id });
    await flushMirror();
    expect((await keyHash(key))!.expiresAt).toBe(rolled.previous.expiresAt!.toISOString());
    expect((await keyHash(rolled.key))!.status).toBe("active");

    await revokeApiKey({ organizationId: organization.id, keyId: rolled.apiKey.id, actorUserId: admin.id });
    await flushMirror();
    expect((await keyHash(rolled.key))!.status).toBe("revoked");
  });

  it("keeps recording usage while Redis is down, then catches up without a resync", async () => {
    const { organization, key } = await createOrganizationWithKey(300);
    await flushMirror();
    mirror.server.setDown(true);
    try {
      const answer = await reportUsage({ apiKey: key, requestId: "outage-1", credits: 50 });
      expect(answer.status).toBe(200);
      expect(answer.body.remainingCredits).toBe(250);
      await flushMirror();
      expect(pendingMirrorWrites()).toBeGreaterThan(0);
      expect(await getBalance(organization.id)).toBe(250);
    } finally {
      mirror.server.setDown(false);
    }
    await eventually(async () => (await credits(organization.id)) === "250");
    expect(await sumLedger(organization.id)).toBe(250);
  });

  it("is rewritten whole by a resync", async () => {
    const { organization, key } = await createOrganizationWithKey(42);
    await flushMirror();
    await mirror.redis.del(cacheKeys.credits(organization.id), cacheKeys.apiKey(hashApiKey(key)));
    const counts = await resyncMirror();
    expect(counts.keys).toBeGreaterThan(0);
    expect(await credits(organization.id)).toBe("42");
    expect((await keyHash(key))!.status).toBe("active");
  });

  it("is repaired by the sweep when a write was lost, and learns of expiries and ended grace periods", async () => {
    const before = new Date();
    const { organization, key, apiKey, admin } = await createOrganizationWithKey(300);
    const expiring = await createApiKey({
      organizationId: organization.id,
      createdByUserId: admin.id,
      name: "short-lived",
      scopes: ["query"],
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    const graced = await createApiKey({ organizationId: organization.id, createdByUserId: admin.id, name: "rolled", scopes: ["query"] });
    const rolled = await rollApiKey({ organizationId: organization.id, keyId: graced.apiKey.id, graceHours: 1, actorUserId: admin.id });
    await reportUsage({ apiKey: key, requestId: "sweep-1", credits: 25 });
    await revokeApiKey({ organizationId: organization.id, keyId: apiKey.id, actorUserId: admin.id });
    await flushMirror();
    expect((await keyHash(expiring.key))!.status).toBe("active");
    expect((await keyHash(graced.key))!.status).toBe("active");
    // As if the instance that committed these changes died before its writes reached Redis.
    await mirror.redis.del(cacheKeys.credits(organization.id), cacheKeys.apiKey(hashApiKey(key)));
    // The expiry and the end of the old secret's grace period arrive: set in the database, not waited for.
    // Both keys are made a day old too, so only the sweep's expiry clause can find them, not its look-back
    // over recently created keys.
    const passed = new Date();
    await db
      .update(apiKeys)
      .set({ expiresAt: passed, createdAt: new Date(Date.now() - 86_400_000) })
      .where(inArray(apiKeys.id, [expiring.apiKey.id, graced.apiKey.id]));

    await mirrorChangesBetween(before, new Date());
    await flushMirror();
    expect(await credits(organization.id)).toBe("275");
    expect((await keyHash(key))!.status).toBe("revoked");
    expect((await keyHash(expiring.key))!.status).toBe("expired");
    expect(await keyHash(graced.key)).toMatchObject({ status: "expired", expiresAt: passed.toISOString() });
    expect((await keyHash(rolled.key))!.status).toBe("active");
  });
});
