import type { Organization, Role } from "@/db/schema";
import type { Viewer } from "@/lib/auth/viewer";

/** What an action changes; a disabled organization refuses its members every `organization` write. */
export type ActionWrites =
  /** The target organization or what it owns (keys, credits, members, settings). The default. */
  | "organization"
  /** Only the viewer's own account (profile, password, sessions, sign-in methods), which SPEC section 1 grants every role. */
  | "account"
  /** Nothing: a read. */
  | "nothing";

export type ActionPolicy = {
  /** Roles allowed to run the action (in the target organization; business_admin may act on any). */
  roles?: readonly Role[];
  /** Refuse users whose email is not verified yet (buying credits, creating API keys). */
  requireVerifiedEmail?: boolean;
  /** Every action writes to its organization unless it says otherwise, so a new action fails safe. */
  writes?: ActionWrites;
};

export type ActionDecision = "allowed" | "signed_out" | "unverified" | "organization_not_found" | "forbidden" | "organization_disabled";

/**
 * Whether `viewer` may run an action with `policy` against `organization` (the target's row, or null when it
 * does not exist). Pure, so every combination is table-tested (lib/actions.test.ts); the factory only loads.
 */
export function authorizeAction(
  viewer: Pick<Viewer, "role" | "emailVerified" | "organizationId"> | null,
  organization: Pick<Organization, "id" | "disabledAt"> | null,
  policy: ActionPolicy,
): ActionDecision {
  if (!viewer) return "signed_out";
  if (policy.requireVerifiedEmail && !viewer.emailVerified) return "unverified";
  const platformAdmin = viewer.role === "business_admin";
  // Another organization answers "not found", never "forbidden": it must not reveal that it exists.
  if (!organization || (organization.id !== viewer.organizationId && !platformAdmin)) return "organization_not_found";
  if (policy.roles && !platformAdmin && !policy.roles.includes(viewer.role)) return "forbidden";
  // Platform admins may still act on a disabled organization (to revoke its keys, adjust or enable it).
  if ((policy.writes ?? "organization") === "organization" && organization.disabledAt && !platformAdmin) {
    return "organization_disabled";
  }
  return "allowed";
}
