import { eq, sql } from "drizzle-orm";
import { withTransaction } from "@/db/transaction";
import { accounts, users } from "@/db/schema";
import { appUrl } from "@/lib/app-url";
import { writeAudit } from "@/lib/audit";
import { deliverSoon, enqueueEmail, passwordResetTemplate } from "@/lib/email";
import { afterResponse } from "./after-response";
import { hashPassword } from "./password";
import type { RequestInfo } from "./request-info";
import { revokeAllSessions } from "./sessions";
import { consumeUserToken, issueUserToken } from "./tokens";

/**
 * Queues a reset email when the address belongs to an enabled user. Returns nothing either way: the
 * caller must answer the same whether or not the address exists. Awaited by the CLI (an invitation is a
 * reset link); the public form uses `requestPasswordResetAfterResponse`.
 */
export async function requestPasswordReset(email: string, request: RequestInfo): Promise<void> {
  await withTransaction(async ({ tx, afterCommit }) => {
    const [user] = await tx.select().from(users).where(eq(users.email, email));
    if (!user || user.disabledAt) return;
    const token = await issueUserToken(tx, user.id, "reset_password");
    await enqueueEmail(tx, user.email, passwordResetTemplate, {
      name: user.name,
      url: appUrl(`/reset-password?token=${encodeURIComponent(token)}`),
    });
    await writeAudit(
      { action: "user.password_reset_requested", actorUserId: user.id, organizationId: user.organizationId, targetType: "user", targetId: user.id, ...request },
      tx,
    );
    afterCommit(deliverSoon);
  });
}

/**
 * For the public form: nothing is looked up before the answer, so a known address (a token, an outbox row
 * and an audit row written) answers exactly as fast as an unknown one (a single read).
 */
export function requestPasswordResetAfterResponse(email: string, request: RequestInfo): void {
  afterResponse("password reset request", () => requestPasswordReset(email, request));
}

export type ResetResult = { ok: true } | { ok: false; reason: "invalid" | "expired" | "used" };

/**
 * Sets the new password, clears any lockout and ends every session of the user, in one transaction. The
 * link proves control of the mailbox; if nobody had proved it before, the providers linked to the account
 * are removed too: they were attached by whoever created it, who may not be the owner of the address (an
 * account planted with someone else's email). The owner can link their own again from Settings.
 */
export async function resetPassword(token: string, password: string, request: RequestInfo): Promise<ResetResult> {
  const passwordHash = await hashPassword(password);
  return withTransaction(async ({ tx }) => {
    const consumed = await consumeUserToken(tx, token, "reset_password");
    if (!consumed.ok) return consumed;
    const [before] = await tx.select({ emailVerified: users.emailVerified }).from(users).where(eq(users.id, consumed.userId)).for("update");
    const unlinked = before?.emailVerified
      ? []
      : await tx.delete(accounts).where(eq(accounts.userId, consumed.userId)).returning({ provider: accounts.provider });
    const [user] = await tx
      .update(users)
      // The link proves control of the mailbox, so it also verifies the address.
      .set({ passwordHash, failedLoginAttempts: 0, lockedUntil: null, emailVerified: sql`coalesce(${users.emailVerified}, now())`, updatedAt: new Date() })
      .where(eq(users.id, consumed.userId))
      .returning();
    const revoked = await revokeAllSessions(tx, consumed.userId);
    await writeAudit(
      { action: "user.password_reset", actorUserId: user!.id, organizationId: user!.organizationId, targetType: "user", targetId: user!.id, metadata: { sessionsRevoked: revoked, ...(unlinked.length > 0 ? { providersUnlinked: unlinked.map((row) => row.provider) } : {}) }, ...request },
      tx,
    );
    return { ok: true as const };
  });
}
