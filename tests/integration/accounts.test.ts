import { and, eq, sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { db } from "@/db/client";
import { auditLog, sessions, userTokens, users } from "@/db/schema";
import { authenticateWithPassword } from "@/lib/auth/credentials";
import { requestPasswordReset, resetPassword } from "@/lib/auth/password-reset";
import { registerUser } from "@/lib/auth/registration";
import { createSessionRow } from "@/lib/auth/sessions";
import { issueUserToken } from "@/lib/auth/tokens";
import { verifyEmailToken } from "@/lib/auth/verification";

const request = { ipAddress: "198.51.100.7", userAgent: "vitest" };
const password = "a long enough passphrase";

async function newUser(label: string) {
  const email = `${label}-${crypto.randomUUID()}@example.com`;
  const result = await registerUser({ name: label, email, password }, request);
  if (!result.ok) throw new Error("registration failed");
  return { email, userId: result.userId };
}

test("five wrong passwords lock the account; the right one is refused until the lock ends", async () => {
  const { email, userId } = await newUser("lock");
  for (let attempt = 1; attempt <= 4; attempt += 1) {
    expect(await authenticateWithPassword(email, `wrong ${attempt}`, request)).toEqual({ ok: false, reason: "invalid" });
  }
  const locked = await authenticateWithPassword(email, "wrong 5", request);
  expect(locked).toMatchObject({ ok: false, reason: "locked" });
  expect(await authenticateWithPassword(email, password, request)).toMatchObject({ ok: false, reason: "locked" });

  const audit = await db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.actorUserId, userId));
  expect(audit.map((row) => row.action)).toContain("user.locked");

  await db.update(users).set({ lockedUntil: sql`now() - interval '1 second'` }).where(eq(users.id, userId));
  expect(await authenticateWithPassword(email, password, request)).toMatchObject({ ok: true });
});

test("a disabled user cannot sign in", async () => {
  const { email, userId } = await newUser("disabled");
  await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, userId));
  expect(await authenticateWithPassword(email, password, request)).toEqual({ ok: false, reason: "disabled" });
});

test("verification tokens are single use and expire", async () => {
  const { userId } = await newUser("verify");
  const token = await issueUserToken(db, userId, "verify_email");
  expect(await verifyEmailToken(token, request)).toEqual({ ok: true });
  expect(await verifyEmailToken(token, request)).toEqual({ ok: false, reason: "used" });
  expect(await verifyEmailToken("not-a-real-token-at-all", request)).toEqual({ ok: false, reason: "invalid" });

  const expired = await issueUserToken(db, userId, "verify_email");
  await db.update(userTokens).set({ expiresAt: sql`now() - interval '1 second'` }).where(and(eq(userTokens.userId, userId), sql`used_at is null`));
  expect(await verifyEmailToken(expired, request)).toEqual({ ok: false, reason: "expired" });
});

test("a password reset changes the password, ends every session and cannot be replayed", async () => {
  const { email, userId } = await newUser("reset");
  await createSessionRow(userId, request);
  await createSessionRow(userId, request);
  await requestPasswordReset(email, request);
  await requestPasswordReset(`nobody-${crypto.randomUUID()}@example.com`, request);
  const token = await issueUserToken(db, userId, "reset_password");

  expect(await resetPassword(token, "the new long passphrase", request)).toEqual({ ok: true });
  expect(await db.select().from(sessions).where(eq(sessions.userId, userId))).toHaveLength(0);
  expect(await authenticateWithPassword(email, password, request)).toMatchObject({ ok: false, reason: "invalid" });
  expect(await authenticateWithPassword(email, "the new long passphrase", request)).toMatchObject({ ok: true });
  expect(await resetPassword(token, "a third long passphrase", request)).toEqual({ ok: false, reason: "used" });
});
