import { and, asc, eq, sql } from "drizzle-orm";
import { db, type Executor } from "@/db/client";
import { withTransaction } from "@/db/transaction";
import { auditLog, users } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import type { MemberRole } from "@/lib/auth/permissions";
import type { RequestInfo } from "@/lib/auth/request-info";
import { revokeAllSessions } from "@/lib/auth/sessions";
import { createPersonalOrganization } from "./index";

export type MemberActor = { userId: string; request: RequestInfo };

/** The organization's members with their role and last sign-in (the newest `auth.sign_in` audit row). */
export async function listMembers(organizationId: string) {
  const lastSignIn = db
    .select({ at: sql<Date | null>`max(${auditLog.createdAt})`.as("at") })
    .from(auditLog)
    .where(and(eq(auditLog.actorUserId, users.id), eq(auditLog.action, "auth.sign_in")));
  return db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      emailVerified: users.emailVerified,
      createdAt: users.createdAt,
      lastSignInAt: sql<Date | null>`(${lastSignIn})`.mapWith((value: string | Date | null) => (value ? new Date(value) : null)),
    })
    .from(users)
    .where(eq(users.organizationId, organizationId))
    .orderBy(asc(users.email));
}

export type MemberChangeRefusal = "not_found" | "last_admin" | "platform_admin" | "self";
export type MemberChangeResult = { ok: true } | { ok: false; reason: MemberChangeRefusal };

/**
 * Locks every client admin of the organization (in id order, so two changes cannot deadlock) and the target,
 * then reads how many admins remain. Two admins demoting each other at the same moment take turns here, and
 * the second one, re-reading the rows after the first committed, sees one admin left: the last client admin
 * can never be removed or demoted.
 */
async function lockMembers(tx: Executor, organizationId: string, memberId: string) {
  const locked = await tx
    .select({ id: users.id, role: users.role, email: users.email })
    .from(users)
    .where(and(eq(users.organizationId, organizationId), sql`(${users.role} = 'client_admin' or ${users.id} = ${memberId})`))
    .orderBy(asc(users.id))
    .for("update");
  return { target: locked.find((row) => row.id === memberId), admins: locked.filter((row) => row.role === "client_admin").length };
}

/** Changes a member's role between `user` and `client_admin` (never to or from business_admin). */
export async function changeMemberRole(input: { organizationId: string; memberId: string; role: MemberRole; actor: MemberActor }): Promise<MemberChangeResult> {
  return withTransaction(async ({ tx }) => {
    const { target, admins } = await lockMembers(tx, input.organizationId, input.memberId);
    if (!target) return { ok: false as const, reason: "not_found" as const };
    if (target.role === "business_admin") return { ok: false as const, reason: "platform_admin" as const };
    if (target.role === input.role) return { ok: true as const };
    if (target.role === "client_admin" && admins <= 1) return { ok: false as const, reason: "last_admin" as const };
    await tx.update(users).set({ role: input.role, updatedAt: new Date() }).where(eq(users.id, target.id));
    await writeAudit(
      {
        action: "member.role_changed",
        actorUserId: input.actor.userId,
        organizationId: input.organizationId,
        targetType: "user",
        targetId: target.id,
        metadata: { email: target.email, from: target.role, to: input.role },
        ...input.actor.request,
      },
      tx,
    );
    return { ok: true as const };
  });
}

/**
 * Removes a member: their sessions end and they move to a fresh personal organization of their own (as a
 * self-registered user starts), so the account survives and can be invited again. The API keys they created
 * stay with this organization and keep working: a key belongs to its organization, and `created_by_user_id`
 * only records who made it.
 */
export async function removeMember(input: { organizationId: string; memberId: string; actor: MemberActor }): Promise<MemberChangeResult & { sessionsEnded?: number }> {
  if (input.memberId === input.actor.userId) return { ok: false, reason: "self" };
  return withTransaction(async ({ tx }) => {
    const { target, admins } = await lockMembers(tx, input.organizationId, input.memberId);
    if (!target) return { ok: false as const, reason: "not_found" as const };
    if (target.role === "business_admin") return { ok: false as const, reason: "platform_admin" as const };
    if (target.role === "client_admin" && admins <= 1) return { ok: false as const, reason: "last_admin" as const };
    const [member] = await tx.select({ name: users.name, email: users.email }).from(users).where(eq(users.id, target.id));
    const personal = await createPersonalOrganization(tx, member!);
    await tx.update(users).set({ organizationId: personal.id, role: "client_admin", updatedAt: new Date() }).where(eq(users.id, target.id));
    const sessionsEnded = await revokeAllSessions(tx, target.id);
    await writeAudit(
      {
        action: "member.removed",
        actorUserId: input.actor.userId,
        organizationId: input.organizationId,
        targetType: "user",
        targetId: target.id,
        metadata: { email: target.email, role: target.role, movedToOrganizationId: personal.id, sessionsEnded },
        ...input.actor.request,
      },
      tx,
    );
    return { ok: true as const, sessionsEnded };
  });
}
