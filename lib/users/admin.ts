import { and, desc, eq, ilike, isNull, ne, or, sql } from "drizzle-orm";
import { db, type Transaction } from "@/db/client";
import { organizations, sessions, users, type Role } from "@/db/schema";
import { withTransaction } from "@/db/transaction";
import { type AdminActor, auditedBy } from "@/lib/admin/actor";
import { containsPattern, exactTime, olderThan, pageOf, type TimeCursor } from "@/lib/admin/cursor";
import { AdminError } from "@/lib/admin/errors";
import { writeAudit } from "@/lib/audit";
import { remirrorUserKeys } from "@/lib/keys";

export type AdminUserRow = Awaited<ReturnType<typeof searchUsers>>["rows"][number];

/** Users whose email or name contains `query` (all users without one), newest first, by keyset. */
export async function searchUsers(options: { query?: string; after?: TimeCursor; limit?: number } = {}) {
  const limit = Math.min(Math.max(options.limit ?? 25, 1), 100);
  const pattern = options.query ? containsPattern(options.query) : undefined;
  const rows = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      organizationId: users.organizationId,
      organizationName: organizations.name,
      failedLoginAttempts: users.failedLoginAttempts,
      lockedUntil: users.lockedUntil,
      locked: sql<boolean>`coalesce(${users.lockedUntil} > now(), false)`,
      disabledAt: users.disabledAt,
      createdAt: users.createdAt,
      // Table names written out: drizzle leaves columns unqualified, and in here "id" would be the session's.
      sessions: sql<number>`(select count(*)::int from sessions s where s.user_id = "users"."id" and s.expires > now())`,
      exactCreatedAt: exactTime(users.createdAt),
    })
    .from(users)
    .leftJoin(organizations, eq(organizations.id, users.organizationId))
    .where(and(pattern ? or(ilike(users.email, pattern), ilike(users.name, pattern)) : undefined, olderThan(users.createdAt, users.id, options.after, "text")))
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(limit + 1);
  return pageOf(rows, limit, (row) => ({ at: row.exactCreatedAt, id: row.id }));
}

export async function findUserByEmail(email: string) {
  const [user] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  return user ?? null;
}

async function lockUser(tx: Transaction, userId: string) {
  const [user] = await tx.select().from(users).where(eq(users.id, userId)).for("update");
  if (!user) throw new AdminError("not_found", "That user does not exist.");
  return user;
}

/** Ends a lockout: clears the lock and the failed attempts that led to it, with its audit row. */
export async function unlockUser(userId: string, actor: AdminActor) {
  return withTransaction(async ({ tx }) => {
    const user = await lockUser(tx, userId);
    await tx.update(users).set({ lockedUntil: null, failedLoginAttempts: 0, updatedAt: new Date() }).where(eq(users.id, userId));
    await writeAudit(
      {
        action: "user.unlocked",
        organizationId: user.organizationId,
        targetType: "user",
        targetId: userId,
        metadata: { email: user.email, failedLoginAttempts: user.failedLoginAttempts, lockedUntil: user.lockedUntil?.toISOString() ?? null },
        ...auditedBy(actor),
      },
      tx,
    );
    return user;
  });
}

/**
 * Disables a user (they cannot sign in, every session of theirs is deleted so an open one ends at its next
 * request, and the keys they created turn `disabled` in Redis) or enables them again. One transaction with
 * its audit row; the key mirror follows after commit. Setting the state the user already has changes nothing.
 */
export async function setUserDisabled(userId: string, disabled: boolean, actor: AdminActor) {
  if (disabled && actor.userId === userId) throw new AdminError("not_allowed", "You cannot disable your own account.");
  return withTransaction(async (context) => {
    const user = await lockUser(context.tx, userId);
    if ((user.disabledAt !== null) === disabled) return { user, changed: false, sessionsEnded: 0, keys: 0 };
    await context.tx.update(users).set({ disabledAt: disabled ? new Date() : null, updatedAt: new Date() }).where(eq(users.id, userId));
    const ended = disabled ? await context.tx.delete(sessions).where(eq(sessions.userId, userId)).returning({ id: sessions.id }) : [];
    const keys = await remirrorUserKeys(context, userId, disabled);
    await writeAudit(
      {
        action: disabled ? "user.disabled" : "user.enabled",
        organizationId: user.organizationId,
        targetType: "user",
        targetId: userId,
        metadata: { email: user.email, sessionsEnded: ended.length, keys },
        ...auditedBy(actor),
      },
      context.tx,
    );
    return { user, changed: true, sessionsEnded: ended.length, keys };
  });
}

/**
 * Changes a user's role. An organization always keeps an enabled client admin: demoting its last one is
 * refused. The organization row is locked first, so two demotions of its last two admins at the same moment
 * are serialized and the second sees that the first has happened.
 */
export async function changeUserRole(userId: string, role: Role, actor: AdminActor) {
  if (actor.userId === userId) throw new AdminError("not_allowed", "You cannot change your own role; ask another business admin.");
  return withTransaction(async ({ tx }) => {
    const [target] = await tx.select({ organizationId: users.organizationId }).from(users).where(eq(users.id, userId));
    if (!target) throw new AdminError("not_found", "That user does not exist.");
    if (target.organizationId) await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, target.organizationId)).for("update");
    const user = await lockUser(tx, userId);
    if (user.role === role) return { user, changed: false };
    if (!user.organizationId && role !== "business_admin") {
      throw new AdminError("not_allowed", "This user belongs to no organization, so they can only be a business admin.");
    }
    if (user.role === "client_admin" && user.organizationId) {
      const [others] = await tx
        .select({ count: sql<number>`count(*)::int` })
        .from(users)
        .where(and(eq(users.organizationId, user.organizationId), eq(users.role, "client_admin"), ne(users.id, userId), isNull(users.disabledAt)));
      if ((others?.count ?? 0) === 0) {
        throw new AdminError("last_client_admin", "This is the organization's last client admin. Make another member a client admin first.");
      }
    }
    await tx.update(users).set({ role, updatedAt: new Date() }).where(eq(users.id, userId));
    await writeAudit(
      { action: "user.role_changed", organizationId: user.organizationId, targetType: "user", targetId: userId, metadata: { email: user.email, from: user.role, to: role }, ...auditedBy(actor) },
      tx,
    );
    return { user: { ...user, role }, changed: true };
  });
}
