import { and, eq, ne, sql } from "drizzle-orm";
import { db, queryRows, type Executor } from "@/db/client";
import { withTransaction } from "@/db/transaction";
import { apiKeys, creditLedger, invitations, organizations, payments, users, type Invitation } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { hashPassword } from "@/lib/auth/password";
import type { RequestInfo } from "@/lib/auth/request-info";
import { hashToken } from "@/lib/auth/tokens";

/** Why a link cannot be used: unknown (or replaced by a resend), past its 7 days, cancelled, or already accepted. */
export type DeadInvitation = "invalid" | "expired" | "cancelled" | "accepted";

export type InvitationView =
  | { status: "open"; invitation: Invitation; organizationName: string; inviterName: string | null; accountExists: boolean }
  | { status: DeadInvitation };

function deadReason(invitation: Invitation | undefined, now: Date): DeadInvitation | null {
  if (!invitation) return "invalid";
  if (invitation.acceptedAt) return "accepted";
  if (invitation.cancelledAt) return "cancelled";
  if (invitation.expiresAt.getTime() <= now.getTime()) return "expired";
  return null;
}

/** What the invitation page shows for a token. Only the token's holder (the invitee's mailbox) sees it. */
export async function describeInvitation(token: string): Promise<InvitationView> {
  const [row] = await db
    .select({ invitation: invitations, organizationName: organizations.name, now: sql<Date>`now()`.mapWith((value: string) => new Date(value)) })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.organizationId))
    .where(eq(invitations.tokenHash, hashToken(token)));
  const dead = deadReason(row?.invitation, row?.now ?? new Date());
  if (dead || !row) return { status: dead ?? "invalid" };
  const [inviter] = row.invitation.invitedByUserId
    ? await db.select({ name: users.name }).from(users).where(eq(users.id, row.invitation.invitedByUserId))
    : [];
  const [account] = await db.select({ id: users.id }).from(users).where(eq(users.email, row.invitation.email));
  return { status: "open", invitation: row.invitation, organizationName: row.organizationName, inviterName: inviter?.name ?? null, accountExists: Boolean(account) };
}

/** Locks the invitation of a token for acceptance; a second, concurrent acceptance then finds it accepted. */
async function claimOpenInvitation(tx: Executor, token: string) {
  const [invitation] = await tx.select().from(invitations).where(eq(invitations.tokenHash, hashToken(token))).for("update");
  const [{ now }] = (await queryRows<{ now: string }>(tx, sql`select now()::text as now`)) as [{ now: string }];
  const dead = deadReason(invitation, new Date(now));
  return dead ? ({ ok: false, reason: dead } as const) : ({ ok: true, invitation: invitation! } as const);
}

async function markAccepted(tx: Executor, invitation: Invitation, userId: string, request: RequestInfo, metadata: Record<string, unknown>) {
  await tx.update(invitations).set({ acceptedAt: sql`now()`, acceptedByUserId: userId }).where(eq(invitations.id, invitation.id));
  await writeAudit(
    { action: "invitation.accepted", actorUserId: userId, organizationId: invitation.organizationId, targetType: "invitation", targetId: invitation.id, metadata: { role: invitation.role, ...metadata }, ...request },
    tx,
  );
}

export type AcceptAsNewResult = { ok: true; email: string; userId: string } | { ok: false; reason: DeadInvitation | "account_exists" };

/**
 * A signed-out invitee without an account: creates it with the invitation's email (counted verified, since
 * the link reached that mailbox) in the inviting organization with the invitation's role, in one transaction.
 */
export async function acceptInvitationAsNewUser(input: { token: string; name: string; password: string; request: RequestInfo }): Promise<AcceptAsNewResult> {
  const passwordHash = await hashPassword(input.password);
  return withTransaction(async ({ tx }) => {
    const claimed = await claimOpenInvitation(tx, input.token);
    if (!claimed.ok) return claimed;
    const { invitation } = claimed;
    const [user] = await tx
      .insert(users)
      .values({ name: input.name, email: invitation.email, passwordHash, emailVerified: new Date(), organizationId: invitation.organizationId, role: invitation.role })
      .onConflictDoNothing()
      .returning({ id: users.id });
    if (!user) return { ok: false as const, reason: "account_exists" as const };
    await writeAudit(
      { action: "user.registered", actorUserId: user.id, organizationId: invitation.organizationId, targetType: "user", targetId: user.id, metadata: { invitationId: invitation.id }, ...input.request },
      tx,
    );
    await markAccepted(tx, invitation, user.id, input.request, { newAccount: true });
    return { ok: true as const, email: invitation.email, userId: user.id };
  });
}

export type JoinRefusal = DeadInvitation | "wrong_account" | "already_member" | "platform_admin" | "organization_in_use";
export type AcceptAsMemberResult = { ok: true; organizationId: string } | { ok: false; reason: JoinRefusal };

/**
 * What the account's current organization holds besides the account itself. The rule: an account belongs to
 * one organization, and moves to another only out of its own empty one (no other member, no API key, no
 * credits, no ledger entry, no payment), as a self-registered or removed user's personal organization is.
 * Anything else stays where it is, and the invitee is told why.
 */
async function organizationInUse(tx: Executor, organizationId: string, userId: string) {
  const [row] = (
    await queryRows<{ in_use: boolean }>(tx, sql`select
      exists (select 1 from ${users} where ${users.organizationId} = ${organizationId} and ${users.id} <> ${userId})
      or exists (select 1 from ${apiKeys} where ${apiKeys.organizationId} = ${organizationId})
      or exists (select 1 from ${creditLedger} where ${creditLedger.organizationId} = ${organizationId})
      or exists (select 1 from ${payments} where ${payments.organizationId} = ${organizationId})
      or exists (select 1 from ${organizations} where ${organizations.id} = ${organizationId} and ${organizations.balance} <> 0) as in_use`)
  ) as [{ in_use: boolean }];
  return row.in_use;
}

/** A signed-in invitee joins the inviting organization, under the rule of `organizationInUse`. */
export async function acceptInvitationAsMember(input: { token: string; userId: string; request: RequestInfo }): Promise<AcceptAsMemberResult> {
  return withTransaction(async ({ tx }) => {
    const claimed = await claimOpenInvitation(tx, input.token);
    if (!claimed.ok) return claimed;
    const { invitation } = claimed;
    const [user] = await tx.select().from(users).where(eq(users.id, input.userId)).for("update");
    if (!user || user.email !== invitation.email) return { ok: false as const, reason: "wrong_account" as const };
    if (user.organizationId === invitation.organizationId) return { ok: false as const, reason: "already_member" as const };
    if (user.role === "business_admin") return { ok: false as const, reason: "platform_admin" as const };
    if (user.organizationId && (await organizationInUse(tx, user.organizationId, user.id))) {
      return { ok: false as const, reason: "organization_in_use" as const };
    }
    await tx
      .update(users)
      .set({ organizationId: invitation.organizationId, role: invitation.role, updatedAt: new Date() })
      .where(and(eq(users.id, user.id), ne(users.role, "business_admin")));
    await markAccepted(tx, invitation, user.id, input.request, { previousOrganizationId: user.organizationId });
    return { ok: true as const, organizationId: invitation.organizationId };
  });
}
