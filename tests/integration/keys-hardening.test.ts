import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { db } from "@/db/client";
import { apiKeys, organizations, users, type Role } from "@/db/schema";
import { cacheKeys, flushMirror, getCacheStore } from "@/lib/cache";
import { resyncMirror } from "@/lib/cache/resync";
import { mirrorChangesBetween } from "@/lib/cache/sweep";
import { ApiKeyError, createApiKey, hashApiKey, rollApiKey } from "@/lib/keys";
import { createKey } from "@/scripts/portal/keys";
import { UsageError } from "@/scripts/script-runner";
import { createTestOrganization } from "../helpers/organizations";
import { setUpRedisMirror } from "../helpers/usage";

setUpRedisMirror();

const mirrored = (key: string) => getCacheStore().getHash(cacheKeys.apiKey(hashApiKey(key)));
const keysOf = (organizationId: string) => db.select().from(apiKeys).where(eq(apiKeys.organizationId, organizationId));

async function addMember(organizationId: string, role: Role) {
  const [user] = await db
    .insert(users)
    .values({ email: `${role}-${randomUUID()}@example.test`, role, organizationId, emailVerified: new Date() })
    .returning();
  return user!;
}

describe("rolling a key follows the member scope rule (SPEC section 3)", () => {
  async function organizationAllowingMembersOnlyQuery() {
    const organization = await createTestOrganization(100);
    await db.update(organizations).set({ memberKeyScopes: ["query"] }).where(eq(organizations.id, organization.id));
    return { organization, admin: await addMember(organization.id, "client_admin"), member: await addMember(organization.id, "user") };
  }

  it("refuses a user who rolls a key with scopes they may not grant, and changes nothing", async () => {
    const { organization, admin, member } = await organizationAllowingMembersOnlyQuery();
    const { apiKey, key } = await createApiKey({
      organizationId: organization.id,
      createdByUserId: admin.id,
      creatorRole: "client_admin",
      name: "admin key",
      scopes: ["query", "public"],
    });
    await flushMirror();
    const before = await mirrored(key);
    expect(before).toMatchObject({ status: "active", scopes: "query,public", expiresAt: "" });

    const roll = rollApiKey({ organizationId: organization.id, keyId: apiKey.id, graceHours: 1, actorUserId: member.id, actorRole: "user" });
    await expect(roll).rejects.toBeInstanceOf(ApiKeyError);
    await expect(roll).rejects.toMatchObject({
      code: "invalid_scopes",
      message: expect.stringMatching(/^You cannot roll this key: it grants public, .*Ask an admin to roll it\.$/),
    });

    const rows = await keysOf(organization.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: apiKey.id, replacedByKeyId: null, expiresAt: null, revokedAt: null });
    await flushMirror();
    expect(await mirrored(key)).toEqual(before);
  });

  it("lets a user roll a key whose scopes they may grant, and an admin roll any key", async () => {
    const { organization, admin, member } = await organizationAllowingMembersOnlyQuery();
    const queryOnly = await createApiKey({ organizationId: organization.id, createdByUserId: member.id, creatorRole: "user", name: "member key", scopes: ["query"] });
    const rolled = await rollApiKey({ organizationId: organization.id, keyId: queryOnly.apiKey.id, graceHours: 0, actorUserId: member.id, actorRole: "user" });
    expect(rolled.apiKey.scopes).toEqual(["query"]);

    const both = await createApiKey({ organizationId: organization.id, createdByUserId: admin.id, creatorRole: "client_admin", name: "admin key", scopes: ["query", "public"] });
    const byAdmin = await rollApiKey({ organizationId: organization.id, keyId: both.apiKey.id, graceHours: 1, actorUserId: admin.id, actorRole: "client_admin" });
    expect(byAdmin.apiKey.scopes).toEqual(["query", "public"]);
    await flushMirror();
    expect(await mirrored(rolled.key)).toMatchObject({ status: "active", scopes: "query" });
  });

  it("runs the same check when a user creates a key", async () => {
    const { organization, member } = await organizationAllowingMembersOnlyQuery();
    const create = createApiKey({ organizationId: organization.id, createdByUserId: member.id, creatorRole: "user", name: "too wide", scopes: ["query", "public"] });
    await expect(create).rejects.toMatchObject({ code: "invalid_scopes", message: "You cannot grant: public." });
    expect(await keysOf(organization.id)).toHaveLength(0);
  });
});

describe("a disabled organization", () => {
  async function disabledOrganization() {
    const organization = await createTestOrganization(100);
    const member = await addMember(organization.id, "client_admin");
    await db.update(organizations).set({ disabledAt: new Date() }).where(eq(organizations.id, organization.id));
    return { organization, member };
  }

  // The action factory's refusal of these writes is lib/actions.test.ts (authorizeAction) and tests/e2e/keys.spec.ts.
  it("gets new keys mirrored as disabled, by the lib, the CLI, a roll, the resync and the sweep", async () => {
    const since = new Date();
    const { organization, member } = await disabledOrganization();
    const created = await createApiKey({ organizationId: organization.id, createdByUserId: null, name: "by an operator", scopes: ["query"] });
    await flushMirror();
    expect(await mirrored(created.key)).toMatchObject({ status: "disabled", organizationId: organization.id });

    const rolled = await rollApiKey({ organizationId: organization.id, keyId: created.apiKey.id, graceHours: 1, actorUserId: member.id });
    await flushMirror();
    expect((await mirrored(rolled.key))!.status).toBe("disabled");
    expect((await mirrored(created.key))!.status).toBe("disabled");

    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      await createKey(["--org", organization.id, "--name", "from the CLI", "--scopes", "query"]);
      const cliKey = String(log.mock.calls.at(-1)![0]);
      expect((await mirrored(cliKey))!.status).toBe("disabled");
      expect(warn).toHaveBeenCalledWith(expect.stringContaining("is disabled"));
    } finally {
      log.mockRestore();
      warn.mockRestore();
    }

    await resyncMirror();
    expect((await mirrored(created.key))!.status).toBe("disabled");
    await getCacheStore().apply([{ kind: "hash", key: cacheKeys.apiKey(hashApiKey(rolled.key)), fields: { status: "active" } }]);
    await mirrorChangesBetween(since, new Date());
    await flushMirror();
    expect((await mirrored(rolled.key))!.status).toBe("disabled");
  });
});

describe("key input that Postgres cannot store is refused before it gets there", () => {
  it.each([
    ["a NUL in the name", { name: "bad\u0000name" }, "invalid_name"],
    ["an unpaired surrogate in the name", { name: "x-\ud800" }, "invalid_name"],
    ["an expiry in year 10000", { expiresAt: new Date("9999-12-31T23:59:59-23:59") }, "invalid_expiry"],
    ["an expiry in year 275760", { expiresAt: new Date(8.64e15) }, "invalid_expiry"],
    ["an expiry that is not a date", { expiresAt: new Date(Number.NaN) }, "invalid_expiry"],
  ])("%s is an ApiKeyError, not a database error", async (_label, input, code) => {
    const organization = await createTestOrganization(0);
    const create = createApiKey({ organizationId: organization.id, createdByUserId: null, name: "fine", scopes: ["query"], ...input });
    await expect(create).rejects.toMatchObject({ code });
    expect(await keysOf(organization.id)).toHaveLength(0);
  });

  it("the CLI answers a usage error for them", async () => {
    const organization = await createTestOrganization(0);
    await expect(createKey(["--org", organization.id, "--name", "bad\u0001name"])).rejects.toBeInstanceOf(UsageError);
    await expect(createKey(["--org", organization.id, "--name", "ok", "--expires", "+275760-09-13T00:00:00Z"])).rejects.toBeInstanceOf(UsageError);
    await expect(createKey(["--org", organization.id, "--name", "ok", "--expires", "9999-12-31T23:59:59-23:59"])).rejects.toBeInstanceOf(UsageError);
    expect(await keysOf(organization.id)).toHaveLength(0);
  });
});
