import type { Organization, Role } from "@/db/schema";
import { env } from "@/lib/env";
import type { MirroredKey } from "@/lib/cache";

export type KeyStatus = MirroredKey["status"];

type StatusInput = { revokedAt: Date | null; expiresAt: Date | null };

/**
 * Revoked wins over everything, then expiry, then `disabled`: the key's organization is disabled, or the user
 * who created it is (SPEC section 4, "user or organization disabled").
 */
export function keyStatus(key: StatusInput, disabled: boolean, now = new Date()): KeyStatus {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && key.expiresAt.getTime() <= now.getTime()) return "expired";
  if (disabled) return "disabled";
  return "active";
}

/** Scopes a creator may grant: every configured scope, or for a `user` only those their admins allow members. */
export function grantableScopes(organization: Pick<Organization, "memberKeyScopes">, role: Role): string[] {
  const all = env().API_KEY_SCOPES;
  if (role !== "user" || organization.memberKeyScopes === null) return all;
  return all.filter((scope) => organization.memberKeyScopes!.includes(scope));
}

/**
 * The scopes of `scopes` this role may not grant (SPEC section 3), in order; empty when it may grant them all.
 * Creating and rolling a key both give someone a secret with these scopes, so both run this one check.
 */
export function refusedScopes(organization: Pick<Organization, "memberKeyScopes">, role: Role, scopes: readonly string[]): string[] {
  const allowed = grantableScopes(organization, role);
  return [...new Set(scopes)].filter((scope) => !allowed.includes(scope));
}
