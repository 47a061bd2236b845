import { and, count, eq, gt, isNull, sql } from "drizzle-orm";
import { cookies } from "next/headers";
import type { Account as AuthAccount, Profile, User as AuthUser } from "next-auth";
import { db } from "@/db/client";
import { withTransaction } from "@/db/transaction";
import { accounts, sessions, users } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { mapProviderProfile, type MappedProfile } from "./provider-profiles";
import { getRequestInfo, type RequestInfo } from "./request-info";

export const sessionCookieNames = ["__Secure-authjs.session-token", "authjs.session-token"];

/** The signed-in user behind the request's session cookie, if any (used while Auth.js is mid-callback). */
async function currentSessionUser() {
  const jar = await cookies();
  const token = sessionCookieNames.map((name) => jar.get(name)?.value).find(Boolean);
  if (!token) return null;
  const [row] = await db
    .select({ userId: sessions.userId, disabledAt: users.disabledAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.sessionToken, token), gt(sessions.expires, sql`now()`)));
  return row ?? null;
}

export const linkRequiredPath = "/sign-in?error=link-required";

/**
 * The account-linking rule, run as Auth.js's signIn callback for OAuth providers. An OAuth identity
 * already linked signs its user in. A signed-in user linking from settings is allowed (not a disabled one). Otherwise, if the
 * email belongs to an existing user, the provider is linked into that account only when both sides have
 * proved the address: the provider vouches for it, and the account's email has been verified (by its link,
 * a password reset, or an earlier provider). An unverified account may have been created by someone who
 * typed another person's address and a password of their own, waiting for the owner to arrive with Google:
 * linking then would hand the attacker the owner's account. Such a sign-in is refused instead, and the
 * person is told to sign in (or reset the password, which proves the mailbox) and link from Settings.
 */
export async function checkOAuthSignIn(params: { user: AuthUser; account: AuthAccount; profile?: Profile }): Promise<true | string | false> {
  const { account } = params;
  const mapped = params.user as AuthUser & Partial<MappedProfile>;
  const request = await getRequestInfo();
  const [linked] = await db
    .select({ userId: accounts.userId, disabledAt: users.disabledAt })
    .from(accounts)
    .innerJoin(users, eq(users.id, accounts.userId))
    .where(and(eq(accounts.provider, account.provider), eq(accounts.providerAccountId, account.providerAccountId)));
  if (linked) return linked.disabledAt ? refuse("disabled", account, linked.userId, request) : true;
  // Disabling a user does not end their sessions, so a session may outlive it: it links nothing.
  const signedIn = await currentSessionUser();
  if (signedIn) return signedIn.disabledAt ? refuse("disabled", account, signedIn.userId, request) : true;
  const email = mapped.email?.toLowerCase();
  if (!email) return refuse("no_email", account, null, request);
  const [existing] = await db
    .select({ id: users.id, disabledAt: users.disabledAt, emailVerified: users.emailVerified })
    .from(users)
    .where(eq(users.email, email));
  if (!existing) return true;
  if (existing.disabledAt) return refuse("disabled", account, existing.id, request);
  const refusal = !existing.emailVerified ? "account_email_not_verified" : !mapped.emailVerifiedByProvider ? "email_not_verified_by_provider" : null;
  if (!refusal) return true;
  await refuse(refusal, account, existing.id, request);
  return linkRequiredPath;
}

/**
 * After an OAuth sign-in: when the provider vouches for the user's own address, the address is verified
 * (as if its link had been opened), and the "verify your email" banner goes away.
 */
export async function markEmailVerifiedByProvider(userId: string, provider: string, profile: unknown, request: RequestInfo) {
  const claim = mapProviderProfile(provider, profile);
  if (!claim?.emailVerifiedByProvider || !claim.email) return false;
  return withTransaction(async ({ tx }) => {
    const [user] = await tx
      .update(users)
      .set({ emailVerified: new Date(), updatedAt: new Date() })
      .where(and(eq(users.id, userId), eq(users.email, claim.email.toLowerCase()), isNull(users.emailVerified)))
      .returning({ id: users.id, organizationId: users.organizationId });
    if (!user) return false;
    await writeAudit(
      { action: "user.email_verified", actorUserId: user.id, organizationId: user.organizationId, targetType: "user", targetId: user.id, metadata: { provider }, ...request },
      tx,
    );
    return true;
  });
}

async function refuse(reason: string, account: AuthAccount, userId: string | null, request: RequestInfo): Promise<false> {
  await writeAudit({
    action: "auth.sign_in_failed",
    actorUserId: userId,
    targetType: "user",
    targetId: userId ?? undefined,
    metadata: { provider: account.provider, reason },
    ...request,
  });
  return false;
}

export async function listLinkedProviders(userId: string) {
  return db.select({ provider: accounts.provider }).from(accounts).where(eq(accounts.userId, userId));
}

export type UnlinkResult = { ok: true } | { ok: false; reason: "not_linked" | "last_method" };

/** Removes a linked provider unless it is the user's last way to sign in (no password, no other provider). */
export async function unlinkProvider(actor: { userId: string; organizationId: string | null; request: RequestInfo }, provider: string): Promise<UnlinkResult> {
  return withTransaction(async ({ tx }) => {
    // Lock the user row so two concurrent unlinks cannot both pass the "not the last one" check.
    const [user] = await tx.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, actor.userId)).for("update");
    const [linkedCount] = await tx.select({ value: count() }).from(accounts).where(eq(accounts.userId, actor.userId));
    const methods = (linkedCount?.value ?? 0) + (user?.passwordHash ? 1 : 0);
    if (methods <= 1) return { ok: false as const, reason: "last_method" as const };
    const removed = await tx
      .delete(accounts)
      .where(and(eq(accounts.userId, actor.userId), eq(accounts.provider, provider)))
      .returning({ provider: accounts.provider });
    if (removed.length === 0) return { ok: false as const, reason: "not_linked" as const };
    await writeAudit(
      { action: "account.unlinked", actorUserId: actor.userId, organizationId: actor.organizationId, targetType: "user", targetId: actor.userId, metadata: { provider }, ...actor.request },
      tx,
    );
    return { ok: true as const };
  });
}
