import { limitApiKey } from "@/lib/service-api/limiters";
import { hashApiKey, looksLikeApiKey } from "./format";
import { noteApiKeyUsed } from "./last-used";
import { verifyCache } from "./verify-cache";

export type VerifyCode = "NOT_FOUND" | "REVOKED" | "EXPIRED" | "INSUFFICIENT_CREDITS" | "DISABLED" | "RATE_LIMITED";
type RateLimitInfo = { limit: number; remaining: number; reset: number };

export type VerifyAnswer =
  | { valid: true; keyId: string; organizationId: string; remainingCredits: number; expiresAt: string | null; scopes: string[]; rateLimit?: RateLimitInfo }
  | { valid: false; code: VerifyCode; rateLimit?: RateLimitInfo };

/**
 * SPEC section 2, POST /api/keys/verify: from this instance's cache when it holds the key, else one query; plus
 * the key's own rate limit when it has one.
 */
export async function verifyApiKey(apiKey: string): Promise<VerifyAnswer> {
  if (!looksLikeApiKey(apiKey)) return { valid: false, code: "NOT_FOUND" };
  const found = await verifyCache().lookup(hashApiKey(apiKey));
  if (!found) return { valid: false, code: "NOT_FOUND" };
  const { key, balance } = found;
  if (key.revoked) return { valid: false, code: "REVOKED" };
  if (key.expiresAt !== null && key.expiresAt <= Date.now()) return { valid: false, code: "EXPIRED" };
  if (key.disabled) return { valid: false, code: "DISABLED" };
  if (balance <= 0) return { valid: false, code: "INSUFFICIENT_CREDITS" };
  let rateLimit: RateLimitInfo | undefined;
  if (key.rateLimitPerMinute !== null) {
    const result = await limitApiKey(key.id, key.rateLimitPerMinute);
    rateLimit = { limit: result.limit, remaining: result.remaining, reset: result.reset };
    if (!result.success) return { valid: false, code: "RATE_LIMITED", rateLimit };
  }
  noteApiKeyUsed(key.id);
  return {
    valid: true,
    keyId: key.id,
    organizationId: key.organizationId,
    remainingCredits: balance,
    expiresAt: key.expiresAt === null ? null : new Date(key.expiresAt).toISOString(),
    scopes: key.scopes,
    ...(rateLimit ? { rateLimit } : {}),
  };
}
