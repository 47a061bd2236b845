import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditLog, sessions, users, type Role } from "@/db/schema";
import type { AdminActor } from "@/lib/admin/actor";
import { cacheKeys, flushMirror, getCacheStore } from "@/lib/cache";
import { hashApiKey } from "@/lib/keys";
import { verifyApiKey } from "@/lib/keys/verify";
import { setOrganizationDisabled } from "@/lib/orgs/disable";
import { changeUserRole, searchUsers, setUserDisabled, unlockUser } from "@/lib/users/admin";
import { createTestOrganization } from "../helpers/organizations";
import { createOrganizationWithKey, setUpRedisMirror } from "../helpers/usage";

setUpRedisMirror();

async function businessAdmin(): Promise<AdminActor> {
  const [admin] = await db.insert(users).values({ email: `boss-${randomUUID()}@example.test`, role: "business_admin" }).returning();
  return { userId: admin!.id, ipAddress: "198.51.100.7", userAgent: "vitest" };
}

async function member(organizationId: string, role: Role = "user", extra: Partial<typeof users.$inferInsert> = {}) {
  const [row] = await db.insert(users).values({ email: `u-${randomUUID()}@example.test`, role, organizationId, ...extra }).returning();
  return row!;
}

async function openSession(userId: string) {
  await db.insert(sessions).values({ sessionToken: randomUUID(), userId, expires: new Date(Date.now() + 86_400_000) });
}

const auditFor = (userId: string, action: string) => db.select().from(auditLog).where(and(eq(auditLog.targetId, userId), eq(auditLog.action, action)));
const userRow = async (id: string) => (await db.select().from(users).where(eq(users.id, id)))[0]!;

describe("unlockUser", () => {
  it("clears the lock and the failed attempts, with an audit row", async () => {
    const actor = await businessAdmin();
    const organization = await createTestOrganization();
    const locked = await member(organization.id, "user", { failedLoginAttempts: 5, lockedUntil: new Date(Date.now() + 900_000) });
    await unlockUser(locked.id, actor);
    expect(await userRow(locked.id)).toMatchObject({ failedLoginAttempts: 0, lockedUntil: null });
    const [audit] = await auditFor(locked.id, "user.unlocked");
    expect(audit).toMatchObject({ actorUserId: actor.userId, organizationId: organization.id, ipAddress: "198.51.100.7", metadata: { failedLoginAttempts: 5 } });
  });
});

describe("setUserDisabled", () => {
  it("deletes the user's sessions and turns the keys they created disabled in Redis, then back", async () => {
    const actor = await businessAdmin();
    const { admin, key } = await createOrganizationWithKey(20);
    await openSession(admin.id);
    await openSession(admin.id);
    const mirrored = () => getCacheStore().getHash(cacheKeys.apiKey(hashApiKey(key)));

    expect(await setUserDisabled(admin.id, true, actor)).toMatchObject({ changed: true, sessionsEnded: 2, keys: 1 });
    await flushMirror();
    expect(await db.select().from(sessions).where(eq(sessions.userId, admin.id))).toEqual([]);
    expect((await userRow(admin.id)).disabledAt).not.toBeNull();
    expect(await mirrored()).toMatchObject({ status: "disabled" });
    expect(await verifyApiKey(key)).toEqual({ valid: false, code: "DISABLED" });
    expect((await searchUsers({ query: admin.email })).rows[0]).toMatchObject({ sessions: 0 });
    expect(await auditFor(admin.id, "user.disabled")).toHaveLength(1);

    await setUserDisabled(admin.id, false, actor);
    await flushMirror();
    expect(await mirrored()).toMatchObject({ status: "active" });
    expect(await auditFor(admin.id, "user.enabled")).toHaveLength(1);
  });

  it("keeps a disabled user's keys disabled when their organization is enabled again", async () => {
    const actor = await businessAdmin();
    const { organization, admin, key } = await createOrganizationWithKey(20);
    await setUserDisabled(admin.id, true, actor);
    await setOrganizationDisabled(organization.id, true, actor);
    await setOrganizationDisabled(organization.id, false, actor);
    await flushMirror();
    expect(await getCacheStore().getHash(cacheKeys.apiKey(hashApiKey(key)))).toMatchObject({ status: "disabled" });
  });

  it("refuses to disable oneself", async () => {
    const actor = await businessAdmin();
    await expect(setUserDisabled(actor.userId!, true, actor)).rejects.toMatchObject({ code: "not_allowed" });
    expect((await userRow(actor.userId!)).disabledAt).toBeNull();
  });
});

describe("changeUserRole", () => {
  it("never demotes an organization's last client admin", async () => {
    const actor = await businessAdmin();
    const organization = await createTestOrganization();
    const first = await member(organization.id, "client_admin");
    const plain = await member(organization.id, "user");
    await expect(changeUserRole(first.id, "user", actor)).rejects.toMatchObject({ code: "last_client_admin" });
    expect((await userRow(first.id)).role).toBe("client_admin");

    await changeUserRole(plain.id, "client_admin", actor);
    await changeUserRole(first.id, "user", actor);
    expect((await userRow(first.id)).role).toBe("user");
    const [audit] = await auditFor(first.id, "user.role_changed");
    expect(audit).toMatchObject({ actorUserId: actor.userId, organizationId: organization.id, metadata: { from: "client_admin", to: "user" } });
  });

  it("lets only one of two simultaneous demotions of the last two admins through", async () => {
    const actor = await businessAdmin();
    const organization = await createTestOrganization();
    const [a, b] = [await member(organization.id, "client_admin"), await member(organization.id, "client_admin")];
    const results = await Promise.allSettled([changeUserRole(a.id, "user", actor), changeUserRole(b.id, "user", actor)]);
    expect(results.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
    const admins = await db.select().from(users).where(and(eq(users.organizationId, organization.id), eq(users.role, "client_admin")));
    expect(admins).toHaveLength(1);
  });
});
