import { and, eq, ne } from "drizzle-orm";
import { db } from "@/db/client";
import { withTransaction } from "@/db/transaction";
import { sessions, users } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { hashPassword, verifyPassword } from "./password";
import { allowAuthAttempt } from "./rate-limit";
import type { RequestInfo } from "./request-info";

export type PasswordChangeActor = { userId: string; sessionId: string; organizationId: string | null; request: RequestInfo };

export type PasswordChangeResult =
  | { ok: true; sessionsEnded: number }
  | { ok: false; reason: "no_password" | "wrong_password" | "same_password" | "rate_limited" | "changed_meanwhile" };

/**
 * Changes a password user's password after checking the current one, and ends every other session of the
 * user in the same transaction (a thief holding an old session loses it; the person at this browser stays
 * signed in). A wrong current password is refused without touching the sign-in lockout counter: the caller
 * already holds a session, so the guard against guessing here is the per-account and per-IP rate limit.
 * Users without a password (provider-only) are refused: setting a first password goes through the emailed
 * reset link, which proves control of the mailbox.
 */
export async function changePassword(actor: PasswordChangeActor, currentPassword: string, newPassword: string): Promise<PasswordChangeResult> {
  const [user] = await db
    .select({ email: users.email, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, actor.userId));
  if (!user?.passwordHash) return { ok: false, reason: "no_password" };
  if (!(await allowAuthAttempt("password-change", { ipAddress: actor.request.ipAddress, email: user.email }))) {
    return { ok: false, reason: "rate_limited" };
  }
  const audit = { actorUserId: actor.userId, organizationId: actor.organizationId, targetType: "user", targetId: actor.userId, ...actor.request };
  if (!(await verifyPassword(currentPassword, user.passwordHash))) {
    await writeAudit({ ...audit, action: "user.password_change_failed", metadata: { reason: "wrong_password" } });
    return { ok: false, reason: "wrong_password" };
  }
  if (currentPassword === newPassword) return { ok: false, reason: "same_password" };
  const passwordHash = await hashPassword(newPassword);
  return withTransaction(async ({ tx }) => {
    // Compare-and-set on the hash that was checked: a reset or another change in between wins, not this one.
    const updated = await tx
      .update(users)
      .set({ passwordHash, updatedAt: new Date() })
      .where(and(eq(users.id, actor.userId), eq(users.passwordHash, user.passwordHash!)))
      .returning({ id: users.id });
    if (updated.length === 0) return { ok: false as const, reason: "changed_meanwhile" as const };
    const ended = await tx
      .delete(sessions)
      .where(and(eq(sessions.userId, actor.userId), ne(sessions.id, actor.sessionId)))
      .returning({ id: sessions.id });
    await writeAudit({ ...audit, action: "user.password_changed", metadata: { sessionsEnded: ended.length } }, tx);
    return { ok: true as const, sessionsEnded: ended.length };
  });
}
