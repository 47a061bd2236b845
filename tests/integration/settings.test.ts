import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { db } from "@/db/client";
import { auditLog, sessions, users } from "@/db/schema";
import { changePassword } from "@/lib/auth/password-change";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { createSessionRow } from "@/lib/auth/sessions";
import { getNotificationPreferences, setNotificationPreference } from "@/lib/users/preferences";
import { getProfile, updateProfileName } from "@/lib/users/profile";

const request = { ipAddress: null, userAgent: "vitest" };
const oldPassword = "the old long passphrase";
const newPassword = "a brand new passphrase";

async function userWithSessions(options: { password: string | null; sessions: number }) {
  const [user] = await db
    .insert(users)
    .values({ email: `settings-${randomUUID()}@example.com`, name: "Before", passwordHash: options.password ? await hashPassword(options.password) : null })
    .returning();
  const tokens: string[] = [];
  for (let index = 0; index < options.sessions; index += 1) tokens.push(await createSessionRow(user!.id, request));
  const rows = await db.select({ id: sessions.id, token: sessions.sessionToken }).from(sessions).where(eq(sessions.userId, user!.id));
  const currentId = rows.find((row) => row.token === tokens[0])?.id ?? randomUUID();
  return { user: user!, actor: { userId: user!.id, sessionId: currentId, organizationId: null, request } };
}

async function sessionIdsOf(userId: string) {
  const rows = await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId));
  return rows.map((row) => row.id);
}

async function storedHash(userId: string) {
  const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  return row!.passwordHash;
}

async function auditActions(userId: string) {
  const rows = await db.select({ action: auditLog.action, metadata: auditLog.metadata }).from(auditLog).where(eq(auditLog.actorUserId, userId));
  return rows;
}

describe("changing a password", () => {
  test("ends every other session, keeps the current one, and is audited", async () => {
    const { user, actor } = await userWithSessions({ password: oldPassword, sessions: 3 });
    expect(await changePassword(actor, oldPassword, newPassword)).toEqual({ ok: true, sessionsEnded: 2 });
    expect(await sessionIdsOf(user.id)).toEqual([actor.sessionId]);
    const hash = await storedHash(user.id);
    expect(await verifyPassword(newPassword, hash!)).toBe(true);
    expect(await verifyPassword(oldPassword, hash!)).toBe(false);
    expect(await auditActions(user.id)).toEqual([{ action: "user.password_changed", metadata: { sessionsEnded: 2 } }]);
  });

  test("a wrong current password changes nothing and does not count toward the sign-in lockout", async () => {
    const { user, actor } = await userWithSessions({ password: oldPassword, sessions: 2 });
    const hashBefore = await storedHash(user.id);
    expect(await changePassword(actor, "not the old passphrase", newPassword)).toEqual({ ok: false, reason: "wrong_password" });
    expect(await storedHash(user.id)).toBe(hashBefore);
    expect((await sessionIdsOf(user.id)).sort()).toHaveLength(2);
    const [row] = await db.select({ failed: users.failedLoginAttempts, lockedUntil: users.lockedUntil }).from(users).where(eq(users.id, user.id));
    expect(row).toEqual({ failed: 0, lockedUntil: null });
    expect(await auditActions(user.id)).toEqual([{ action: "user.password_change_failed", metadata: { reason: "wrong_password" } }]);
  });

  test("the same password again is refused", async () => {
    const { user, actor } = await userWithSessions({ password: oldPassword, sessions: 2 });
    expect(await changePassword(actor, oldPassword, oldPassword)).toEqual({ ok: false, reason: "same_password" });
    expect(await sessionIdsOf(user.id)).toHaveLength(2);
  });

  test("a provider-only user (no password) is refused and nothing is set", async () => {
    const { user, actor } = await userWithSessions({ password: null, sessions: 2 });
    expect(await changePassword(actor, "anything at all", newPassword)).toEqual({ ok: false, reason: "no_password" });
    expect(await storedHash(user.id)).toBeNull();
    expect(await sessionIdsOf(user.id)).toHaveLength(2);
  });

  test("guessing the current password is rate-limited per account", async () => {
    const { user, actor } = await userWithSessions({ password: oldPassword, sessions: 1 });
    // AUTH_RATE_LIMIT_PER_EMAIL defaults to 10 per window.
    for (let attempt = 0; attempt < 10; attempt += 1) {
      expect(await changePassword(actor, `guess ${attempt} of many`, newPassword)).toEqual({ ok: false, reason: "wrong_password" });
    }
    expect(await changePassword(actor, oldPassword, newPassword)).toEqual({ ok: false, reason: "rate_limited" });
    expect(await verifyPassword(oldPassword, (await storedHash(user.id))!)).toBe(true);
  });
});

describe("notification preferences", () => {
  test("default to on, are saved one at a time and read back", async () => {
    const { user } = await userWithSessions({ password: null, sessions: 0 });
    expect(await getNotificationPreferences(user.id)).toEqual({ notifyLowCredit: true, notifyForecast: true, notifyReceipts: true });
    await setNotificationPreference(user.id, "notifyForecast", false);
    await setNotificationPreference(user.id, "notifyReceipts", false);
    await setNotificationPreference(user.id, "notifyReceipts", true);
    expect(await getNotificationPreferences(user.id)).toEqual({ notifyLowCredit: true, notifyForecast: false, notifyReceipts: true });
  });

  test("another user's preferences are untouched", async () => {
    const { user: mine } = await userWithSessions({ password: null, sessions: 0 });
    const { user: theirs } = await userWithSessions({ password: null, sessions: 0 });
    await setNotificationPreference(mine.id, "notifyLowCredit", false);
    expect((await getNotificationPreferences(theirs.id))!.notifyLowCredit).toBe(true);
  });
});

describe("the profile name", () => {
  test("is trimmed and saved", async () => {
    const { user } = await userWithSessions({ password: null, sessions: 0 });
    expect(await updateProfileName(user.id, "  Ada Lovelace  ")).toEqual({ ok: true, name: "Ada Lovelace" });
    expect((await getProfile(user.id))!.name).toBe("Ada Lovelace");
  });

  test.each([
    ["a NUL character", "Ada\u0000Lovelace"],
    ["an unpaired surrogate", "Ada \ud83d"],
    ["a line break", "Ada\nLovelace"],
    ["only spaces", "   "],
    ["101 characters", "x".repeat(101)],
  ])("with %s is a field error and nothing is saved", async (_case, name) => {
    const { user } = await userWithSessions({ password: null, sessions: 0 });
    const result = await updateProfileName(user.id, name);
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.fieldErrors.name?.[0]).toBeTruthy();
    expect((await getProfile(user.id))!.name).toBe("Before");
  });

  test("reports whether the account has a password", async () => {
    const { user: withPassword } = await userWithSessions({ password: oldPassword, sessions: 0 });
    const { user: providerOnly } = await userWithSessions({ password: null, sessions: 0 });
    expect((await getProfile(withPassword.id))!.hasPassword).toBe(true);
    expect((await getProfile(providerOnly.id))!.hasPassword).toBe(false);
    expect(await db.select().from(users).where(and(eq(users.id, providerOnly.id), eq(users.name, "Before")))).toHaveLength(1);
  });
});
