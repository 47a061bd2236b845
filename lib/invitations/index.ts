import { randomBytes } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { db, type Executor } from "@/db/client";
import { withTransaction } from "@/db/transaction";
import { invitations, organizations, users, type InvitationRole } from "@/db/schema";
import { appUrl } from "@/lib/app-url";
import { writeAudit } from "@/lib/audit";
import type { RequestInfo } from "@/lib/auth/request-info";
import { hashToken } from "@/lib/auth/tokens";
import { deliverSoon, enqueueEmail } from "@/lib/email";
import { invitationTemplate } from "@/lib/email/templates/invitation";

export const invitationLifetimeSeconds = 7 * 24 * 60 * 60;

/** Who changes an organization's invitations, for the audit row. */
export type InvitationActor = { userId: string; name: string | null; request: RequestInfo };

/** The open invitations: neither accepted nor cancelled (expired ones included, so they can be resent). */
const isOpen = and(isNull(invitations.acceptedAt), isNull(invitations.cancelledAt));

/** A fresh token for the invitation row (the old hash, and so the old link, is gone) and its email. */
async function sendNewToken(tx: Executor, invitationId: string, actor: InvitationActor) {
  const token = randomBytes(32).toString("base64url");
  const [row] = await tx
    .update(invitations)
    .set({ tokenHash: hashToken(token), expiresAt: sql`now() + make_interval(secs => ${invitationLifetimeSeconds})`, lastSentAt: sql`now()` })
    .where(eq(invitations.id, invitationId))
    .returning();
  const [organization] = await tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, row!.organizationId));
  await enqueueEmail(tx, row!.email, invitationTemplate, {
    organizationName: organization!.name,
    inviterName: actor.name,
    role: row!.role,
    url: appUrl(`/invite?token=${encodeURIComponent(token)}`),
  });
  return row!;
}

export type InviteResult =
  | { ok: true; invitationId: string; resent: boolean }
  | { ok: false; reason: "already_member" };

/**
 * Invites `email` into the organization, or resends the open invitation it already has (one per address, a
 * unique index makes sure). The invitation, its email and the audit row commit together.
 */
export async function inviteMember(input: { organizationId: string; email: string; role: InvitationRole; actor: InvitationActor }): Promise<InviteResult> {
  return withTransaction(async ({ tx, afterCommit }) => {
    const [member] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.email, input.email), eq(users.organizationId, input.organizationId)));
    if (member) return { ok: false as const, reason: "already_member" as const };
    // A placeholder hash, replaced by sendNewToken in this transaction; ON CONFLICT turns a second invite into a resend.
    const [inserted] = await tx
      .insert(invitations)
      .values({ organizationId: input.organizationId, email: input.email, role: input.role, tokenHash: `pending:${crypto.randomUUID()}`, invitedByUserId: input.actor.userId, expiresAt: sql`now()` })
      .onConflictDoNothing()
      .returning({ id: invitations.id });
    const [existing] = inserted
      ? [inserted]
      : await tx
          .update(invitations)
          .set({ role: input.role, invitedByUserId: input.actor.userId })
          .where(and(eq(invitations.organizationId, input.organizationId), eq(invitations.email, input.email), isOpen))
          .returning({ id: invitations.id });
    const invitation = await sendNewToken(tx, existing!.id, input.actor);
    await writeAudit(
      {
        action: inserted ? "invitation.created" : "invitation.resent",
        actorUserId: input.actor.userId,
        organizationId: input.organizationId,
        targetType: "invitation",
        targetId: invitation.id,
        metadata: { email: invitation.email, role: invitation.role },
        ...input.actor.request,
      },
      tx,
    );
    afterCommit(deliverSoon);
    return { ok: true as const, invitationId: invitation.id, resent: !inserted };
  });
}

type InvitationTarget = { organizationId: string; invitationId: string; actor: InvitationActor };

/** A new link for an open invitation of the organization; false when there is none (another organization's included). */
export async function resendInvitation({ organizationId, invitationId, actor }: InvitationTarget) {
  return withTransaction(async ({ tx, afterCommit }) => {
    const [open] = await tx
      .select({ id: invitations.id })
      .from(invitations)
      .where(and(eq(invitations.id, invitationId), eq(invitations.organizationId, organizationId), isOpen))
      .for("update");
    if (!open) return false;
    const invitation = await sendNewToken(tx, open.id, actor);
    await writeAudit(
      { action: "invitation.resent", actorUserId: actor.userId, organizationId, targetType: "invitation", targetId: invitation.id, metadata: { email: invitation.email }, ...actor.request },
      tx,
    );
    afterCommit(deliverSoon);
    return true;
  });
}

/** Cancels an open invitation of the organization (its link then says so); false when there is none. */
export async function cancelInvitation({ organizationId, invitationId, actor }: InvitationTarget) {
  return withTransaction(async ({ tx }) => {
    const [cancelled] = await tx
      .update(invitations)
      .set({ cancelledAt: sql`now()` })
      .where(and(eq(invitations.id, invitationId), eq(invitations.organizationId, organizationId), isOpen))
      .returning({ id: invitations.id, email: invitations.email });
    if (!cancelled) return false;
    await writeAudit(
      { action: "invitation.cancelled", actorUserId: actor.userId, organizationId, targetType: "invitation", targetId: cancelled.id, metadata: { email: cancelled.email }, ...actor.request },
      tx,
    );
    return true;
  });
}

/** The organization's open invitations, newest first, with whether each has expired. */
export async function listOpenInvitations(organizationId: string) {
  return db
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      expiresAt: invitations.expiresAt,
      lastSentAt: invitations.lastSentAt,
      expired: sql<boolean>`${invitations.expiresAt} <= now()`,
      invitedBy: users.name,
    })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.invitedByUserId))
    .where(and(eq(invitations.organizationId, organizationId), isOpen))
    .orderBy(desc(invitations.createdAt));
}
