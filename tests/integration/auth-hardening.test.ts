import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterEach, expect, test, vi } from "vitest";
import { db } from "@/db/client";
import { accounts, auditLog, emailOutbox, sessions, userTokens, users } from "@/db/schema";
import { createAuthAdapter } from "@/lib/auth/adapter";
import { authenticateWithPassword, lockedUntil } from "@/lib/auth/credentials";
import { checkOAuthSignIn, linkRequiredPath, markEmailVerifiedByProvider } from "@/lib/auth/linking";
import { resetPassword } from "@/lib/auth/password-reset";
import { registerUser } from "@/lib/auth/registration";
import { getRequestInfo } from "@/lib/auth/request-info";
import { issueUserToken } from "@/lib/auth/tokens";
import { resendVerificationEmail } from "@/lib/auth/verification";
import { enqueueEmail, passwordResetTemplate } from "@/lib/email";
import { requestReset, signUp } from "@/app/(auth)/actions";
import { onServerDatabase } from "../helpers/row-lock";

// The code under test reads request headers, schedules work with `after()` and reads `env()`; outside
// Next these are stand-ins the tests drive. Everything else (Postgres, bcrypt, the outbox) is real.
const request = vi.hoisted(() => ({ headers: new Headers() }));
const envOverrides = vi.hoisted(() => ({ values: {} as Record<string, unknown> }));
const afterQueue = vi.hoisted(() => ({ tasks: [] as Array<() => unknown> }));
const authMocks = vi.hoisted(() => ({ signIn: vi.fn(), signOut: vi.fn(), auth: vi.fn() }));

vi.mock("next/headers", () => ({
  headers: async () => request.headers,
  cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false }),
}));
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  // As in a request: the task runs after the response, i.e. when the test says so.
  after: (task: () => unknown) => void afterQueue.tasks.push(task),
}));
vi.mock("@/lib/env", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/env")>();
  return { ...actual, env: () => ({ ...actual.env(), ...envOverrides.values }) };
});
vi.mock("@/auth", () => authMocks);
// Only its error class is needed; loading next-auth itself outside Next fails to resolve `next/server`.
vi.mock("next-auth", () => ({ CredentialsSignin: class CredentialsSignin extends Error {} }));

// Each test signs in from an address of its own, so the per-IP limit counts one test's attempts only.
let clients = 0;
function client() {
  clients += 1;
  return { ipAddress: `198.51.100.${clients}`, userAgent: "vitest" };
}
const password = "a long enough passphrase";

afterEach(() => {
  request.headers = new Headers();
  envOverrides.values = {};
  afterQueue.tasks = [];
  vi.restoreAllMocks();
  authMocks.signIn.mockReset();
});

async function runAfterTasks() {
  while (afterQueue.tasks.length > 0) await afterQueue.tasks.shift()!();
}

function uniqueEmail(label: string) {
  return `${label}-${randomUUID()}@example.com`;
}

async function newUser(label: string, options: { verified?: boolean } = {}) {
  const email = uniqueEmail(label);
  const result = await registerUser({ name: label, email, password }, client());
  if (!result.ok) throw new Error("registration failed");
  if (options.verified) await db.update(users).set({ emailVerified: new Date() }).where(eq(users.id, result.userId));
  return { email, userId: result.userId };
}

function form(fields: Record<string, string>) {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

async function outboxTo(email: string, template?: string) {
  const rows = await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, email));
  return template ? rows.filter((row) => row.template === template) : rows;
}

// --- 8: the lockout holds against parallel attempts ---------------------------------------------------------

test.skipIf(!onServerDatabase)("8 wrong passwords and the right one sent together: the right one is refused and the account is locked (server database only: PGlite is one session)", async () => {
  const info = client();
  const { email, userId } = await newUser("parallel-lock");
  const wrong = Array.from({ length: 8 }, (_, index) => authenticateWithPassword(email, `wrong password ${index}`, info));
  const results = await Promise.all([...wrong, authenticateWithPassword(email, password, info)]);

  expect(results.filter((result) => result.ok)).toHaveLength(0);
  expect(results[8]).toMatchObject({ ok: false, reason: "locked" });
  const [row] = await db.select().from(users).where(eq(users.id, userId));
  expect(row!.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
  expect(await lockedUntil(email)).toEqual(row!.lockedUntil);
  // One lock, one email, one audit row, however many attempts raced to it.
  expect(await outboxTo(email, "account-locked")).toHaveLength(1);
  const locks = await db.select().from(auditLog).where(and(eq(auditLog.targetId, userId), eq(auditLog.action, "user.locked")));
  expect(locks).toHaveLength(1);
});

test("the right password after four wrong ones still signs in, and an expired lock gives a fresh count", async () => {
  const info = client();
  const { email, userId } = await newUser("lock-edge");
  for (let attempt = 1; attempt <= 4; attempt += 1) await authenticateWithPassword(email, `wrong ${attempt}`, info);
  expect(await authenticateWithPassword(email, password, info)).toMatchObject({ ok: true });
  const [reset] = await db.select().from(users).where(eq(users.id, userId));
  expect(reset).toMatchObject({ failedLoginAttempts: 0, lockedUntil: null });

  const relocked = await newUser("lock-expired");
  for (let attempt = 1; attempt <= 5; attempt += 1) await authenticateWithPassword(relocked.email, `wrong ${attempt}`, info);
  await db.update(users).set({ lockedUntil: sql`now() - interval '1 second'` }).where(eq(users.id, relocked.userId));
  // The lock has ended: one wrong password is one failure, not a new lock.
  expect(await authenticateWithPassword(relocked.email, "wrong again", info)).toEqual({ ok: false, reason: "invalid" });
});

// --- 9: one client address, TRUSTED_PROXY_COUNT entries from the right ------------------------------------------

test.each([
  { count: 1, forwardedFor: "6.6.6.6, 203.0.113.5", expected: "203.0.113.5" },
  { count: 2, forwardedFor: "6.6.6.6, 203.0.113.5, 10.0.0.2", expected: "203.0.113.5" },
  { count: 0, forwardedFor: "203.0.113.5", expected: null },
])("with TRUSTED_PROXY_COUNT=$count the client of '$forwardedFor' is $expected", async ({ count, forwardedFor, expected }) => {
  envOverrides.values = { TRUSTED_PROXY_COUNT: count };
  request.headers = new Headers({ "x-forwarded-for": forwardedFor, "x-real-ip": "7.7.7.7", "user-agent": "vitest" });
  expect(await getRequestInfo()).toEqual({ ipAddress: expected, userAgent: "vitest" });
});

test("session rows and the audit log record the trusted address, not the one the client wrote", async () => {
  request.headers = new Headers({ "x-forwarded-for": "6.6.6.6, 198.51.100.23", "user-agent": "vitest" });
  const email = uniqueEmail("xff");
  await signUp(form({ name: "Forwarded", email, password }));
  const [user] = await db.select().from(users).where(eq(users.email, email));
  const [registered] = await db.select().from(auditLog).where(and(eq(auditLog.targetId, user!.id), eq(auditLog.action, "user.registered")));
  expect(registered!.ipAddress).toBe("198.51.100.23");

  const session = await createAuthAdapter().createSession!({ sessionToken: randomUUID(), userId: user!.id, expires: new Date(Date.now() + 60_000) });
  const [row] = await db.select().from(sessions).where(eq(sessions.sessionToken, session.sessionToken));
  expect(row!.ipAddress).toBe("198.51.100.23");
});

// --- 10: no account enumeration ---------------------------------------------------------------------------------

test("sign-up with a taken email answers as for a new one and emails the owner instead", async () => {
  const owner = await newUser("taken");
  const fresh = uniqueEmail("fresh");
  const forTaken = await signUp(form({ name: "Someone", email: owner.email, password: "another long passphrase" }));
  const forFresh = await signUp(form({ name: "Someone", email: fresh, password: "another long passphrase" }));

  expect(forTaken).toEqual({ success: true, data: { email: owner.email } });
  expect(forFresh).toEqual({ success: true, data: { email: fresh } });
  // Neither answer signs anyone in: a session cookie on one of them would tell the two apart.
  expect(authMocks.signIn).not.toHaveBeenCalled();
  expect(await db.select().from(users).where(eq(users.email, owner.email))).toHaveLength(1);
  const [notice] = await outboxTo(owner.email, "sign-up-attempt");
  expect(notice!.text).toMatch(/\/sign-in/);
  expect(notice!.text).toMatch(/\/forgot-password/);
  expect(await outboxTo(fresh, "verify-email")).toHaveLength(1);
});

test("an unknown email gets the same answers as a real account, lock message included", async () => {
  const info = client();
  const known = await newUser("enum-known");
  const unknown = uniqueEmail("enum-unknown");
  const answers = async (email: string) => {
    const reasons: string[] = [];
    for (let attempt = 1; attempt <= 6; attempt += 1) reasons.push((await authenticateWithPassword(email, `wrong ${attempt}`, info)).ok ? "ok" : "refused");
    const last = await authenticateWithPassword(email, `wrong 7`, info);
    return { reasons, last: last.ok ? "ok" : last.reason, locked: Boolean(await lockedUntil(email)) };
  };
  const forKnown = await answers(known.email);
  expect(forKnown).toEqual({ reasons: Array(6).fill("refused"), last: "locked", locked: true });
  expect(await answers(unknown)).toEqual(forKnown);
  const perAttempt = async (email: string) => {
    const reasons = [];
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const result = await authenticateWithPassword(email, `bad ${attempt}`, info);
      reasons.push(result.ok ? "ok" : result.reason);
    }
    return reasons;
  };
  expect(await perAttempt(uniqueEmail("enum-unknown-2"))).toEqual(await perAttempt((await newUser("enum-known-2")).email));
});

test("a reset request answers before any work for a known email, exactly as for an unknown one", async () => {
  const { email, userId } = await newUser("reset-timing");
  const unknown = uniqueEmail("reset-unknown");
  const forKnown = await requestReset(form({ email }));
  const tokensBefore = await db.select().from(userTokens).where(and(eq(userTokens.userId, userId), eq(userTokens.purpose, "reset_password")));
  const scheduledForKnown = afterQueue.tasks.length;
  const forUnknown = await requestReset(form({ email: unknown }));

  expect(forKnown).toEqual({ success: true, data: { email } });
  expect(forUnknown).toEqual({ success: true, data: { email: unknown } });
  // Nothing about the account was looked up or written before the answer: no time difference to measure.
  expect(tokensBefore).toHaveLength(0);
  expect(scheduledForKnown).toBe(1);
  expect(afterQueue.tasks).toHaveLength(2);

  await runAfterTasks();
  expect(await outboxTo(email, "password-reset")).toHaveLength(1);
  expect(await outboxTo(unknown)).toHaveLength(0);
});

// --- 11: verification emails are rate-limited atomically -----------------------------------------------------

async function ageVerificationLinks(userId: string, interval: string) {
  await db.update(userTokens).set({ createdAt: sql`created_at - ${interval}::interval` }).where(eq(userTokens.userId, userId));
  await db.update(emailOutbox).set({ createdAt: sql`created_at - ${interval}::interval` }).where(
    eq(emailOutbox.toAddress, (await db.select({ email: users.email }).from(users).where(eq(users.id, userId)))[0]!.email),
  );
}

test.skipIf(!onServerDatabase)("50 parallel resends queue one email; at most one a minute and five a day per address (server database only: PGlite is one session)", async () => {
  const { email, userId } = await newUser("resend");
  await ageVerificationLinks(userId, "2 minutes");

  const results = await Promise.all(Array.from({ length: 50 }, () => resendVerificationEmail(userId)));
  // The sign-up's link and one resend; the other 49 were refused.
  expect(await outboxTo(email, "verify-email")).toHaveLength(2);
  expect(results.filter((result) => result.status === "sent")).toHaveLength(1);
  expect(await resendVerificationEmail(userId)).toMatchObject({ status: "throttled" });

  for (let round = 0; round < 6; round += 1) {
    await ageVerificationLinks(userId, "2 minutes");
    await Promise.all(Array.from({ length: 5 }, () => resendVerificationEmail(userId)));
  }
  expect(await outboxTo(email, "verify-email")).toHaveLength(5);
  expect(await resendVerificationEmail(userId)).toMatchObject({ status: "throttled" });
});

// --- 14: no links in production logs -------------------------------------------------------------------------

test("without SendGrid, production logs that a message was queued, never its text or link", async () => {
  const logged = vi.spyOn(console, "info").mockImplementation(() => {});
  const url = "http://localhost:3000/reset-password?token=secret-token-value";
  envOverrides.values = { NODE_ENV: "production", SENDGRID_API_KEY: undefined };
  await enqueueEmail(db, "someone@customer.example", passwordResetTemplate, { name: "Someone", url });
  const production = logged.mock.calls.map((call) => call.join(" ")).join("\n");
  expect(production).toContain("password-reset");
  expect(production).toContain("customer.example");
  expect(production).not.toContain("secret-token-value");
  expect(production).not.toContain("someone@");
  expect(production).not.toContain("Choose a new password");

  logged.mockClear();
  envOverrides.values = { NODE_ENV: "development", SENDGRID_API_KEY: undefined };
  await enqueueEmail(db, "someone@customer.example", passwordResetTemplate, { name: "Someone", url });
  expect(logged.mock.calls.map((call) => call.join(" ")).join("\n")).toContain("secret-token-value");
});

// --- 6: no OAuth pre-hijacking ---------------------------------------------------------------------------------

function googleSignIn(email: string, verified: boolean) {
  const sub = randomUUID();
  return {
    user: { id: sub, email, name: "Google Person", image: null, emailVerifiedByProvider: verified },
    account: { provider: "google", providerAccountId: sub, type: "oidc" as const },
    profile: { sub, email, email_verified: verified },
  };
}

test("a provider is never linked into an account whose email is unverified, even when it vouches for the address", async () => {
  const planted = await newUser("planted");
  expect(await checkOAuthSignIn(googleSignIn(planted.email, true))).toBe(linkRequiredPath);
  // The adapter refuses it too, should anything get past the callback (a sign-up racing the sign-in).
  expect(await createAuthAdapter().getUserByEmail!(planted.email)).toBeNull();
  const refused = await db.select().from(auditLog).where(and(eq(auditLog.targetId, planted.userId), eq(auditLog.action, "auth.sign_in_failed")));
  expect(refused.map((row) => row.metadata)).toContainEqual({ provider: "google", reason: "account_email_not_verified" });

  const verified = await newUser("verified-owner", { verified: true });
  expect(await checkOAuthSignIn(googleSignIn(verified.email, true))).toBe(true);
  expect(await createAuthAdapter().getUserByEmail!(verified.email)).toMatchObject({ id: verified.userId });
  expect(await checkOAuthSignIn(googleSignIn(verified.email, false))).toBe(linkRequiredPath);
});

test("a provider that vouches for the user's own address marks it verified", async () => {
  const info = client();
  const { email, userId } = await newUser("mark-verified");
  const google = googleSignIn(email, true);
  await markEmailVerifiedByProvider(userId, "google", google.profile, info);
  const [row] = await db.select().from(users).where(eq(users.id, userId));
  expect(row!.emailVerified).toBeInstanceOf(Date);
  const audit = await db.select().from(auditLog).where(and(eq(auditLog.targetId, userId), eq(auditLog.action, "user.email_verified")));
  expect(audit.map((entry) => entry.metadata)).toEqual([{ provider: "google" }]);

  // GitHub says it in /user/emails; another address, or an unverified one, changes nothing.
  const other = await newUser("mark-github");
  await markEmailVerifiedByProvider(other.userId, "github", { user: { id: 1, login: "o" }, emails: [{ email: other.email, primary: true, verified: false }] }, info);
  await markEmailVerifiedByProvider(other.userId, "google", { sub: "x", email: "someone-else@example.com", email_verified: true }, info);
  expect((await db.select().from(users).where(eq(users.id, other.userId)))[0]!.emailVerified).toBeNull();
  await markEmailVerifiedByProvider(other.userId, "github", { user: { id: 1, login: "o" }, emails: [{ email: other.email, primary: true, verified: true }] }, info);
  expect((await db.select().from(users).where(eq(users.id, other.userId)))[0]!.emailVerified).toBeInstanceOf(Date);
});

test("a password reset of an unverified account removes the providers linked before anyone proved the mailbox", async () => {
  const info = client();
  const { email, userId } = await newUser("reset-unlinks");
  await db.insert(accounts).values({ userId, type: "oauth", provider: "github", providerAccountId: randomUUID() });
  const token = await issueUserToken(db, userId, "reset_password");
  expect(await resetPassword(token, "the owner's new passphrase", info)).toEqual({ ok: true });
  expect(await db.select().from(accounts).where(eq(accounts.userId, userId))).toHaveLength(0);
  expect(await authenticateWithPassword(email, "the owner's new passphrase", info)).toMatchObject({ ok: true });

  const verified = await newUser("reset-keeps", { verified: true });
  await db.insert(accounts).values({ userId: verified.userId, type: "oauth", provider: "github", providerAccountId: randomUUID() });
  expect(await resetPassword(await issueUserToken(db, verified.userId, "reset_password"), "another new passphrase", info)).toEqual({ ok: true });
  expect(await db.select().from(accounts).where(eq(accounts.userId, verified.userId))).toHaveLength(1);
});
