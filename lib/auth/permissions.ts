import type { Role } from "@/db/schema";

/**
 * Who may do what: SPEC section 1 as data (after dub's `ROLE_PERMISSIONS`). The action factory
 * (lib/actions.ts), the session routes (lib/session-route.ts), the navigation and the buttons read it, and
 * tests/integration/authorization-matrix.test.ts proves every server action and route against it. No
 * client-only imports, so client components can read it too.
 */

/** What the permission is limited to. */
export type Tenancy =
  /** The viewer's own account (profile, password, sessions): every role, no organization involved. */
  | "account"
  /** The viewer's own organization; a business_admin may target any organization. */
  | "organization"
  /** The whole platform: business_admin only, no tenant. */
  | "platform";

/** What a permission changes; a disabled organization refuses its members every `organization` write. */
export type PermissionWrites = "organization" | "account" | "nothing";

export type PermissionRule = {
  roles: readonly Role[];
  tenancy: Tenancy;
  /** Refuse users whose email is not verified yet (buying credits, creating API keys). */
  requireVerifiedEmail?: boolean;
  /** Every permission writes to its organization unless it says otherwise, so a new one fails safe. */
  writes?: PermissionWrites;
};

const everyone = ["user", "client_admin", "business_admin"] as const satisfies readonly Role[];
const admins = ["client_admin", "business_admin"] as const satisfies readonly Role[];
const platform = ["business_admin"] as const satisfies readonly Role[];

export const permissions = {
  // own profile, password, sessions
  "account.update": { roles: everyone, tenancy: "account", writes: "account" },
  "invitations.accept": { roles: everyone, tenancy: "account", writes: "account" },
  // see own organization's balance, usage, keys, payments
  "org.read": { roles: everyone, tenancy: "organization", writes: "nothing" },
  "keys.read": { roles: everyone, tenancy: "organization", writes: "nothing" },
  "usage.read": { roles: everyone, tenancy: "organization", writes: "nothing" },
  "usage.export": { roles: everyone, tenancy: "organization", writes: "nothing" },
  "payments.read": { roles: everyone, tenancy: "organization", writes: "nothing" },
  // create / revoke / roll API keys of own organization. Revoking needs no verified email: someone who
  // leaked a key must always be able to stop it.
  "keys.create": { roles: everyone, tenancy: "organization", requireVerifiedEmail: true },
  "keys.revoke": { roles: everyone, tenancy: "organization" },
  "keys.roll": { roles: everyone, tenancy: "organization", requireVerifiedEmail: true },
  // buy credits for own organization
  "credits.buy": { roles: admins, tenancy: "organization", requireVerifiedEmail: true },
  // set the low-credit threshold; the name and the scopes members may grant go with it
  "org.threshold.update": { roles: admins, tenancy: "organization" },
  "org.settings.update": { roles: admins, tenancy: "organization" },
  // invite, remove, change role of own organization's members (never to business_admin)
  "members.read": { roles: admins, tenancy: "organization", writes: "nothing" },
  "members.invite": { roles: admins, tenancy: "organization" },
  "members.remove": { roles: admins, tenancy: "organization" },
  "members.role.update": { roles: admins, tenancy: "organization" },
  // adjust any organization's credits (with a reason)
  "credits.adjust": { roles: platform, tenancy: "platform" },
  // lock, unlock, disable any user (and the rest of the console's user and organization pages)
  "users.read": { roles: platform, tenancy: "platform", writes: "nothing" },
  "users.lock": { roles: platform, tenancy: "platform" },
  "users.disable": { roles: platform, tenancy: "platform" },
  "users.role.update": { roles: platform, tenancy: "platform" },
  "orgs.read": { roles: platform, tenancy: "platform", writes: "nothing" },
  "orgs.disable": { roles: platform, tenancy: "platform" },
  // manage credit packages, read the audit log, resync Redis
  "packages.manage": { roles: platform, tenancy: "platform" },
  "audit.read": { roles: platform, tenancy: "platform", writes: "nothing" },
  "redis.resync": { roles: platform, tenancy: "platform" },
  "system.manage": { roles: platform, tenancy: "platform" },
} as const satisfies Record<string, PermissionRule>;

export type Permission = keyof typeof permissions;

export const permissionNames = Object.keys(permissions) as Permission[];

export function isPermission(name: unknown): name is Permission {
  return typeof name === "string" && Object.hasOwn(permissions, name);
}

export function permissionRule(permission: Permission): PermissionRule {
  return permissions[permission];
}

/** Whether the role holds the permission at all (the organization is checked separately). For navigation and buttons. */
export function can(role: Role | null | undefined, permission: Permission) {
  return role != null && (permissions[permission].roles as readonly Role[]).includes(role);
}

/** Whether `role` may act on an organization other than its own under this permission. */
export function mayTargetOtherOrganizations(role: Role, permission: Permission) {
  return role === "business_admin" && permissions[permission].tenancy !== "account";
}

/** The roles a client admin may give in their organization: business_admin comes only from the CLI or the console. */
export const memberRoles = ["user", "client_admin"] as const satisfies readonly Role[];
export type MemberRole = (typeof memberRoles)[number];
