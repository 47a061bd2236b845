import { and, eq, isNull } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { withTransaction } from "@/db/transaction";
import { users } from "@/db/schema";
import { appUrl } from "@/lib/app-url";
import { writeAudit } from "@/lib/audit";
import { deliverSoon, enqueueEmail, verifyEmailTemplate } from "@/lib/email";
import { tokenEmailAllowance } from "./email-throttle";
import type { RequestInfo } from "./request-info";
import { consumeUserToken, issueUserToken } from "./tokens";

/** Issues a verification token and queues its email, in the caller's transaction. */
export async function queueVerificationEmail(executor: Executor, user: { id: string; name: string | null; email: string }) {
  const token = await issueUserToken(executor, user.id, "verify_email");
  await enqueueEmail(executor, user.email, verifyEmailTemplate, {
    name: user.name,
    url: appUrl(`/verify-email?token=${encodeURIComponent(token)}`),
  });
}

export type ResendResult = { status: "sent" } | { status: "already_verified" } | { status: "throttled"; retryAfterSeconds: number };

/** A new verification link, at most one a minute and five a day (lib/auth/email-throttle.ts). */
export async function resendVerificationEmail(userId: string): Promise<ResendResult> {
  return withTransaction(async ({ tx, afterCommit }) => {
    // The row lock makes parallel resends take turns, so each one counts the links the others queued.
    const [user] = await tx.select().from(users).where(and(eq(users.id, userId), isNull(users.emailVerified))).for("update");
    if (!user) return { status: "already_verified" as const };
    const allowance = await tokenEmailAllowance(tx, user.id, "verify_email");
    if (!allowance.allowed) return { status: "throttled" as const, retryAfterSeconds: allowance.retryAfterSeconds };
    await queueVerificationEmail(tx, user);
    afterCommit(deliverSoon);
    return { status: "sent" as const };
  });
}

export function resendThrottledMessage(retryAfterSeconds: number) {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  const wait = minutes <= 1 ? "a minute" : minutes < 90 ? `${minutes} minutes` : `${Math.ceil(minutes / 60)} hours`;
  return `We sent you a link recently: use the newest one in your inbox, or ask for another in ${wait}.`;
}

export type VerifyEmailResult = { ok: true } | { ok: false; reason: "invalid" | "expired" | "used" };

export async function verifyEmailToken(token: string, request: RequestInfo): Promise<VerifyEmailResult> {
  return withTransaction(async ({ tx }) => {
    const consumed = await consumeUserToken(tx, token, "verify_email");
    if (!consumed.ok) return consumed;
    const [user] = await tx
      .update(users)
      .set({ emailVerified: new Date(), updatedAt: new Date() })
      .where(eq(users.id, consumed.userId))
      .returning({ id: users.id, organizationId: users.organizationId });
    await writeAudit(
      { action: "user.email_verified", actorUserId: user!.id, organizationId: user!.organizationId, targetType: "user", targetId: user!.id, ...request },
      tx,
    );
    return { ok: true as const };
  });
}
