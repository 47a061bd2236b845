import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { apiKeys, auditLog, users } from "@/db/schema";
import { cacheKeys, flushMirror, getCacheStore } from "@/lib/cache";
import { hashApiKey, revokeApiKey, rollApiKey } from "@/lib/keys";
import { flushLastUsed } from "@/lib/keys/last-used";
import { verifyApiKey } from "@/lib/keys/verify";
import { createOrganizationWithKey, setUpRedisMirror } from "../helpers/usage";

// Tenant isolation of API keys (SPEC sections 1 and 3). The key actions (app/(portal)/keys/actions.ts) pass
// the viewer's own organization, which the action factory resolved, to these functions: organization B's
// admin sending organization A's key id ends here with B's id as the tenant. The same through the real server
// action: tests/e2e/key-isolation.spec.ts.

setUpRedisMirror();

const mirrored = (key: string) => getCacheStore().getHash(cacheKeys.apiKey(hashApiKey(key)));

async function twoOrganizations() {
  const a = await createOrganizationWithKey(100);
  const b = await createOrganizationWithKey(100);
  await flushMirror();
  return { a, b };
}

/** Everything a revoke or a roll of A's key could have changed. */
async function snapshot(organizationIds: string[], keyId: string, key: string) {
  const verify = await verifyApiKey(key);
  // The verify notes the key's use; written now, so that the rows compare equal whenever the timer fires.
  await flushLastUsed();
  return {
    verify,
    keys: await db.select().from(apiKeys).where(inArray(apiKeys.organizationId, organizationIds)).orderBy(apiKeys.id),
    audit: await db.select({ action: auditLog.action }).from(auditLog).where(and(eq(auditLog.targetType, "api_key"), eq(auditLog.targetId, keyId))),
  };
}

const notFound = { code: "not_found", message: "That API key does not exist." };

describe("another organization's API key", () => {
  it("cannot be revoked: not_found, and the key stays active in Postgres and in Redis", async () => {
    const { a, b } = await twoOrganizations();
    const before = await snapshot([a.organization.id, b.organization.id], a.apiKey.id, a.key);
    expect(before.verify).toMatchObject({ valid: true, keyId: a.apiKey.id });
    expect(await mirrored(a.key)).toMatchObject({ status: "active", keyId: a.apiKey.id, organizationId: a.organization.id });

    await expect(revokeApiKey({ organizationId: b.organization.id, keyId: a.apiKey.id, actorUserId: b.admin.id })).rejects.toMatchObject(notFound);

    await flushMirror();
    expect(await snapshot([a.organization.id, b.organization.id], a.apiKey.id, a.key)).toEqual(before);
    expect(await mirrored(a.key)).toMatchObject({ status: "active" });
  });

  it("cannot be rolled: not_found, no new key anywhere, and the old one keeps no grace end", async () => {
    const { a, b } = await twoOrganizations();
    const before = await snapshot([a.organization.id, b.organization.id], a.apiKey.id, a.key);

    await expect(
      rollApiKey({ organizationId: b.organization.id, keyId: a.apiKey.id, graceHours: 0, actorUserId: b.admin.id, actorRole: "client_admin" }),
    ).rejects.toMatchObject(notFound);

    await flushMirror();
    const after = await snapshot([a.organization.id, b.organization.id], a.apiKey.id, a.key);
    expect(after).toEqual(before);
    expect(after.keys.find((row) => row.id === a.apiKey.id)).toMatchObject({ revokedAt: null, expiresAt: null, replacedByKeyId: null });
    expect(await mirrored(a.key)).toMatchObject({ status: "active", expiresAt: "" });
  });

  it("answers exactly as a key id that does not exist, so it reveals nothing", async () => {
    const { a, b } = await twoOrganizations();
    const refusal = (attempt: Promise<unknown>) =>
      attempt.then(
        () => "succeeded",
        (error: Error) => ({ name: error.name, message: error.message, code: (error as { code?: string }).code }),
      );
    const attempt = (keyId: string) =>
      Promise.all([
        refusal(revokeApiKey({ organizationId: b.organization.id, keyId, actorUserId: b.admin.id })),
        refusal(rollApiKey({ organizationId: b.organization.id, keyId, graceHours: 1, actorUserId: b.admin.id })),
      ]);
    expect(await attempt(a.apiKey.id)).toEqual(await attempt(randomUUID()));
  });

  it("stays with its organization when B revokes and rolls its own keys (the tenant is in every WHERE)", async () => {
    const { a, b } = await twoOrganizations();
    await rollApiKey({ organizationId: b.organization.id, keyId: b.apiKey.id, graceHours: 0, actorUserId: b.admin.id });
    await revokeApiKey({ organizationId: b.organization.id, keyId: b.apiKey.id, actorUserId: b.admin.id });
    await flushMirror();
    expect(await verifyApiKey(b.key)).toEqual({ valid: false, code: "REVOKED" });
    expect(await verifyApiKey(a.key)).toMatchObject({ valid: true, keyId: a.apiKey.id });
    expect(await mirrored(a.key)).toMatchObject({ status: "active" });
    const [admin] = await db.select({ organizationId: users.organizationId }).from(users).where(eq(users.id, b.admin.id));
    expect(admin!.organizationId).toBe(b.organization.id);
  });
});
