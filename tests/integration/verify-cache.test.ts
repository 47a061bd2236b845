import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { db, queryPrepared } from "@/db/client";
import { apiKeys, organizations } from "@/db/schema";
import { deductCredits } from "@/lib/credits";
import { hashApiKey, revokeApiKey } from "@/lib/keys";
import { listenerApplicationName, startNotificationChannel, type NotificationChannel } from "@/lib/cache/notifications";
import { createVerifyCache, registerVerifyCacheListener, type VerifyRow } from "@/lib/keys/verify-cache";
import { env } from "@/lib/env";
import { onServerDatabase } from "../helpers/row-lock";
import { createOrganizationWithKey, eventually } from "../helpers/usage";

const channels: NotificationChannel[] = [];
afterAll(async () => {
  await Promise.all(channels.map((channel) => channel.close()));
});

/**
 * One instance's cache, with its own listening connection (started after the test's keys exist, so their
 * creation's notifications, sent before it listened, never reach it), loading from the database as the app does and
 * counting its loads: a lookup that does not load was answered from memory.
 */
async function instance() {
  const channel = startNotificationChannel(env().DATABASE_URL);
  channels.push(channel);
  let loads = 0;
  const cache = createVerifyCache(channel, async (keyHash) => {
    loads += 1;
    const [row] = await queryPrepared<VerifyRow>("verify_cache_test", sql`
      select k.id, k.organization_id, k.revoked_at is not null as revoked, k.expires_at, k.scopes, k.rate_limit_per_minute,
             o.balance, o.disabled_at is not null as disabled
      from api_keys k join organizations o on o.id = k.organization_id where k.key_hash = ${keyHash}`);
    return row;
  });
  await eventually(async () => channel.isUp(), 5_000);
  return { cache, channel, loads: () => loads };
}

/** Milliseconds until `check` holds, polling every 10 ms; fails past `withinMs`. */
async function timeUntil(check: () => Promise<boolean>, withinMs: number) {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > withinMs) throw new Error(`not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Date.now() - started;
}

async function cutListeners() {
  await db.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity
    where application_name = ${listenerApplicationName} and datname = current_database()`);
}

// PGlite cannot hold a listening connection beside the app's one session: the channel stays down there.
describe.skipIf(!onServerDatabase)("the verify cache (server database only: PGlite has no second session to listen on)", () => {
  it("answers a key from memory after its first load", async () => {
    const { key } = await createOrganizationWithKey(50);
    const one = await instance();
    const keyHash = hashApiKey(key);
    expect((await one.cache.lookup(keyHash))?.balance).toBe(50);
    for (let n = 0; n < 5; n++) await one.cache.lookup(keyHash);
    expect(one.loads()).toBe(1);
  });

  it("a key revoked through one instance is refused by another within a second", async () => {
    const { organization, key, apiKey } = await createOrganizationWithKey(50);
    const [one, other] = [await instance(), await instance()];
    const keyHash = hashApiKey(key);
    await one.cache.lookup(keyHash);
    await other.cache.lookup(keyHash);
    const loadsBefore = other.loads();
    await revokeApiKey({ organizationId: organization.id, keyId: apiKey.id, actorUserId: null });
    const elapsed = await timeUntil(async () => (await other.cache.lookup(keyHash))?.key.revoked === true, 1_000);
    expect(elapsed).toBeLessThan(1_000);
    // It was notified, not timed out: one load after the change, and memory again afterwards.
    await other.cache.lookup(keyHash);
    expect(other.loads() - loadsBefore).toBe(1);
  });

  it("hears changes written straight to the database: an expiry, a disabled organization, a deleted key", async () => {
    const { organization, key, apiKey } = await createOrganizationWithKey(50);
    const watcher = await instance();
    const keyHash = hashApiKey(key);
    await watcher.cache.lookup(keyHash);

    await db.update(apiKeys).set({ expiresAt: new Date(Date.now() - 1_000) }).where(eq(apiKeys.id, apiKey.id));
    await timeUntil(async () => ((await watcher.cache.lookup(keyHash))?.key.expiresAt ?? Infinity) < Date.now(), 1_000);

    await db.update(organizations).set({ disabledAt: new Date() }).where(eq(organizations.id, organization.id));
    await timeUntil(async () => (await watcher.cache.lookup(keyHash))?.key.disabled === true, 1_000);

    await db.delete(apiKeys).where(eq(apiKeys.id, apiKey.id));
    await timeUntil(async () => (await watcher.cache.lookup(keyHash)) === null, 1_000);
  });

  it("last-used writes notify nothing, so they do not empty the cache", async () => {
    const { key, apiKey } = await createOrganizationWithKey(50);
    const watcher = await instance();
    const keyHash = hashApiKey(key);
    await watcher.cache.lookup(keyHash);
    await db.update(apiKeys).set({ lastUsedAt: new Date() }).where(eq(apiKeys.id, apiKey.id));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await watcher.cache.lookup(keyHash);
    expect(watcher.loads()).toBe(1);
  });

  it("answers from the database while its channel is cut, and hears revocations again once it is back", async () => {
    const { organization, key, apiKey } = await createOrganizationWithKey(50);
    const [one, other] = [await instance(), await instance()];
    const keyHash = hashApiKey(key);
    await other.cache.lookup(keyHash);

    await cutListeners();
    await eventually(async () => !other.channel.isUp(), 5_000);
    const loadsWhileDown = other.loads();
    await other.cache.lookup(keyHash);
    await other.cache.lookup(keyHash);
    expect(other.loads() - loadsWhileDown).toBe(2);

    await eventually(async () => other.channel.isUp() && one.channel.isUp(), 10_000);
    await other.cache.lookup(keyHash);
    const loadsBack = other.loads();
    await other.cache.lookup(keyHash);
    expect(other.loads()).toBe(loadsBack);

    await revokeApiKey({ organizationId: organization.id, keyId: apiKey.id, actorUserId: null });
    await timeUntil(async () => (await other.cache.lookup(keyHash))?.key.revoked === true, 1_000);
  });

  it("a notified balance replaces a cached one only when its ledger version is newer", async () => {
    const { organization, key } = await createOrganizationWithKey(50);
    const watcher = await instance();
    const keyHash = hashApiKey(key);
    await watcher.cache.lookup(keyHash);
    watcher.cache.apply({ balances: [[organization.id, 40, 10]] });
    expect((await watcher.cache.lookup(keyHash))?.balance).toBe(40);
    watcher.cache.apply({ balances: [[organization.id, 45, 9]] });
    expect((await watcher.cache.lookup(keyHash))?.balance).toBe(40);
    watcher.cache.apply({ balances: [[organization.id, 30, 11]] });
    expect((await watcher.cache.lookup(keyHash))?.balance).toBe(30);
  });

  it("a balance changed on one instance reaches another's cache without a load", async () => {
    registerVerifyCacheListener();
    const { organization, key } = await createOrganizationWithKey(50);
    const watcher = await instance();
    const keyHash = hashApiKey(key);
    await watcher.cache.lookup(keyHash);
    await deductCredits({ organizationId: organization.id, credits: 8, reference: `verify-cache-test:${organization.id}` });
    await timeUntil(async () => (await watcher.cache.lookup(keyHash))?.balance === 42, 1_000);
    expect(watcher.loads()).toBe(1);
  });
});
