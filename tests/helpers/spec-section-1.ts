import type { Role } from "@/db/schema";
import type { Permission } from "@/lib/auth/permissions";

/**
 * SPEC section 1, typed in again by hand from the SPEC rather than derived from lib/auth/permissions.ts, so
 * that a wrong entry in the table fails the tests instead of being copied into them. Each row lists the
 * permissions that implement it; every permission of the table belongs to exactly one row.
 * `anyOrganization`: the business_admin column says "(any org)" (or the row is platform-wide).
 */
export type SpecRow = {
  row: string;
  allowed: readonly Role[];
  businessAdminAnyOrganization: boolean;
  permissions: readonly Permission[];
};

export const specSectionOne: readonly SpecRow[] = [
  { row: "own profile, password, sessions", allowed: ["user", "client_admin", "business_admin"], businessAdminAnyOrganization: false, permissions: ["account.update", "invitations.accept"] },
  {
    row: "see own organization's balance, usage, keys, payments",
    allowed: ["user", "client_admin", "business_admin"],
    businessAdminAnyOrganization: true,
    permissions: ["org.read", "keys.read", "usage.read", "usage.export", "payments.read"],
  },
  { row: "create / revoke / roll API keys of own organization", allowed: ["user", "client_admin", "business_admin"], businessAdminAnyOrganization: true, permissions: ["keys.create", "keys.revoke", "keys.roll"] },
  { row: "buy credits for own organization", allowed: ["client_admin", "business_admin"], businessAdminAnyOrganization: true, permissions: ["credits.buy"] },
  // The organization's name and member scopes are settings of the same admins (the "organization settings").
  { row: "set the low-credit threshold", allowed: ["client_admin", "business_admin"], businessAdminAnyOrganization: true, permissions: ["org.threshold.update", "org.settings.update"] },
  {
    row: "invite, remove, change role of own organization's members",
    allowed: ["client_admin", "business_admin"],
    businessAdminAnyOrganization: true,
    permissions: ["members.read", "members.invite", "members.remove", "members.role.update"],
  },
  { row: "adjust any organization's credits (with a reason)", allowed: ["business_admin"], businessAdminAnyOrganization: true, permissions: ["credits.adjust"] },
  {
    row: "lock, unlock, disable any user",
    allowed: ["business_admin"],
    businessAdminAnyOrganization: true,
    permissions: ["users.read", "users.lock", "users.disable", "users.role.update", "orgs.read", "orgs.disable"],
  },
  { row: "manage credit packages, read the audit log, resync Redis", allowed: ["business_admin"], businessAdminAnyOrganization: true, permissions: ["packages.manage", "audit.read", "redis.resync", "system.manage"] },
];

export const everyRole = ["user", "client_admin", "business_admin"] as const satisfies readonly Role[];
