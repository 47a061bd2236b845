import { sql } from "drizzle-orm";
import { queryPrepared } from "@/db/client";
import { limitApiKey } from "@/lib/service-api/limiters";
import { hashApiKey, looksLikeApiKey } from "./format";
import { noteApiKeyUsed } from "./last-used";

export type VerifyCode = "NOT_FOUND" | "REVOKED" | "EXPIRED" | "INSUFFICIENT_CREDITS" | "DISABLED" | "RATE_LIMITED";
type RateLimitInfo = { limit: number; remaining: number; reset: number };

export type VerifyAnswer =
  | { valid: true; keyId: string; organizationId: string; remainingCredits: number; expiresAt: string | null; scopes: string[]; rateLimit?: RateLimitInfo }
  | { valid: false; code: VerifyCode; rateLimit?: RateLimitInfo };

type Row = {
  id: string;
  organization_id: string;
  revoked: boolean;
  expired: boolean;
  expires_at: Date | string | null;
  scopes: string[];
  rate_limit_per_minute: number | null;
  balance: string | number;
  disabled: boolean;
};

/** SPEC section 2, POST /api/keys/verify: one query, plus the key's own rate limit when it has one. */
export async function verifyApiKey(apiKey: string): Promise<VerifyAnswer> {
  if (!looksLikeApiKey(apiKey)) return { valid: false, code: "NOT_FOUND" };
  const [row] = await queryPrepared<Row>("api_key_verify", sql`
    select k.id, k.organization_id, k.revoked_at is not null as revoked, coalesce(k.expires_at <= now(), false) as expired,
           k.expires_at, k.scopes, k.rate_limit_per_minute, o.balance,
           (o.disabled_at is not null or u.disabled_at is not null) as disabled
    from api_keys k join organizations o on o.id = k.organization_id left join users u on u.id = k.created_by_user_id
    where k.key_hash = ${hashApiKey(apiKey)}`);
  if (!row) return { valid: false, code: "NOT_FOUND" };
  if (row.revoked) return { valid: false, code: "REVOKED" };
  if (row.expired) return { valid: false, code: "EXPIRED" };
  if (row.disabled) return { valid: false, code: "DISABLED" };
  const balance = Number(row.balance);
  if (balance <= 0) return { valid: false, code: "INSUFFICIENT_CREDITS" };
  let rateLimit: RateLimitInfo | undefined;
  if (row.rate_limit_per_minute !== null) {
    const result = await limitApiKey(row.id, row.rate_limit_per_minute);
    rateLimit = { limit: result.limit, remaining: result.remaining, reset: result.reset };
    if (!result.success) return { valid: false, code: "RATE_LIMITED", rateLimit };
  }
  noteApiKeyUsed(row.id);
  return {
    valid: true,
    keyId: row.id,
    organizationId: row.organization_id,
    remainingCredits: balance,
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at).toISOString(),
    scopes: row.scopes,
    ...(rateLimit ? { rateLimit } : {}),
  };
}
