import { randomUUID } from "node:crypto";
import bcrypt from "bcryptjs";
import { and, asc, eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, test, vi } from "vitest";
import { db } from "@/db/client";
import { accounts, auditLog, emailOutbox, sessions, userTokens, users, type OutboxEmail } from "@/db/schema";
import { appUrl } from "@/lib/app-url";
import { authenticateWithPassword, lockedUntil } from "@/lib/auth/credentials";
import { requestPasswordReset, requestPasswordResetAfterResponse, resetPassword } from "@/lib/auth/password-reset";
import { registerUser } from "@/lib/auth/registration";
import { createSessionRow } from "@/lib/auth/sessions";
import { resendVerificationEmail, verifyEmailToken } from "@/lib/auth/verification";
import { env } from "@/lib/env";
import { eventually } from "../helpers/usage";

// Passwords, the sign-in limits and the emailed links, on real Postgres and real bcrypt (at the tests' cost).
// The auth rate limiters count in this process here (no Upstash configured), as every instance does during a
// Redis outage; tests/integration/redis-outage.test.ts covers the shared limiter.

const password = "a long enough passphrase";

// Every test signs in from addresses of its own, so the per-IP limit counts one test's attempts only.
let clients = 0;
function client() {
  clients += 1;
  return { ipAddress: `203.0.113.${clients}`, userAgent: "vitest" };
}

const uniqueEmail = (label: string) => `${label}-${randomUUID()}@example.com`;

async function newUser(label: string) {
  const email = uniqueEmail(label);
  const result = await registerUser({ name: label, email, password }, client());
  if (!result.ok) throw new Error("registration failed");
  return { email, userId: result.userId };
}

const outcome = (result: Awaited<ReturnType<typeof authenticateWithPassword>>) => (result.ok ? "ok" : result.reason);

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

// --- the sign-in rate limit --------------------------------------------------------------------------------------

describe("the sign-in rate limit", () => {
  test("an address gets AUTH_RATE_LIMIT_PER_EMAIL attempts per window from anywhere, then even the right password is refused unchecked", async () => {
    const { AUTH_RATE_LIMIT_PER_EMAIL: perEmail, AUTH_RATE_LIMIT_WINDOW_SECONDS: windowSeconds } = env();
    const { email, userId } = await newUser("limit-email");
    // The right password each time, each from another address: neither the lockout nor the per-IP limit is involved.
    const allowed = [];
    for (let attempt = 0; attempt < perEmail; attempt++) allowed.push(outcome(await authenticateWithPassword(email, password, client())));
    expect(allowed).toEqual(Array(perEmail).fill("ok"));

    const compare = vi.spyOn(bcrypt, "compare");
    const last = client();
    expect(await authenticateWithPassword(email, password, last)).toEqual({ ok: false, reason: "rate_limited" });
    expect(compare).not.toHaveBeenCalled();
    const audit = await db.select({ metadata: auditLog.metadata }).from(auditLog).where(and(eq(auditLog.ipAddress, last.ipAddress), eq(auditLog.action, "auth.sign_in_failed")));
    expect(audit).toEqual([{ metadata: { provider: "credentials", email, reason: "rate_limited" } }]);
    // Not counted as a wrong password either.
    expect((await db.select().from(users).where(eq(users.id, userId)))[0]).toMatchObject({ failedLoginAttempts: 0, lockedUntil: null });

    // Another address from that same client is not limited.
    const other = await newUser("limit-email-other");
    expect(outcome(await authenticateWithPassword(other.email, password, last))).toBe("ok");

    // The window ends (the limiter's clock, moved on; nothing else depends on it here).
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + windowSeconds * 1000 });
    expect(outcome(await authenticateWithPassword(email, password, client()))).toBe("ok");
  });

  test("a client address gets AUTH_RATE_LIMIT_PER_IP attempts per window over any addresses", async () => {
    const { AUTH_RATE_LIMIT_PER_IP: perIp } = env();
    const { email } = await newUser("limit-ip");
    const probing = client();
    const answers = await Promise.all(Array.from({ length: perIp }, () => authenticateWithPassword(uniqueEmail("probe"), "guess", probing)));
    expect(answers.map(outcome)).toEqual(Array(perIp).fill("invalid"));

    expect(await authenticateWithPassword(email, password, probing)).toEqual({ ok: false, reason: "rate_limited" });
    expect(outcome(await authenticateWithPassword(email, password, client()))).toBe("ok");
  });
});

// --- the decoy bcrypt and the failure counter -----------------------------------------------------------------------

describe("the password check", () => {
  const costOf = (hash: string) => Number(hash.split("$")[2]);

  test("an unknown email and an OAuth-only user cost one bcrypt comparison, like a wrong password, and none once locked", async () => {
    const info = client();
    const real = await newUser("bcrypt-real");
    const [realRow] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, real.userId));
    const [oauthOnly] = await db.insert(users).values({ email: uniqueEmail("bcrypt-oauth"), emailVerified: new Date() }).returning();
    await db.insert(accounts).values({ userId: oauthOnly!.id, type: "oidc", provider: "google", providerAccountId: randomUUID() });
    const unknown = uniqueEmail("bcrypt-unknown");

    const compare = vi.spyOn(bcrypt, "compare");
    const attempt = async (email: string, typed: string) => {
      compare.mockClear();
      const result = outcome(await authenticateWithPassword(email, typed, info));
      const compared = compare.mock.calls.map(([plain, hash]) => ({ plain, against: hash === realRow!.passwordHash ? "its own hash" : "the decoy", cost: costOf(hash) }));
      return { result, compared };
    };
    const cost = env().BCRYPT_COST;
    expect(await attempt(real.email, "wrong 1")).toEqual({ result: "invalid", compared: [{ plain: "wrong 1", against: "its own hash", cost }] });
    expect(await attempt(unknown, "wrong 1")).toEqual({ result: "invalid", compared: [{ plain: "wrong 1", against: "the decoy", cost }] });
    expect(await attempt(oauthOnly!.email, "wrong 1")).toEqual({ result: "invalid", compared: [{ plain: "wrong 1", against: "the decoy", cost }] });

    // Locked (the real counter, the decoy's for the other two): the password is not checked at all, for any of them.
    for (const email of [real.email, unknown, oauthOnly!.email]) {
      for (let n = 2; n <= env().LOCKOUT_MAX_ATTEMPTS; n++) await authenticateWithPassword(email, `wrong ${n}`, info);
      expect(await lockedUntil(email)).toBeInstanceOf(Date);
      expect(await attempt(email, password)).toEqual({ result: "locked", compared: [] });
    }

    const reasons = await db
      .select({ reason: sql<string>`${auditLog.metadata} ->> 'reason'` })
      .from(auditLog)
      .where(and(eq(auditLog.ipAddress, info.ipAddress), eq(auditLog.action, "auth.sign_in_failed"), sql`${auditLog.metadata} ->> 'email' = ${oauthOnly!.email}`));
    expect(new Set(reasons.map((row) => row.reason))).toEqual(new Set(["no_password"]));
  });

  test("a success sets the failure counter back to zero: the next wrong passwords start a new count", async () => {
    const info = client();
    const { email, userId } = await newUser("counter-reset");
    const maxAttempts = env().LOCKOUT_MAX_ATTEMPTS;
    const wrongs = async (count: number) => {
      const answers = [];
      for (let n = 0; n < count; n++) answers.push(outcome(await authenticateWithPassword(email, `wrong ${n}`, info)));
      return answers;
    };
    expect(await wrongs(maxAttempts - 1)).toEqual(Array(maxAttempts - 1).fill("invalid"));
    expect(outcome(await authenticateWithPassword(email, password, info))).toBe("ok");
    expect((await db.select().from(users).where(eq(users.id, userId)))[0]).toMatchObject({ failedLoginAttempts: 0, lockedUntil: null });

    // Without the reset, the first of these would be attempt number LOCKOUT_MAX_ATTEMPTS and lock the account.
    expect(await wrongs(maxAttempts - 1)).toEqual(Array(maxAttempts - 1).fill("invalid"));
    expect(await wrongs(1)).toEqual(["locked"]);
  });
});

// --- the emailed links ----------------------------------------------------------------------------------------------

function mailTo(email: string, template: string) {
  return db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, email), eq(emailOutbox.template, template))).orderBy(asc(emailOutbox.createdAt));
}

/** The link to `path` in a queued message, as the recipient would click it: the same in its text and its HTML. */
function linkIn(message: OutboxEmail, path: string) {
  const links = (message.text.match(/https?:\/\/\S+/g) ?? []).map((href) => new URL(href)).filter((url) => url.pathname === path);
  expect(links).toHaveLength(1);
  const link = links[0]!;
  expect(link.origin).toBe(new URL(appUrl("/")).origin);
  expect(message.html).toContain(`href="${link.href.replaceAll("&", "&amp;")}"`);
  return link;
}

const tokenOf = (link: URL) => link.searchParams.get("token")!;

describe("the password reset email", () => {
  test("its link resets the password, ends every session, verifies the address and works once", async () => {
    const info = client();
    const { email, userId } = await newUser("reset-mail");
    await createSessionRow(userId, info);
    await createSessionRow(userId, info);
    await requestPasswordReset(email, info);

    const [message, ...more] = await mailTo(email, "password-reset");
    expect(more).toHaveLength(0);
    expect(message!.subject).toBe("Reset your password");
    const link = linkIn(message!, "/reset-password");

    expect(await resetPassword(tokenOf(link), "the new long passphrase", info)).toEqual({ ok: true });
    expect(await db.select().from(sessions).where(eq(sessions.userId, userId))).toHaveLength(0);
    expect((await db.select().from(users).where(eq(users.id, userId)))[0]!.emailVerified).toBeInstanceOf(Date);
    expect(outcome(await authenticateWithPassword(email, password, info))).toBe("invalid");
    expect(outcome(await authenticateWithPassword(email, "the new long passphrase", info))).toBe("ok");
    expect(await resetPassword(tokenOf(link), "a third long passphrase", info)).toEqual({ ok: false, reason: "used" });
  });

  test("the public form's request, run after its answer, queues the same email", async () => {
    const { email } = await newUser("reset-after");
    requestPasswordResetAfterResponse(email, client());
    await eventually(async () => (await mailTo(email, "password-reset")).length === 1);
    const [message] = await mailTo(email, "password-reset");
    expect(await resetPassword(tokenOf(linkIn(message!, "/reset-password")), "the new long passphrase", client())).toEqual({ ok: true });
  });

  test("an unknown or a disabled address gets no email and no token", async () => {
    const unknown = uniqueEmail("reset-nobody");
    const disabled = await newUser("reset-disabled");
    await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, disabled.userId));
    const enabled = await newUser("reset-enabled");

    for (const email of [unknown, disabled.email, enabled.email]) await requestPasswordReset(email, client());

    expect(await db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, unknown))).toHaveLength(0);
    expect(await mailTo(disabled.email, "password-reset")).toHaveLength(0);
    const tokensOf = (userId: string) => db.select().from(userTokens).where(and(eq(userTokens.userId, userId), eq(userTokens.purpose, "reset_password")));
    expect(await tokensOf(disabled.userId)).toHaveLength(0);
    expect(await db.select().from(auditLog).where(and(eq(auditLog.targetId, disabled.userId), eq(auditLog.action, "user.password_reset_requested")))).toHaveLength(0);
    // The same call for an enabled address did send one: the two above were refused, not lost.
    expect(await mailTo(enabled.email, "password-reset")).toHaveLength(1);
    expect(await tokensOf(enabled.userId)).toHaveLength(1);
  });

  test("an expired link is refused and changes nothing", async () => {
    const info = client();
    const { email, userId } = await newUser("reset-expired");
    await requestPasswordReset(email, info);
    const [message] = await mailTo(email, "password-reset");
    await db.update(userTokens).set({ expiresAt: sql`now() - interval '1 second'` }).where(and(eq(userTokens.userId, userId), eq(userTokens.purpose, "reset_password")));
    expect(await resetPassword(tokenOf(linkIn(message!, "/reset-password")), "the new long passphrase", info)).toEqual({ ok: false, reason: "expired" });
    expect(outcome(await authenticateWithPassword(email, password, info))).toBe("ok");
  });
});

describe("a new link retires the older ones", () => {
  test("only the newest reset email's link works", async () => {
    const info = client();
    const { email } = await newUser("reset-twice");
    await requestPasswordReset(email, info);
    await requestPasswordReset(email, info);
    const [older, newer] = await mailTo(email, "password-reset");
    const [olderToken, newerToken] = [older!, newer!].map((message) => tokenOf(linkIn(message, "/reset-password")));
    expect(olderToken).not.toBe(newerToken);

    expect(await resetPassword(olderToken!, "the older link's passphrase", info)).toEqual({ ok: false, reason: "used" });
    expect(await resetPassword(newerToken!, "the newer link's passphrase", info)).toEqual({ ok: true });
    expect(outcome(await authenticateWithPassword(email, "the newer link's passphrase", info))).toBe("ok");
  });

  test("a resent verification email retires the sign-up's link; a reset link, another purpose, does not", async () => {
    const info = client();
    const { email, userId } = await newUser("verify-twice");
    // Past the one-a-minute resend limit, as if the sign-up was two minutes ago.
    await db.update(userTokens).set({ createdAt: sql`created_at - interval '2 minutes'` }).where(eq(userTokens.userId, userId));
    expect(await resendVerificationEmail(userId)).toEqual({ status: "sent" });
    await requestPasswordReset(email, info);

    const [signUpMail, resentMail] = await mailTo(email, "verify-email");
    const first = tokenOf(linkIn(signUpMail!, "/verify-email"));
    const second = tokenOf(linkIn(resentMail!, "/verify-email"));
    expect(await verifyEmailToken(first, info)).toEqual({ ok: false, reason: "used" });
    expect((await db.select().from(users).where(eq(users.id, userId)))[0]!.emailVerified).toBeNull();
    expect(await verifyEmailToken(second, info)).toEqual({ ok: true });
    const [reset] = await mailTo(email, "password-reset");
    expect(await resetPassword(tokenOf(linkIn(reset!, "/reset-password")), "the new long passphrase", info)).toEqual({ ok: true });
  });
});
