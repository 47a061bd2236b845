import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { auditLog, userTokens, type UserTokenPurpose } from "@/db/schema";

/**
 * How often the portal emails one address on request (a verification resend, a sign-up with a taken
 * address): anyone can ask for these, and without a limit they make the portal spam someone else's inbox.
 * The caller locks the user's row (SELECT ... FOR UPDATE) in the transaction that queues the email, so
 * parallel requests count one after another and cannot all see room for one more. An address belongs to
 * one user and never changes, so the limit per user is the limit per address.
 */
export const emailLimits = { perMinute: 1, perDay: 5 } as const;

export type EmailAllowance = { allowed: true } | { allowed: false; retryAfterSeconds: number };

type Recent = { lastMinute: number; lastDay: number; minuteWait: number; dayWait: number };

function recentColumns(createdAt: typeof userTokens.createdAt | typeof auditLog.createdAt) {
  return {
    lastMinute: sql<number>`count(*) filter (where ${createdAt} > now() - interval '1 minute')`.mapWith(Number),
    lastDay: sql<number>`count(*)`.mapWith(Number),
    minuteWait: sql<number>`coalesce(extract(epoch from (max(${createdAt}) + interval '1 minute' - now())), 0)`.mapWith(Number),
    dayWait: sql<number>`coalesce(extract(epoch from (min(${createdAt}) + interval '1 day' - now())), 0)`.mapWith(Number),
  };
}

function allowance(recent: Recent | undefined): EmailAllowance {
  if (!recent) return { allowed: true };
  if (recent.lastDay >= emailLimits.perDay) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(recent.dayWait)) };
  if (recent.lastMinute >= emailLimits.perMinute) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(recent.minuteWait)) };
  return { allowed: true };
}

/** Emails carrying a token (verification, reset) are counted by the tokens issued to the user. */
export async function tokenEmailAllowance(tx: Executor, userId: string, purpose: UserTokenPurpose): Promise<EmailAllowance> {
  const [recent] = await tx
    .select(recentColumns(userTokens.createdAt))
    .from(userTokens)
    .where(and(eq(userTokens.userId, userId), eq(userTokens.purpose, purpose), sql`${userTokens.createdAt} > now() - interval '1 day'`));
  return allowance(recent);
}

/** Notices without a token are counted by the audit rows written with them (action, target user). */
export async function noticeEmailAllowance(tx: Executor, userId: string, action: string): Promise<EmailAllowance> {
  const [recent] = await tx
    .select(recentColumns(auditLog.createdAt))
    .from(auditLog)
    .where(
      and(
        sql`${auditLog.createdAt} > now() - interval '1 day'`,
        eq(auditLog.action, action),
        eq(auditLog.targetType, "user"),
        eq(auditLog.targetId, userId),
        sql`(${auditLog.metadata} ->> 'emailed')::boolean`,
      ),
    );
  return allowance(recent);
}
