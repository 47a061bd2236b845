import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditLog, creditLedger, organizations, users } from "@/db/schema";
import type { AdminActor } from "@/lib/admin/actor";
import { adjustOrganizationCredits } from "@/lib/admin/credits";
import { searchOrganizations } from "@/lib/admin/organizations";
import { cacheKeys, flushMirror, getCacheStore } from "@/lib/cache";
import { getBalance, sumLedger } from "@/lib/credits";
import { hashApiKey } from "@/lib/keys";
import { verifyApiKey } from "@/lib/keys/verify";
import { setOrganizationDisabled } from "@/lib/orgs/disable";
import { createTestOrganization } from "../helpers/organizations";
import { createOrganizationWithKey, setUpRedisMirror } from "../helpers/usage";

setUpRedisMirror();

async function businessAdmin(): Promise<AdminActor> {
  const [admin] = await db.insert(users).values({ email: `boss-${randomUUID()}@example.test`, role: "business_admin" }).returning();
  return { userId: admin!.id, ipAddress: "203.0.113.9", userAgent: "vitest" };
}

const auditOf = (organizationId: string, action: string) =>
  db.select().from(auditLog).where(and(eq(auditLog.organizationId, organizationId), eq(auditLog.action, action)));

describe("adjustOrganizationCredits", () => {
  it("writes the ledger row, the balance and the audit row together", async () => {
    const actor = await businessAdmin();
    const organization = await createTestOrganization(100);
    const result = await adjustOrganizationCredits({ organizationId: organization.id, delta: -40, reason: "  duplicate charge  " }, actor);
    expect(result.balance).toBe(60);
    expect(await getBalance(organization.id)).toBe(60);
    expect(await sumLedger(organization.id)).toBe(60);
    const [entry] = await db.select().from(creditLedger).where(eq(creditLedger.id, result.entryId));
    expect(entry).toMatchObject({ delta: -40, reason: "adjustment", actorUserId: actor.userId, metadata: { note: "duplicate charge" } });
    const [audit] = await auditOf(organization.id, "credits.adjusted");
    expect(audit).toMatchObject({
      actorUserId: actor.userId,
      targetType: "organization",
      targetId: organization.id,
      ipAddress: "203.0.113.9",
      userAgent: "vitest",
      metadata: { delta: -40, reason: "duplicate charge", balance: 60, ledgerEntryId: result.entryId },
    });
  });

  it("never takes a balance below zero: a clear error, and neither ledger nor audit changes", async () => {
    const actor = await businessAdmin();
    const organization = await createTestOrganization(30);
    await expect(adjustOrganizationCredits({ organizationId: organization.id, delta: -31, reason: "too much" }, actor)).rejects.toMatchObject({
      code: "insufficient_credits",
      message: "The balance is 30 credits; taking 31 would leave it below zero.",
    });
    expect(await getBalance(organization.id)).toBe(30);
    expect(await db.select().from(creditLedger).where(eq(creditLedger.organizationId, organization.id))).toHaveLength(1);
    expect(await auditOf(organization.id, "credits.adjusted")).toHaveLength(0);
  });

  it("refuses a missing reason, a NUL, zero and an unknown organization", async () => {
    const actor = await businessAdmin();
    const organization = await createTestOrganization(10);
    for (const input of [
      { organizationId: organization.id, delta: 5, reason: "   " },
      { organizationId: organization.id, delta: 5, reason: "a\u0000b" },
      { organizationId: organization.id, delta: 5, reason: "x".repeat(501) },
      { organizationId: organization.id, delta: 0, reason: "zero" },
      { organizationId: organization.id, delta: 1.5, reason: "half" },
    ]) {
      await expect(adjustOrganizationCredits(input, actor), JSON.stringify(input)).rejects.toMatchObject({ code: "invalid" });
    }
    await expect(adjustOrganizationCredits({ organizationId: randomUUID(), delta: 5, reason: "x" }, actor)).rejects.toMatchObject({ code: "not_found" });
    expect(await getBalance(organization.id)).toBe(10);
  });
});

describe("setOrganizationDisabled", () => {
  it("marks the organization's keys disabled in Redis and active again when enabled, with audit rows", async () => {
    const actor = await businessAdmin();
    const { organization, key } = await createOrganizationWithKey(50);
    const mirrored = () => getCacheStore().getHash(cacheKeys.apiKey(hashApiKey(key)));
    await flushMirror();
    expect(await mirrored()).toMatchObject({ status: "active" });

    expect(await setOrganizationDisabled(organization.id, true, actor)).toEqual({ changed: true, keys: 1 });
    await flushMirror();
    expect(await mirrored()).toMatchObject({ status: "disabled" });
    expect(await verifyApiKey(key)).toEqual({ valid: false, code: "DISABLED" });
    const [row] = await db.select().from(organizations).where(eq(organizations.id, organization.id));
    expect(row!.disabledAt).not.toBeNull();
    // Disabling again changes nothing and audits nothing.
    expect(await setOrganizationDisabled(organization.id, true, actor)).toEqual({ changed: false, keys: 0 });

    await setOrganizationDisabled(organization.id, false, actor);
    await flushMirror();
    expect(await mirrored()).toMatchObject({ status: "active" });
    expect((await auditOf(organization.id, "organization.disabled")).map((entry) => entry.actorUserId)).toEqual([actor.userId]);
    expect(await auditOf(organization.id, "organization.enabled")).toHaveLength(1);
  });

  it("answers not_found for an unknown organization", async () => {
    await expect(setOrganizationDisabled(randomUUID(), true, await businessAdmin())).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("searchOrganizations", () => {
  it("finds by name or id and pages by keyset with member counts", async () => {
    const tag = randomUUID().slice(0, 8);
    const created = [];
    for (let index = 0; index < 3; index++) created.push(await createTestOrganization(index * 10, `Search ${tag} ${index}`));
    await db.insert(users).values({ email: `m-${tag}@example.test`, organizationId: created[0]!.id });
    const first = await searchOrganizations({ query: `search ${tag}`, limit: 2 });
    expect(first.rows.map((row) => row.name)).toEqual([`Search ${tag} 2`, `Search ${tag} 1`]);
    expect(first.next).toBeDefined();
    const { decodeTimeCursor } = await import("@/lib/admin/cursor");
    const second = await searchOrganizations({ query: `search ${tag}`, limit: 2, after: decodeTimeCursor(first.next) });
    expect(second.rows.map((row) => [row.name, row.members, row.balance, row.credits30d])).toEqual([[`Search ${tag} 0`, 1, 0, 0]]);
    expect(second.next).toBeUndefined();
    expect((await searchOrganizations({ query: created[1]!.id })).rows.map((row) => row.id)).toEqual([created[1]!.id]);
    // The operator's % and _ are literal, not wildcards.
    expect((await searchOrganizations({ query: `${tag}%` })).rows).toEqual([]);
  });
});
