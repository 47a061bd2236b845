import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { userTokens, type UserTokenPurpose } from "@/db/schema";

export const tokenLifetimeSeconds: Record<UserTokenPurpose, number> = {
  verify_email: 24 * 60 * 60,
  reset_password: 60 * 60,
};

export function hashToken(token: string) {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * Issues a single-use token and returns the plain value for the email link; only its hash is stored.
 * Older unused tokens of the same purpose are retired, so only the newest link works.
 */
export async function issueUserToken(executor: Executor, userId: string, purpose: UserTokenPurpose) {
  const token = randomBytes(32).toString("base64url");
  await executor
    .update(userTokens)
    .set({ usedAt: new Date() })
    .where(and(eq(userTokens.userId, userId), eq(userTokens.purpose, purpose), isNull(userTokens.usedAt)));
  await executor.insert(userTokens).values({
    userId,
    purpose,
    tokenHash: hashToken(token),
    expiresAt: sql`now() + make_interval(secs => ${tokenLifetimeSeconds[purpose]})`,
  });
  return token;
}

export type ConsumeResult = { ok: true; userId: string } | { ok: false; reason: "invalid" | "expired" | "used" };

/** Marks the token used in the caller's transaction; a concurrent second use finds it already used. */
export async function consumeUserToken(executor: Executor, token: string, purpose: UserTokenPurpose): Promise<ConsumeResult> {
  const tokenHash = hashToken(token);
  const [claimed] = await executor
    .update(userTokens)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(userTokens.tokenHash, tokenHash),
        eq(userTokens.purpose, purpose),
        isNull(userTokens.usedAt),
        gt(userTokens.expiresAt, sql`now()`),
      ),
    )
    .returning({ userId: userTokens.userId });
  if (claimed) return { ok: true, userId: claimed.userId };
  const [existing] = await executor
    .select({ usedAt: userTokens.usedAt })
    .from(userTokens)
    .where(and(eq(userTokens.tokenHash, tokenHash), eq(userTokens.purpose, purpose)));
  if (!existing) return { ok: false, reason: "invalid" };
  return { ok: false, reason: existing.usedAt ? "used" : "expired" };
}
