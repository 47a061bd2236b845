import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { db, queryRows } from "@/db/client";
import { withTransaction } from "@/db/transaction";
import { apiKeys, organizations } from "@/db/schema";
import { cacheKeys, enqueueMirrorWrites, flushMirror, getCacheStore, pendingMirrorWrites, type MirrorWrite } from "@/lib/cache";
import { balanceRowsToWrites, keyRowsToWrites, resyncMirror, selectBalancesForMirror, selectKeysForMirror, type KeyRow } from "@/lib/cache/resync";
import { mirrorChangesBetween, startMirrorSweep } from "@/lib/cache/sweep";
import { grantCredits } from "@/lib/credits";
import { env } from "@/lib/env";
import { createApiKey, hashApiKey, remirrorOrganizationKeys, revokeApiKey } from "@/lib/keys";
import { createOrganizationWithKey, eventually, setUpRedisMirror, tapMirrorStore } from "../helpers/usage";

/**
 * Issue 12, item 12: writes to the Redis mirror reach it out of order (a resync or a sweep reads Postgres,
 * then writes; a live write can land in between), so each one must carry the version of the state it read,
 * and an older one must lose. The interleavings are forced: a store request held in flight while the newer
 * write lands (from this process or from another one), or Redis down while both wait in the queue.
 */

// A Redis prefix of this file's own, inside the run's (removed with it): its resyncs rewrite every key of
// the database, and must not rewrite what other test files are watching, nor they what this file watches.
process.env.REDIS_PREFIX = `${inject("redisPrefix")}ordering-${randomBytes(4).toString("hex")}:`;
const mirror = setUpRedisMirror();

beforeAll(() => {
  expect(env().REDIS_PREFIX).toBe(process.env.REDIS_PREFIX);
});

const run = promisify(execFile);

/** `npm run portal -- …` in a process of its own: another instance, with its own mirror queue, on the same Redis. */
async function portalInAnotherProcess(...args: string[]) {
  try {
    const { stderr } = await run(process.execPath, ["--import", "tsx", "scripts/portal.ts", ...args], {
      env: {
        ...process.env,
        NODE_ENV: "test",
        DATABASE_URL: inject("databaseUrl"),
        UPSTASH_REDIS_REST_URL: mirror.server.url,
        UPSTASH_REDIS_REST_TOKEN: mirror.server.token,
        REDIS_PREFIX: env().REDIS_PREFIX,
      },
    });
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

const hashKeyOf = (key: string) => cacheKeys.apiKey(hashApiKey(key));
const statusOf = async (key: string) => (await getCacheStore().getHash(hashKeyOf(key)))?.status;
const creditsOf = (organizationId: string) => getCacheStore().get(cacheKeys.credits(organizationId));
const statusesIn = (writes: MirrorWrite[]) => writes.map((write) => (write.kind === "hash" ? write.fields.status : write.balance));

let tap: ReturnType<typeof tapMirrorStore> | null = null;
afterEach(() => {
  tap?.restore();
  tap = null;
});

describe("a stale snapshot written after a newer live write", () => {
  it("a resync that read a key before it was revoked leaves it revoked", async () => {
    const { organization, admin, apiKey, key } = await createOrganizationWithKey(100);
    await flushMirror();
    tap = tapMirrorStore();
    const held = tap.holdNext(hashKeyOf(key));
    const resync = resyncMirror();
    const snapshot = await held.batch;
    expect(statusesIn(snapshot.filter((write) => write.key === hashKeyOf(key)))).toEqual(["active"]);

    await revokeApiKey({ organizationId: organization.id, keyId: apiKey.id, actorUserId: admin.id });
    await flushMirror();
    expect(await statusOf(key)).toBe("revoked");

    held.release();
    await resync;
    expect(statusesIn(tap.writesTo(hashKeyOf(key)))).toEqual(["revoked", "active"]);
    expect(await statusOf(key)).toBe("revoked");
  });

  it("an older balance write loses to a newer one", async () => {
    const { organization } = await createOrganizationWithKey(100);
    await flushMirror();
    tap = tapMirrorStore();
    const held = tap.holdNext(cacheKeys.credits(organization.id));
    const resync = resyncMirror();
    expect(statusesIn((await held.batch).filter((write) => write.key === cacheKeys.credits(organization.id)))).toEqual([100]);

    await grantCredits({ organizationId: organization.id, credits: 25, reference: "ordering:top-up" });
    await flushMirror();
    expect(await creditsOf(organization.id)).toBe("125");

    held.release();
    await resync;
    expect(await creditsOf(organization.id)).toBe("125");
  });

  it("a resync that read a key before its expiry passed leaves it expired once the sweep has mirrored that", async () => {
    const { organization, admin } = await createOrganizationWithKey(100);
    const expiring = await createApiKey({
      organizationId: organization.id,
      createdByUserId: admin.id,
      name: "expiring",
      scopes: ["query"],
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    await flushMirror();
    const since = new Date();
    tap = tapMirrorStore();
    const held = tap.holdNext(hashKeyOf(expiring.key));
    const resync = resyncMirror();
    await held.batch;

    // The expiry arrives (set in the database, not waited for), and the sweep mirrors it.
    await db.update(apiKeys).set({ expiresAt: new Date() }).where(eq(apiKeys.id, expiring.apiKey.id));
    await mirrorChangesBetween(since, new Date());
    await flushMirror();
    expect(await statusOf(expiring.key)).toBe("expired");

    held.release();
    await resync;
    expect(await statusOf(expiring.key)).toBe("expired");
  });

  it("a sweep whose write was in flight while another instance revoked the key leaves it revoked", async () => {
    const { apiKey, key } = await createOrganizationWithKey(100);
    await flushMirror();
    tap = tapMirrorStore();
    const held = tap.holdNext(hashKeyOf(key));
    await mirrorChangesBetween(new Date(Date.now() - 60_000), new Date());
    const flushed = flushMirror();
    expect(statusesIn((await held.batch).filter((write) => write.key === hashKeyOf(key)))).toEqual(["active"]);

    // Another instance: the CLI, a process with its own mirror queue, writing to the same Redis.
    const revoked = await portalInAnotherProcess("keys:revoke", "--key", apiKey.id);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(await statusOf(key)).toBe("revoked");

    held.release();
    await flushed;
    // This instance's sweep did write what it read, after the other instance's revoke.
    expect(statusesIn(tap.writesTo(hashKeyOf(key)))).toEqual(["active"]);
    expect(await statusOf(key)).toBe("revoked");
  });
});

describe("a stale snapshot queued beside a newer write that Redis has not taken yet", () => {
  it("does not replace it in the queue", async () => {
    const { organization, admin, apiKey, key } = await createOrganizationWithKey(100);
    await flushMirror();
    // What a sweep reads and turns into writes, read before the changes below.
    const stale = [
      ...keyRowsToWrites(await queryRows<KeyRow>(db, sql`${selectKeysForMirror} where k.id = ${apiKey.id}`)),
      ...balanceRowsToWrites(await queryRows(db, sql`${selectBalancesForMirror} where o.id = ${organization.id}`)),
    ];
    mirror.server.setDown(true);
    try {
      await revokeApiKey({ organizationId: organization.id, keyId: apiKey.id, actorUserId: admin.id });
      await grantCredits({ organizationId: organization.id, credits: 5, reference: "ordering:queued" });
      await flushMirror();
      expect(pendingMirrorWrites()).toBeGreaterThanOrEqual(2);
      enqueueMirrorWrites(stale);
    } finally {
      mirror.server.setDown(false);
    }
    await flushMirror({ evenIfOpen: true });
    expect(pendingMirrorWrites()).toBe(0);
    expect(await statusOf(key)).toBe("revoked");
    expect(await creditsOf(organization.id)).toBe("105");
  });

  it("nor does a failed batch put back after it, and both reach Redis once it answers", async () => {
    const { organization, admin, apiKey, key } = await createOrganizationWithKey(100);
    await flushMirror();
    tap = tapMirrorStore();
    const held = tap.holdNext(hashKeyOf(key));
    await mirrorChangesBetween(new Date(Date.now() - 60_000), new Date());
    const flushed = flushMirror();
    await held.batch;
    // Queued while the sweep's batch is in flight: it waits for that flush.
    const revoke = revokeApiKey({ organizationId: organization.id, keyId: apiKey.id, actorUserId: admin.id });
    await eventually(async () => pendingMirrorWrites() > 0, 5_000);

    mirror.server.setDown(true);
    try {
      held.release();
      await flushed;
      await revoke;
      expect(pendingMirrorWrites()).toBeGreaterThan(0);
    } finally {
      mirror.server.setDown(false);
    }
    await flushMirror({ evenIfOpen: true });
    expect(pendingMirrorWrites()).toBe(0);
    expect(await statusOf(key)).toBe("revoked");
  });
});

describe("the periodic sweep", () => {
  it("runs every 30 seconds and repairs a key hash and a balance that Redis lost", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    try {
      startMirrorSweep();
      const { organization, key } = await createOrganizationWithKey(70);
      await flushMirror();
      await mirror.redis.del(cacheKeys.credits(organization.id), hashKeyOf(key));

      vi.advanceTimersByTime(29_999);
      expect(await getCacheStore().getHash(hashKeyOf(key))).toBeNull();
      vi.advanceTimersByTime(1);
      await eventually(async () => (await statusOf(key)) === "active" && (await creditsOf(organization.id)) === "70", 5_000);
    } finally {
      vi.useRealTimers();
    }
  });
});

/**
 * What disabling an organization has to do: nothing in lib/orgs or the CLI disables one yet (tests and the
 * e2e kit set disabled_at directly, which nothing mirrors), so this is the transaction such a function runs.
 */
async function disableOrganization(organizationId: string) {
  await withTransaction(async (context) => {
    await context.tx.update(organizations).set({ disabledAt: new Date(), updatedAt: new Date() }).where(eq(organizations.id, organizationId));
    await remirrorOrganizationKeys(context, organizationId, true);
  });
}

describe("disabling an organization", () => {
  it("mirrors its keys as disabled right after it commits, and a snapshot from before loses", async () => {
    const { organization, admin, key } = await createOrganizationWithKey(100);
    const second = await createApiKey({ organizationId: organization.id, createdByUserId: admin.id, name: "second", scopes: ["query"] });
    await flushMirror();
    expect([await statusOf(key), await statusOf(second.key)]).toEqual(["active", "active"]);
    tap = tapMirrorStore();
    const held = tap.holdNext(hashKeyOf(key));
    const resync = resyncMirror();
    await held.batch;

    await disableOrganization(organization.id);
    await flushMirror();
    expect([await statusOf(key), await statusOf(second.key)]).toEqual(["disabled", "disabled"]);

    held.release();
    await resync;
    expect([await statusOf(key), await statusOf(second.key)]).toEqual(["disabled", "disabled"]);
  });
});
