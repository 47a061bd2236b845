import { and, eq, gte, isNotNull, isNull, lte, or, sql } from "drizzle-orm";
import { db, type Executor } from "@/db/client";
import { withTransaction, type TransactionContext } from "@/db/transaction";
import { users, type User } from "@/db/schema";
import { appUrl } from "@/lib/app-url";
import { writeAudit } from "@/lib/audit";
import { accountLockedTemplate, deliverSoon, enqueueEmail } from "@/lib/email";
import { env } from "@/lib/env";
import { decoyLockedUntil, recordDecoyFailure } from "./decoy-lockout";
import { burnPasswordCheck, verifyPassword } from "./password";
import { allowAuthAttempt } from "./rate-limit";
import type { RequestInfo } from "./request-info";

export type PasswordSignInFailure = "invalid" | "locked" | "disabled" | "rate_limited";

export type PasswordSignInResult =
  | { ok: true; user: Pick<User, "id" | "email" | "name" | "image"> }
  | { ok: false; reason: PasswordSignInFailure; unlocksAt?: Date };

const locked = (unlocksAt?: Date | null): PasswordSignInResult => ({ ok: false, reason: "locked", ...(unlocksAt ? { unlocksAt } : {}) });

// Compared with the database's clock, like the lock was set: one clock decides.
const notLocked = or(isNull(users.lockedUntil), lte(users.lockedUntil, sql`now()`));

async function auditFailure(user: User | undefined, email: string, reason: string, request: RequestInfo, executor: Executor = db) {
  await writeAudit(
    {
      action: "auth.sign_in_failed",
      actorUserId: user?.id ?? null,
      organizationId: user?.organizationId ?? null,
      targetType: "user",
      targetId: user?.id,
      metadata: { provider: "credentials", email, reason },
      ...request,
    },
    executor,
  );
}

/** The lock has just been set (by exactly one statement): audit it and email the owner, in its transaction. */
async function announceLock({ tx, afterCommit }: TransactionContext, user: User, attempts: number, unlocksAt: Date, request: RequestInfo) {
  await writeAudit(
    { action: "user.locked", actorUserId: user.id, organizationId: user.organizationId, targetType: "user", targetId: user.id, metadata: { attempts, unlocksAt: unlocksAt.toISOString() }, ...request },
    tx,
  );
  await enqueueEmail(tx, user.email, accountLockedTemplate, { name: user.name, attempts, unlocksAt, resetUrl: appUrl("/forgot-password") });
  afterCommit(deliverSoon);
}

type CountedAttempt = { counted: true; user: User; attempts: number } | { counted: false; result?: PasswordSignInResult };

/**
 * Counts the attempt before its password is checked, in one conditional UPDATE, so that attempts sent in
 * parallel cannot all pass a check that was read before any of them failed: each one takes the next
 * number, and the one past LOCKOUT_MAX_ATTEMPTS sets the lock in the same statement. At most that many
 * passwords are compared per lock period, however many requests race. A lock that has ended starts a fresh
 * count; the counter includes attempts still in flight, and a success sets it back to 0. It is also the
 * read of the account (one round trip before bcrypt, which keeps the event loop busy): no row means
 * unknown, passwordless, disabled or locked, and the caller reads which.
 */
async function countAttempt(email: string, request: RequestInfo): Promise<CountedAttempt> {
  const { LOCKOUT_MAX_ATTEMPTS: maxAttempts, LOCKOUT_MINUTES: minutes } = env();
  const previous = sql`(case when ${users.lockedUntil} is null then ${users.failedLoginAttempts} else 0 end)`;
  const [user] = await db
    .update(users)
    .set({
      failedLoginAttempts: sql`${previous} + 1`,
      lockedUntil: sql`case when ${previous} + 1 > ${maxAttempts} then now() + make_interval(mins => ${minutes}) end`,
    })
    .where(and(eq(users.email, email), isNotNull(users.passwordHash), isNull(users.disabledAt), notLocked))
    .returning();
  if (!user) return { counted: false };
  if (!user.lockedUntil) return { counted: true, user, attempts: user.failedLoginAttempts };
  // This attempt set the lock (no other statement can: they find it locked). Its notice follows in a
  // transaction of its own; were the process to die in between, the account would still be locked.
  const unlocksAt = user.lockedUntil;
  await withTransaction((context) => announceLock(context, user, user.failedLoginAttempts, unlocksAt, request));
  return { counted: false, result: locked(unlocksAt) };
}

/** A wrong password was already counted; the one that reached the limit locks the account. */
async function refuseWrongPassword(user: User, attempts: number, request: RequestInfo): Promise<PasswordSignInResult> {
  const { LOCKOUT_MAX_ATTEMPTS: maxAttempts, LOCKOUT_MINUTES: minutes } = env();
  return withTransaction(async (context) => {
    const audit = { actorUserId: user.id, organizationId: user.organizationId, targetType: "user", targetId: user.id, ...request };
    await writeAudit({ action: "auth.sign_in_failed", ...audit, metadata: { provider: "credentials", reason: "wrong_password", attempts } }, context.tx);
    if (attempts < maxAttempts) return { ok: false as const, reason: "invalid" as const };
    // Still at the limit (a parallel success would have cleared it) and not locked by another attempt.
    const [lock] = await context.tx
      .update(users)
      .set({ lockedUntil: sql`now() + make_interval(mins => ${minutes})` })
      .where(and(eq(users.id, user.id), notLocked, gte(users.failedLoginAttempts, maxAttempts)))
      .returning({ lockedUntil: users.lockedUntil });
    if (lock?.lockedUntil) {
      await announceLock(context, user, attempts, lock.lockedUntil, request);
      return locked(lock.lockedUntil);
    }
    const [row] = await context.tx.select({ lockedUntil: users.lockedUntil }).from(users).where(and(eq(users.id, user.id), sql`${users.lockedUntil} > now()`));
    return row ? locked(row.lockedUntil) : { ok: false as const, reason: "invalid" as const };
  });
}

/** The password was right; it signs in only if no lock landed while bcrypt ran (the re-check). */
async function completeSignIn(user: User, request: RequestInfo): Promise<PasswordSignInResult> {
  return withTransaction(async ({ tx }) => {
    const [cleared] = await tx
      .update(users)
      .set({ failedLoginAttempts: 0, lockedUntil: null })
      .where(and(eq(users.id, user.id), notLocked, isNull(users.disabledAt)))
      .returning({ id: users.id });
    if (!cleared) {
      const [row] = await tx.select({ disabledAt: users.disabledAt, lockedUntil: users.lockedUntil }).from(users).where(eq(users.id, user.id));
      const reason = row?.disabledAt ? "disabled" : "locked";
      await auditFailure(user, user.email, reason, request, tx);
      return reason === "disabled" ? { ok: false as const, reason } : locked(row?.lockedUntil);
    }
    await writeAudit(
      { action: "auth.sign_in", actorUserId: user.id, organizationId: user.organizationId, targetType: "user", targetId: user.id, metadata: { provider: "credentials" }, ...request },
      tx,
    );
    return { ok: true as const, user: { id: user.id, email: user.email, name: user.name, image: user.image } };
  });
}

/**
 * No password to check (an unknown address, or an account that only signs in with a provider): the
 * same work and the same answers as a real account, the lock after LOCKOUT_MAX_ATTEMPTS included.
 */
async function refuseWithoutPassword(user: User | undefined, email: string, password: string, request: RequestInfo): Promise<PasswordSignInResult> {
  const reason = user ? "no_password" : "unknown_email";
  const decoyLock = decoyLockedUntil(email);
  if (!decoyLock) await burnPasswordCheck(password);
  const unlocksAt = decoyLock ?? recordDecoyFailure(email);
  await auditFailure(user, email, reason, request);
  return unlocksAt ? locked(unlocksAt) : { ok: false, reason: "invalid" };
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
  const attempt = await countAttempt(email, request);
  if (attempt.counted) {
    const { user, attempts } = attempt;
    if (!(await verifyPassword(password, user.passwordHash!))) return refuseWrongPassword(user, attempts, request);
    return completeSignIn(user, request);
  }
  if (attempt.result) return attempt.result;
  const [user] = await db.select().from(users).where(eq(users.email, email));
  if (!user || !user.passwordHash) return refuseWithoutPassword(user, email, password, request);
  if (user.disabledAt) {
    await auditFailure(user, email, "disabled", request);
    return { ok: false, reason: "disabled" };
  }
  // Locked: the password is not even checked, so the right one cannot end the lock early.
  await auditFailure(user, email, "locked", request);
  return locked(user.lockedUntil && user.lockedUntil > new Date() ? user.lockedUntil : null);
}

/** When the lock on an address ends, for the sign-in message: a real account's, or the decoy's. */
export async function lockedUntil(email: string) {
  const [row] = await db.select({ lockedUntil: users.lockedUntil }).from(users).where(eq(users.email, email));
  if (row?.lockedUntil && row.lockedUntil > new Date()) return row.lockedUntil;
  return decoyLockedUntil(email);
}
