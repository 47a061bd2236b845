import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, queryRows } from "@/db/client";
import { apiKeys, auditLog, emailOutbox, invitations, users } from "@/db/schema";
import { hashToken } from "@/lib/auth/tokens";
import { cancelInvitation, inviteMember, resendInvitation } from "@/lib/invitations";
import { acceptInvitationAsMember, acceptInvitationAsNewUser, describeInvitation } from "@/lib/invitations/accept";
import { createMember, createOrganizationWithAdmin, invitationTokenFor, request } from "../helpers/members";
import { createTestOrganization } from "../helpers/organizations";

const password = "a long enough passphrase";
const newEmail = () => `invitee-${randomUUID().slice(0, 8)}@example.test`;

async function invite(role: "user" | "client_admin" = "user") {
  const { organization, admin } = await createOrganizationWithAdmin();
  const email = newEmail();
  const result = await inviteMember({ organizationId: organization.id, email, role, actor: { userId: admin.id, name: "Ada", request } });
  expect(result).toMatchObject({ ok: true, resent: false });
  return { organization, admin, email, token: await invitationTokenFor(email) };
}

describe("inviting", () => {
  it("stores only the SHA-256 of a 32-byte token, valid 7 days, and queues the email with an audit row", async () => {
    const { organization, admin, email, token } = await invite();
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    const [row] = await db.select().from(invitations).where(eq(invitations.email, email));
    expect(row!.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    const [{ days }] = (await queryRows<{ days: string }>(db, sql`select extract(epoch from ${invitations.expiresAt} - now()) / 86400 as days from ${invitations} where ${invitations.id} = ${row!.id}`)) as [{ days: string }];
    expect(Number(days)).toBeCloseTo(7, 1);
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.targetType, "invitation"), eq(auditLog.targetId, row!.id)));
    expect(audit).toEqual([expect.objectContaining({ action: "invitation.created", actorUserId: admin.id, organizationId: organization.id, ipAddress: request.ipAddress, userAgent: "vitest" })]);
  });

  it("refuses an address that is already a member, and sends nothing", async () => {
    const { organization, admin } = await createOrganizationWithAdmin();
    const result = await inviteMember({ organizationId: organization.id, email: admin.email, role: "user", actor: { userId: admin.id, name: null, request } });
    expect(result).toEqual({ ok: false, reason: "already_member" });
    expect(await db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, admin.email), eq(emailOutbox.template, "invitation")))).toHaveLength(0);
  });

  it("resending gives a new link and kills the old one; inviting again is a resend", async () => {
    const { organization, admin, email, token } = await invite();
    const [row] = await db.select().from(invitations).where(eq(invitations.email, email));
    expect(await resendInvitation({ organizationId: organization.id, invitationId: row!.id, actor: { userId: admin.id, name: null, request } })).toBe(true);
    const second = await invitationTokenFor(email);
    expect(second).not.toBe(token);
    expect(await describeInvitation(token)).toEqual({ status: "invalid" });
    expect(await describeInvitation(second)).toMatchObject({ status: "open" });
    const again = await inviteMember({ organizationId: organization.id, email, role: "client_admin", actor: { userId: admin.id, name: null, request } });
    expect(again).toMatchObject({ ok: true, resent: true, invitationId: row!.id });
    expect(await describeInvitation(second)).toEqual({ status: "invalid" });
    expect(await db.select().from(invitations).where(eq(invitations.email, email))).toHaveLength(1);
  });

  it("another organization's invitation cannot be resent or cancelled, and stays as it was", async () => {
    const { email, token } = await invite();
    const other = await createOrganizationWithAdmin();
    const [row] = await db.select().from(invitations).where(eq(invitations.email, email));
    const actor = { userId: other.admin.id, name: null, request };
    expect(await resendInvitation({ organizationId: other.organization.id, invitationId: row!.id, actor })).toBe(false);
    expect(await cancelInvitation({ organizationId: other.organization.id, invitationId: row!.id, actor })).toBe(false);
    expect(await db.select().from(invitations).where(eq(invitations.id, row!.id))).toEqual([row]);
    expect(await describeInvitation(token)).toMatchObject({ status: "open" });
  });
});

describe("accepting", () => {
  it("a new invitee signs up with the invitation's email, verified, and joins as user", async () => {
    const { organization, email, token } = await invite();
    const result = await acceptInvitationAsNewUser({ token, name: "Grace", password, request });
    expect(result).toMatchObject({ ok: true, email });
    const [user] = await db.select().from(users).where(eq(users.email, email));
    expect(user).toMatchObject({ organizationId: organization.id, role: "user", name: "Grace" });
    expect(user!.emailVerified).toBeInstanceOf(Date);
    expect(await describeInvitation(token)).toEqual({ status: "accepted" });
    expect(await acceptInvitationAsNewUser({ token, name: "Again", password, request })).toEqual({ ok: false, reason: "accepted" });
  });

  it("joins with the role the invitation says (client_admin), never more", async () => {
    const { organization, email, token } = await invite("client_admin");
    await acceptInvitationAsNewUser({ token, name: "Grace", password, request });
    const [user] = await db.select().from(users).where(eq(users.email, email));
    expect(user).toMatchObject({ organizationId: organization.id, role: "client_admin" });
    await expect(db.update(invitations).set({ role: "business_admin" as "user" }).where(eq(invitations.email, email))).rejects.toThrow();
  });

  it("says expired, cancelled or invalid, and changes nothing", async () => {
    const expired = await invite();
    await db.update(invitations).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(invitations.email, expired.email));
    expect(await describeInvitation(expired.token)).toEqual({ status: "expired" });
    expect(await acceptInvitationAsNewUser({ token: expired.token, name: "X", password, request })).toEqual({ ok: false, reason: "expired" });

    const cancelled = await invite();
    const [row] = await db.select().from(invitations).where(eq(invitations.email, cancelled.email));
    await cancelInvitation({ organizationId: cancelled.organization.id, invitationId: row!.id, actor: { userId: cancelled.admin.id, name: null, request } });
    expect(await acceptInvitationAsNewUser({ token: cancelled.token, name: "X", password, request })).toEqual({ ok: false, reason: "cancelled" });

    expect(await acceptInvitationAsNewUser({ token: "not-a-token", name: "X", password, request })).toEqual({ ok: false, reason: "invalid" });
    expect(await db.select().from(users).where(sql`${users.email} in (${expired.email}, ${cancelled.email})`)).toHaveLength(0);
  });

  it("two acceptances of one link at the same moment create one account", async () => {
    const { email, token } = await invite();
    const results = await Promise.all([
      acceptInvitationAsNewUser({ token, name: "One", password, request }),
      acceptInvitationAsNewUser({ token, name: "Two", password, request }),
    ]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(await db.select().from(users).where(eq(users.email, email))).toHaveLength(1);
  });

  it("an existing account whose own organization is empty moves in; the rule is checked under the invitation's lock", async () => {
    const { organization, email, token } = await invite();
    const personal = await createTestOrganization();
    const [user] = await db.insert(users).values({ email, role: "client_admin", organizationId: personal.id, emailVerified: new Date() }).returning();
    expect(await acceptInvitationAsMember({ token, userId: user!.id, request })).toEqual({ ok: true, organizationId: organization.id });
    const [after] = await db.select().from(users).where(eq(users.id, user!.id));
    expect(after).toMatchObject({ organizationId: organization.id, role: "user" });
  });

  it("an existing user of another organization in use is told why and nothing of theirs changes", async () => {
    const { email, token } = await invite();
    const theirs = await createOrganizationWithAdmin(50);
    const [user] = await db.insert(users).values({ email, role: "user", organizationId: theirs.organization.id, emailVerified: new Date() }).returning();
    const before = await db.select().from(users).where(eq(users.id, user!.id));
    expect(await acceptInvitationAsMember({ token, userId: user!.id, request })).toEqual({ ok: false, reason: "organization_in_use" });
    expect(await db.select().from(users).where(eq(users.id, user!.id))).toEqual(before);
    // The invitation stays open: the admins may still be asked to invite another address instead.
    expect(await describeInvitation(token)).toMatchObject({ status: "open" });
  });

  it("an organization holding only an API key is in use too", async () => {
    const { email, token } = await invite();
    const personal = await createTestOrganization();
    const [user] = await db.insert(users).values({ email, role: "client_admin", organizationId: personal.id, emailVerified: new Date() }).returning();
    await db.insert(apiKeys).values({ organizationId: personal.id, createdByUserId: user!.id, name: "k", keyHash: randomUUID(), start: "dz_live_xxxx" });
    expect(await acceptInvitationAsMember({ token, userId: user!.id, request })).toEqual({ ok: false, reason: "organization_in_use" });
  });

  it("refuses another account, a member already there and a platform admin", async () => {
    const { organization, email, token } = await invite();
    const stranger = await createMember((await createTestOrganization()).id, "client_admin");
    expect(await acceptInvitationAsMember({ token, userId: stranger.id, request })).toEqual({ ok: false, reason: "wrong_account" });
    const [platform] = await db.insert(users).values({ email, role: "business_admin", organizationId: (await createTestOrganization()).id }).returning();
    expect(await acceptInvitationAsMember({ token, userId: platform!.id, request })).toEqual({ ok: false, reason: "platform_admin" });
    await db.update(users).set({ organizationId: organization.id, role: "user" }).where(eq(users.id, platform!.id));
    expect(await acceptInvitationAsMember({ token, userId: platform!.id, request })).toEqual({ ok: false, reason: "already_member" });
  });
});
