import { eq, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { withTransaction } from "@/db/transaction";
import { users, type User } from "@/db/schema";
import { appUrl } from "@/lib/app-url";
import { writeAudit } from "@/lib/audit";
import { accountLockedTemplate, deliverSoon, enqueueEmail } from "@/lib/email";
import { env } from "@/lib/env";
import { burnPasswordCheck, verifyPassword } from "./password";
import { allowAuthAttempt } from "./rate-limit";
import type { RequestInfo } from "./request-info";

export type PasswordSignInFailure = "invalid" | "locked" | "disabled" | "rate_limited";

export type PasswordSignInResult =
  | { ok: true; user: Pick<User, "id" | "email" | "name" | "image"> }
  | { ok: false; reason: PasswordSignInFailure; unlocksAt?: Date };

async function auditFailure(user: User | undefined, email: string, reason: string, request: RequestInfo) {
  await writeAudit({
    action: "auth.sign_in_failed",
    actorUserId: user?.id ?? null,
    organizationId: user?.organizationId ?? null,
    targetType: "user",
    targetId: user?.id,
    metadata: { provider: "credentials", email, reason },
    ...request,
  });
}

/** Counts a wrong password; the attempt that reaches the limit locks the account and emails the owner. */
async function recordWrongPassword(user: User, request: RequestInfo): Promise<PasswordSignInResult> {
  const { LOCKOUT_MAX_ATTEMPTS: maxAttempts, LOCKOUT_MINUTES: minutes } = env();
  return withTransaction(async ({ tx, afterCommit }) => {
    const [counted] = await tx
      .update(users)
      .set({ failedLoginAttempts: sql`${users.failedLoginAttempts} + 1` })
      .where(eq(users.id, user.id))
      .returning({ attempts: users.failedLoginAttempts });
    const attempts = counted!.attempts;
    const audit = { actorUserId: user.id, organizationId: user.organizationId, targetType: "user", targetId: user.id, ...request };
    await writeAudit({ action: "auth.sign_in_failed", ...audit, metadata: { provider: "credentials", reason: "wrong_password", attempts } }, tx);
    if (attempts < maxAttempts) return { ok: false, reason: "invalid" };
    const unlocksAt = new Date(Date.now() + minutes * 60_000);
    await tx.update(users).set({ failedLoginAttempts: 0, lockedUntil: unlocksAt }).where(eq(users.id, user.id));
    await writeAudit({ action: "user.locked", ...audit, metadata: { attempts, unlocksAt: unlocksAt.toISOString() } }, tx);
    await enqueueEmail(tx, user.email, accountLockedTemplate, {
      name: user.name,
      attempts,
      unlocksAt,
      resetUrl: appUrl("/forgot-password"),
    });
    afterCommit(deliverSoon);
    return { ok: false, reason: "locked", unlocksAt };
  });
}

/**
 * The whole email + password check: rate limits, disabled and locked accounts, the password itself and
 * the lockout counter. The caller (Auth.js's Credentials provider) creates the session on success.
 */
export async function authenticateWithPassword(email: string, password: string, request: RequestInfo): Promise<PasswordSignInResult> {
  if (!(await allowAuthAttempt("sign-in", { ipAddress: request.ipAddress, email }))) {
    await auditFailure(undefined, email, "rate_limited", request);
    return { ok: false, reason: "rate_limited" };
  }
  const [user] = await db.select().from(users).where(eq(users.email, email));
  if (!user || !user.passwordHash) {
    await burnPasswordCheck(password);
    await auditFailure(user, email, user ? "no_password" : "unknown_email", request);
    return { ok: false, reason: "invalid" };
  }
  if (user.disabledAt) {
    await auditFailure(user, email, "disabled", request);
    return { ok: false, reason: "disabled" };
  }
  // While locked the password is not even checked: the right one must not end the lock early.
  if (user.lockedUntil && user.lockedUntil > new Date()) {
    await auditFailure(user, email, "locked", request);
    return { ok: false, reason: "locked", unlocksAt: user.lockedUntil };
  }
  if (!(await verifyPassword(password, user.passwordHash))) return recordWrongPassword(user, request);
  await withTransaction(async ({ tx }) => {
    await tx.update(users).set({ failedLoginAttempts: 0, lockedUntil: null }).where(eq(users.id, user.id));
    await writeAudit(
      { action: "auth.sign_in", actorUserId: user.id, organizationId: user.organizationId, targetType: "user", targetId: user.id, metadata: { provider: "credentials" }, ...request },
      tx,
    );
  });
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, image: user.image } };
}

export async function lockedUntil(email: string) {
  const [row] = await db.select({ lockedUntil: users.lockedUntil }).from(users).where(eq(users.email, email));
  return row?.lockedUntil && row.lockedUntil > new Date() ? row.lockedUntil : null;
}
