import { describe, expect, it } from "vitest";
import type { Role } from "@/db/schema";
import { authorizeAction, type ActionDecision, type ActionPolicy } from "./action-policy";
import { grantableScopes, refusedScopes } from "./keys/status";

const own = "00000000-0000-4000-8000-000000000001";
const other = "00000000-0000-4000-8000-000000000002";
const disabled = new Date("2026-01-01T00:00:00Z");

const viewer = (role: Role, emailVerified = true) => ({ role, emailVerified, organizationId: own });
const org = (id: string, disabledAt: Date | null = null) => ({ id, disabledAt });

// Entries of the permission table (lib/auth/permissions.ts), by name, as the factory passes them.
const buyCredits: ActionPolicy = "credits.buy";
const createKey: ActionPolicy = "keys.create";
const revokeKey: ActionPolicy = "keys.revoke";
const updateProfile: ActionPolicy = "account.update";
const readOnly: ActionPolicy = "usage.read";
const setThreshold: ActionPolicy = "org.threshold.update";
const inviteMember: ActionPolicy = "members.invite";
const adjustCredits: ActionPolicy = "credits.adjust";
// A rule that says nothing about what it writes is a write.
const unspecifiedWrite: ActionPolicy = { roles: ["client_admin", "business_admin"], tenancy: "organization" };

type Row = [label: string, ...Parameters<typeof authorizeAction>, ActionDecision];

const table: Row[] = [
  ["signed out", null, org(own), createKey, "signed_out"],
  ["signed out, even for a read", null, null, readOnly, "signed_out"],
  ["a user creates a key in their organization", viewer("user"), org(own), createKey, "allowed"],
  ["an unverified user creates a key", viewer("user", false), org(own), createKey, "unverified"],
  ["an unverified user revokes a key (no email needed)", viewer("user", false), org(own), revokeKey, "allowed"],
  ["a user buys credits", viewer("user"), org(own), buyCredits, "forbidden"],
  ["an unverified user buys credits (the email is checked first)", viewer("user", false), org(own), buyCredits, "unverified"],
  ["a user sets the low-credit threshold", viewer("user"), org(own), setThreshold, "forbidden"],
  ["a client admin sets the low-credit threshold", viewer("client_admin"), org(own), setThreshold, "allowed"],
  ["a user invites a member", viewer("user"), org(own), inviteMember, "forbidden"],
  ["a client admin invites a member", viewer("client_admin"), org(own), inviteMember, "allowed"],
  ["a client admin invites into another organization", viewer("client_admin"), org(other), inviteMember, "organization_not_found"],
  ["a business admin invites into another organization", viewer("business_admin"), org(other), inviteMember, "allowed"],
  ["a client admin adjusts credits (platform only)", viewer("client_admin"), org(own), adjustCredits, "forbidden"],
  ["a business admin adjusts another organization's credits", viewer("business_admin"), org(other), adjustCredits, "allowed"],
  ["an account permission never reaches another organization, even for a business admin", viewer("business_admin"), org(other), updateProfile, "organization_not_found"],
  ["a client admin buys credits", viewer("client_admin"), org(own), buyCredits, "allowed"],
  ["an unverified client admin buys credits", viewer("client_admin", false), org(own), buyCredits, "unverified"],
  ["the organization does not exist", viewer("client_admin"), null, createKey, "organization_not_found"],
  ["a client admin targets another organization", viewer("client_admin"), org(other), createKey, "organization_not_found"],
  ["a user targets another organization, even for a read", viewer("user"), org(other), readOnly, "organization_not_found"],
  ["a business admin targets another organization", viewer("business_admin"), org(other), buyCredits, "allowed"],
  ["a business admin targets an organization that does not exist", viewer("business_admin"), null, buyCredits, "organization_not_found"],
  ["a client admin targets another organization with a role check", viewer("client_admin"), org(other), buyCredits, "organization_not_found"],
  ["a business admin passes a check the table gives it", viewer("business_admin"), org(own), setThreshold, "allowed"],
  ["a business admin is refused what the table does not give it", viewer("business_admin"), org(own), { roles: ["client_admin"], tenancy: "organization" }, "forbidden"],
  ["an unverified business admin still needs a verified email", viewer("business_admin", false), org(other), createKey, "unverified"],
  // A disabled organization: every write its members attempt is refused; their own account and reads are not.
  ["a user creates a key in a disabled organization", viewer("user"), org(own, disabled), createKey, "organization_disabled"],
  ["a client admin buys credits for a disabled organization", viewer("client_admin"), org(own, disabled), buyCredits, "organization_disabled"],
  ["a user revokes a key in a disabled organization", viewer("user"), org(own, disabled), revokeKey, "organization_disabled"],
  ["an action that says nothing is a write", viewer("client_admin"), org(own, disabled), unspecifiedWrite, "organization_disabled"],
  ["a user updates their profile in a disabled organization", viewer("user"), org(own, disabled), updateProfile, "allowed"],
  ["a read in a disabled organization", viewer("user"), org(own, disabled), readOnly, "allowed"],
  ["a business admin acts on a disabled organization", viewer("business_admin"), org(other, disabled), createKey, "allowed"],
  // The order of the checks decides the message: the role before the disabled organization.
  ["a user buys credits for a disabled organization", viewer("user"), org(own, disabled), buyCredits, "forbidden"],
  ["another disabled organization stays not found", viewer("client_admin"), org(other, disabled), createKey, "organization_not_found"],
];

describe("authorizeAction", () => {
  it.each(table)("%s → %s", (_label, who, organization, policy, expected) => {
    expect(authorizeAction(who, organization, policy)).toBe(expected);
  });
});

// SPEC section 3: a `user` grants only the scopes their organization's admins allow members. Creating and
// rolling a key both run refusedScopes (tests/integration/keys-hardening.test.ts drives them); the keys page
// offers grantableScopes. The configured scopes here are the default, query and public.
type ScopeRow = [label: string, role: Role, memberKeyScopes: string[] | null, asked: string[], refused: string[]];

const scopeTable: ScopeRow[] = [
  ["a user, when the admins set no limit", "user", null, ["query", "public"], []],
  ["a user asks only for what members may grant", "user", ["query"], ["query"], []],
  ["a user asks for a scope members may not grant", "user", ["query"], ["query", "public"], ["public"]],
  ["a user, when members may grant nothing", "user", [], ["query"], ["query"]],
  ["a repeated scope is named once", "user", ["query"], ["public", "public"], ["public"]],
  ["a member-allowed scope that is no longer configured", "user", ["query", "legacy"], ["legacy"], ["legacy"]],
  ["a client admin is not limited by the member list", "client_admin", [], ["query", "public"], []],
  ["a business admin is not limited by the member list", "business_admin", ["query"], ["public"], []],
  ["a scope that is not configured, even for an admin", "client_admin", null, ["admin"], ["admin"]],
];

describe("the member scope limit", () => {
  it.each(scopeTable)("%s", (_label, role, memberKeyScopes, asked, refused) => {
    expect(refusedScopes({ memberKeyScopes }, role, asked)).toEqual(refused);
  });

  it.each([
    ["user", null, ["query", "public"]],
    ["user", ["public"], ["public"]],
    ["user", [], []],
    ["client_admin", [], ["query", "public"]],
  ] as Array<[Role, string[] | null, string[]]>)("a %s with members limited to %j is offered %j", (role, memberKeyScopes, offered) => {
    expect(grantableScopes({ memberKeyScopes }, role)).toEqual(offered);
  });
});
