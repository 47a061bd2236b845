import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { db } from "@/db/client";
import { accounts, auditLog, users } from "@/db/schema";
import { unlinkProvider } from "@/lib/auth/linking";

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

test("the last way to sign in cannot be unlinked, even by two requests at once", async () => {
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
