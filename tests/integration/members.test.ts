import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { apiKeys, auditLog, sessions, users } from "@/db/schema";
import { createSessionRow } from "@/lib/auth/sessions";
import { createApiKey } from "@/lib/keys";
import { verifyApiKey } from "@/lib/keys/verify";
import { changeMemberRole, listMembers, removeMember } from "@/lib/orgs/members";
import { updateLowCreditThreshold, updateOrganizationSettings } from "@/lib/orgs/settings";
import { createMember, createOrganizationWithAdmin, request } from "../helpers/members";
import { holdTransaction, onServerDatabase } from "../helpers/row-lock";

const roleOf = async (userId: string) => (await db.select({ role: users.role }).from(users).where(eq(users.id, userId)))[0]!.role;

describe("members", () => {
  it("lists members with their role and last sign-in", async () => {
    const { organization, admin } = await createOrganizationWithAdmin();
    const member = await createMember(organization.id);
    await db.insert(auditLog).values({ action: "auth.sign_in", actorUserId: member.id, organizationId: organization.id });
    const listed = await listMembers(organization.id);
    expect(listed.map((row) => [row.id, row.role, row.lastSignInAt instanceof Date])).toEqual(
      expect.arrayContaining([[admin.id, "client_admin", false], [member.id, "user", true]]),
    );
  });

  it("changes a role between user and client_admin with an audit row in the same transaction", async () => {
    const { organization, admin } = await createOrganizationWithAdmin();
    const member = await createMember(organization.id);
    expect(await changeMemberRole({ organizationId: organization.id, memberId: member.id, role: "client_admin", actor: { userId: admin.id, request } })).toEqual({ ok: true });
    expect(await roleOf(member.id)).toBe("client_admin");
    const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.action, "member.role_changed"), eq(auditLog.targetId, member.id)));
    expect(audit).toMatchObject({ actorUserId: admin.id, organizationId: organization.id, ipAddress: request.ipAddress, metadata: { from: "user", to: "client_admin" } });
  });

  it("never demotes or removes the last client admin", async () => {
    const { organization, admin } = await createOrganizationWithAdmin();
    const actor = { userId: admin.id, request };
    expect(await changeMemberRole({ organizationId: organization.id, memberId: admin.id, role: "user", actor })).toEqual({ ok: false, reason: "last_admin" });
    const other = await createMember(organization.id, "user");
    expect(await removeMember({ organizationId: organization.id, memberId: admin.id, actor: { userId: other.id, request } })).toEqual({ ok: false, reason: "last_admin" });
    expect(await roleOf(admin.id)).toBe("client_admin");
  });

  it("another organization's member answers not found and stays as they were", async () => {
    const a = await createOrganizationWithAdmin();
    const b = await createOrganizationWithAdmin();
    const victim = await createMember(b.organization.id);
    const actor = { userId: a.admin.id, request };
    expect(await changeMemberRole({ organizationId: a.organization.id, memberId: victim.id, role: "client_admin", actor })).toEqual({ ok: false, reason: "not_found" });
    expect(await removeMember({ organizationId: a.organization.id, memberId: victim.id, actor })).toEqual({ ok: false, reason: "not_found" });
    expect((await db.select().from(users).where(eq(users.id, victim.id)))[0]).toMatchObject({ organizationId: b.organization.id, role: "user" });
  });

  it("removing a member ends their sessions, moves them to a personal organization, and their keys keep working", async () => {
    const { organization, admin } = await createOrganizationWithAdmin(100);
    const member = await createMember(organization.id, "client_admin");
    await createSessionRow(member.id, request);
    const { key, apiKey } = await createApiKey({ organizationId: organization.id, createdByUserId: member.id, name: "member key", scopes: ["query"] });

    const result = await removeMember({ organizationId: organization.id, memberId: member.id, actor: { userId: admin.id, request } });
    expect(result).toEqual({ ok: true, sessionsEnded: 1 });
    expect(await db.select().from(sessions).where(eq(sessions.userId, member.id))).toHaveLength(0);
    const [after] = await db.select().from(users).where(eq(users.id, member.id));
    expect(after!.organizationId).not.toBe(organization.id);
    expect(after!.role).toBe("client_admin");
    expect((await db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id)))[0]).toMatchObject({ organizationId: organization.id, revokedAt: null, createdByUserId: member.id });
    expect(await verifyApiKey(key)).toMatchObject({ valid: true, organizationId: organization.id });
    expect(await removeMember({ organizationId: organization.id, memberId: admin.id, actor: { userId: admin.id, request } })).toEqual({ ok: false, reason: "self" });
  });

  it.runIf(onServerDatabase)("two admins demoting each other at the same moment leave one admin", async () => {
    const { organization, admin } = await createOrganizationWithAdmin();
    const second = await createMember(organization.id, "client_admin");
    // Hold one admin row so both demotions queue at the lock and meet there together.
    const held = await holdTransaction([["select 1 from users where id = $1 for update", [admin.id]]]);
    const racing = Promise.all([
      changeMemberRole({ organizationId: organization.id, memberId: admin.id, role: "user", actor: { userId: second.id, request } }),
      changeMemberRole({ organizationId: organization.id, memberId: second.id, role: "user", actor: { userId: admin.id, request } }),
    ]);
    await held.waitForWaiters(2);
    await held.release();
    const results = await racing;
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok)).toEqual([{ ok: false, reason: "last_admin" }]);
    const roles = [await roleOf(admin.id), await roleOf(second.id)];
    expect(roles.filter((role) => role === "client_admin")).toHaveLength(1);
  });

  it.runIf(onServerDatabase)("a removal and a demotion at the same moment leave one admin", async () => {
    const { organization, admin } = await createOrganizationWithAdmin();
    const second = await createMember(organization.id, "client_admin");
    const held = await holdTransaction([["select 1 from users where id = $1 for update", [admin.id]]]);
    const racing = Promise.all([
      removeMember({ organizationId: organization.id, memberId: admin.id, actor: { userId: second.id, request } }),
      changeMemberRole({ organizationId: organization.id, memberId: second.id, role: "user", actor: { userId: admin.id, request } }),
    ]);
    await held.waitForWaiters(2);
    await held.release();
    const results = await racing;
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    const admins = await db.select().from(users).where(and(eq(users.organizationId, organization.id), eq(users.role, "client_admin")));
    expect(admins).toHaveLength(1);
  });
});

describe("organization settings", () => {
  it("updates the name and member scopes, and the threshold re-arms the alert when the balance is above it, each with an audit row", async () => {
    const { organization, admin } = await createOrganizationWithAdmin(500);
    const actor = { userId: admin.id, request };
    const updated = await updateOrganizationSettings({ organizationId: organization.id, name: "Renamed", memberKeyScopes: ["query"], actor });
    expect(updated).toMatchObject({ name: "Renamed", memberKeyScopes: ["query"] });
    await db.execute(`update organizations set low_credit_alerted_at = now() where id = '${organization.id}'`);
    const threshold = await updateLowCreditThreshold({ organizationId: organization.id, lowCreditThreshold: 200, actor });
    expect(threshold).toMatchObject({ lowCreditThreshold: 200, lowCreditAlertedAt: null });
    const actions = (await db.select().from(auditLog).where(eq(auditLog.targetId, organization.id))).map((row) => [row.action, row.actorUserId]);
    expect(actions).toEqual(expect.arrayContaining([["organization.settings_updated", admin.id], ["organization.threshold_updated", admin.id]]));
  });
});
