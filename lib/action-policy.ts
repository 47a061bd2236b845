import type { Organization } from "@/db/schema";
import { permissionRule, type Permission, type PermissionRule, type PermissionWrites } from "@/lib/auth/permissions";
import type { Viewer } from "@/lib/auth/viewer";

/** What an action changes; a disabled organization refuses its members every `organization` write. */
export type ActionWrites = PermissionWrites;

/** An entry of the permission table (lib/auth/permissions.ts), or its name. */
export type ActionPolicy = Permission | PermissionRule;

export type ActionDecision = "allowed" | "signed_out" | "unverified" | "organization_not_found" | "forbidden" | "organization_disabled";

/**
 * Whether `viewer` may use `policy` against `organization` (the target's row, or null when it does not exist).
 * Pure, so every combination is table-tested (lib/actions.test.ts, tests/integration/authorization-matrix.test.ts);
 * the action factory and the session routes only load and call it.
 */
export function authorizeAction(
  viewer: Pick<Viewer, "role" | "emailVerified" | "organizationId"> | null,
  organization: Pick<Organization, "id" | "disabledAt"> | null,
  policy: ActionPolicy,
): ActionDecision {
  const rule = typeof policy === "string" ? permissionRule(policy) : policy;
  if (!viewer) return "signed_out";
  if (rule.requireVerifiedEmail && !viewer.emailVerified) return "unverified";
  const platformAdmin = viewer.role === "business_admin";
  // Another organization answers "not found", never "forbidden": it must not reveal that it exists. Only a
  // platform admin reaches other organizations, and never through an account permission.
  const crossesOrganizations = rule.tenancy !== "account" && platformAdmin;
  if (!organization || (organization.id !== viewer.organizationId && !crossesOrganizations)) return "organization_not_found";
  if (!rule.roles.includes(viewer.role)) return "forbidden";
  // Platform admins may still act on a disabled organization (to revoke its keys, adjust or enable it).
  if ((rule.writes ?? "organization") === "organization" && organization.disabledAt && !platformAdmin) {
    return "organization_disabled";
  }
  return "allowed";
}
