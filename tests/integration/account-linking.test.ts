import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, test, vi } from "vitest";
import { db } from "@/db/client";
import { accounts, auditLog, sessions, users } from "@/db/schema";
import { checkOAuthSignIn, linkRequiredPath, unlinkProvider } from "@/lib/auth/linking";
import { createSessionRow } from "@/lib/auth/sessions";
import { onServerDatabase } from "../helpers/row-lock";

// checkOAuthSignIn runs inside Auth.js's callback and reads the request's cookies and headers; outside Next
// these are what the test puts there. Everything else (Postgres, the audit log) is real.
const incoming = vi.hoisted(() => ({ cookies: new Map<string, string>(), headers: new Headers() }));
vi.mock("next/headers", () => ({
  headers: async () => incoming.headers,
  cookies: async () => ({ get: (name: string) => (incoming.cookies.has(name) ? { name, value: incoming.cookies.get(name)! } : undefined) }),
}));

afterEach(() => {
  incoming.cookies.clear();
  incoming.headers = new Headers();
});

const request = { ipAddress: "198.51.100.9", userAgent: "vitest" };

async function userWith(options: { password: boolean; providers: string[] }) {
  const [user] = await db
    .insert(users)
    .values({ email: `link-${randomUUID()}@example.com`, passwordHash: options.password ? "$2b$12$placeholderhashplaceholderhashplacehold" : null })
    .returning();
  for (const provider of options.providers) {
    await db.insert(accounts).values({ userId: user!.id, type: "oidc", provider, providerAccountId: randomUUID() });
  }
  return { userId: user!.id, organizationId: null, request };
}

async function providersOf(userId: string) {
  const rows = await db.select({ provider: accounts.provider }).from(accounts).where(eq(accounts.userId, userId));
  return rows.map((row) => row.provider).sort();
}

test("unlinking a provider keeps the other ways to sign in and is audited", async () => {
  const actor = await userWith({ password: true, providers: ["google", "github"] });
  expect(await unlinkProvider(actor, "google")).toEqual({ ok: true });
  expect(await providersOf(actor.userId)).toEqual(["github"]);
  const audit = await db
    .select({ metadata: auditLog.metadata })
    .from(auditLog)
    .where(and(eq(auditLog.actorUserId, actor.userId), eq(auditLog.action, "account.unlinked")));
  expect(audit).toEqual([{ metadata: { provider: "google" } }]);
});

test.skipIf(!onServerDatabase)("the last way to sign in cannot be unlinked, even by two requests at once (server database only: PGlite is one session)", async () => {
  const onlyOAuth = await userWith({ password: false, providers: ["google"] });
  expect(await unlinkProvider(onlyOAuth, "google")).toEqual({ ok: false, reason: "last_method" });
  expect(await providersOf(onlyOAuth.userId)).toEqual(["google"]);

  const twoProviders = await userWith({ password: false, providers: ["google", "microsoft-entra-id"] });
  const results = await Promise.all([unlinkProvider(twoProviders, "google"), unlinkProvider(twoProviders, "microsoft-entra-id")]);
  expect(results.filter((result) => result.ok)).toHaveLength(1);
  expect(await providersOf(twoProviders.userId)).toHaveLength(1);
});

test("unlinking a provider that is not linked changes nothing", async () => {
  const actor = await userWith({ password: true, providers: ["github"] });
  expect(await unlinkProvider(actor, "linkedin")).toEqual({ ok: false, reason: "not_linked" });
  expect(await providersOf(actor.userId)).toEqual(["github"]);
});

// --- The OAuth linking rule (lib/auth/linking.ts), every outcome ------------------------------------------------

type Person = { email: string; verified?: boolean; disabled?: boolean; password?: boolean };

async function person({ email, verified = true, disabled = false, password = true }: Person) {
  const [user] = await db
    .insert(users)
    .values({
      email,
      emailVerified: verified ? new Date() : null,
      disabledAt: disabled ? new Date() : null,
      passwordHash: password ? "$2b$04$placeholderhashplaceholderhashplacehold" : null,
    })
    .returning();
  return user!;
}

/** What Auth.js hands the signIn callback: the provider's identity, mapped by lib/auth/provider-profiles. */
function providerSignIn(identity: { email: string | null; vouched: boolean; providerAccountId?: string }) {
  const providerAccountId = identity.providerAccountId ?? randomUUID();
  return {
    user: { id: providerAccountId, email: identity.email, name: "Provider Person", image: null, emailVerifiedByProvider: identity.vouched },
    account: { provider: "google", providerAccountId, type: "oidc" as const },
  };
}

async function linkProvider(userId: string) {
  const providerAccountId = randomUUID();
  await db.insert(accounts).values({ userId, type: "oidc", provider: "google", providerAccountId });
  return providerAccountId;
}

async function signInAs(userId: string, options: { expired?: boolean } = {}) {
  const token = await createSessionRow(userId, request);
  if (options.expired) await db.update(sessions).set({ expires: sql`now() - interval '1 second'` }).where(eq(sessions.sessionToken, token));
  incoming.cookies.set("authjs.session-token", token);
}

type Outcome = { answer: true | false | typeof linkRequiredPath; refusal?: string; on?: "existing" | "none" };
type Case = [label: string, arrange: (email: string) => Promise<ReturnType<typeof providerSignIn>>, expected: Outcome];

const fresh = () => `linking-${randomUUID()}@example.com`;

const cases: Case[] = [
  // An identity linked before signs its user in, unless that user is disabled.
  ["a linked identity signs its user in", async (email) => providerSignIn({ email, vouched: false, providerAccountId: await linkProvider((await person({ email })).id) }), { answer: true }],
  ["a linked identity of a disabled user is refused", async (email) => providerSignIn({ email, vouched: true, providerAccountId: await linkProvider((await person({ email, disabled: true })).id) }), { answer: false, refusal: "disabled", on: "existing" }],
  // Signed in: linking from Settings attaches the provider to the signed-in user, whatever its email says.
  ["linking while signed in", async (email) => {
    await signInAs((await person({ email: fresh() })).id);
    await person({ email, verified: false });
    return providerSignIn({ email, vouched: false });
  }, { answer: true }],
  ["linking while signed in as a disabled user (a session left from before)", async (email) => {
    await signInAs((await person({ email, disabled: true })).id);
    return providerSignIn({ email: fresh(), vouched: true });
  }, { answer: false, refusal: "disabled", on: "existing" }],
  ["an expired session is not signed in: the email rule applies", async (email) => {
    await signInAs((await person({ email: fresh() })).id, { expired: true });
    await person({ email, verified: false });
    return providerSignIn({ email, vouched: true });
  }, { answer: linkRequiredPath, refusal: "account_email_not_verified", on: "existing" }],
  // Not signed in and not linked: the email decides.
  ["no email from the provider", async () => providerSignIn({ email: null, vouched: false }), { answer: false, refusal: "no_email", on: "none" }],
  ["a new email the provider vouches for: a new user", async (email) => providerSignIn({ email, vouched: true }), { answer: true }],
  ["a new email the provider does not vouch for: a new, unverified user", async (email) => providerSignIn({ email, vouched: false }), { answer: true }],
  ["the email of a disabled user", async (email) => {
    await person({ email, disabled: true });
    return providerSignIn({ email, vouched: true });
  }, { answer: false, refusal: "disabled", on: "existing" }],
  ["a verified account, and the provider vouches: linked", async (email) => {
    await person({ email });
    return providerSignIn({ email, vouched: true });
  }, { answer: true }],
  ["a verified account, in other letter case: linked to it, not a second account", async (email) => {
    await person({ email });
    return providerSignIn({ email: email.toUpperCase(), vouched: true });
  }, { answer: true }],
  ["a verified account, but the provider does not vouch", async (email) => {
    await person({ email });
    return providerSignIn({ email, vouched: false });
  }, { answer: linkRequiredPath, refusal: "email_not_verified_by_provider", on: "existing" }],
  ["an unverified account, although the provider vouches (it may have been planted)", async (email) => {
    await person({ email, verified: false });
    return providerSignIn({ email, vouched: true });
  }, { answer: linkRequiredPath, refusal: "account_email_not_verified", on: "existing" }],
  ["an unverified account in other letter case", async (email) => {
    await person({ email, verified: false });
    return providerSignIn({ email: email.toUpperCase(), vouched: true });
  }, { answer: linkRequiredPath, refusal: "account_email_not_verified", on: "existing" }],
  ["an unverified account, and the provider does not vouch", async (email) => {
    await person({ email, verified: false, password: false });
    return providerSignIn({ email, vouched: false });
  }, { answer: linkRequiredPath, refusal: "account_email_not_verified", on: "existing" }],
];

let clients = 0;

describe("the OAuth linking rule", () => {
  test.each(cases)("%s", async (_label, arrange, expected) => {
    const email = fresh();
    const signIn = await arrange(email);
    // Each case from an address of its own, so its audit rows are told apart from every other case's.
    clients += 1;
    const ipAddress = `2001:db8:a11::${clients.toString(16)}`;
    incoming.headers = new Headers({ "x-forwarded-for": ipAddress, "user-agent": "vitest" });

    expect(await checkOAuthSignIn(signIn)).toBe(expected.answer);

    const refusals = await db
      .select({ actorUserId: auditLog.actorUserId, metadata: auditLog.metadata })
      .from(auditLog)
      .where(and(eq(auditLog.ipAddress, ipAddress), eq(auditLog.action, "auth.sign_in_failed")));
    if (!expected.refusal) {
      expect(refusals).toEqual([]);
      return;
    }
    const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
    expect(refusals).toEqual([{ actorUserId: expected.on === "existing" ? existing!.id : null, metadata: { provider: "google", reason: expected.refusal } }]);
  });
});
