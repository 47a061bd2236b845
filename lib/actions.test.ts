import { describe, expect, it } from "vitest";
import type { Role } from "@/db/schema";
import { authorizeAction, type ActionDecision, type ActionPolicy } from "./action-policy";

const own = "00000000-0000-4000-8000-000000000001";
const other = "00000000-0000-4000-8000-000000000002";
const disabled = new Date("2026-01-01T00:00:00Z");

const viewer = (role: Role, emailVerified = true) => ({ role, emailVerified, organizationId: own });
const org = (id: string, disabledAt: Date | null = null) => ({ id, disabledAt });

const buyCredits: ActionPolicy = { roles: ["client_admin"], requireVerifiedEmail: true };
const createKey: ActionPolicy = { requireVerifiedEmail: true };
const revokeKey: ActionPolicy = {};
const updateProfile: ActionPolicy = { writes: "account" };
const readOnly: ActionPolicy = { writes: "nothing" };

type Row = [label: string, ...Parameters<typeof authorizeAction>, ActionDecision];

const table: Row[] = [
  ["signed out", null, org(own), createKey, "signed_out"],
  ["signed out, even for a read", null, null, readOnly, "signed_out"],
  ["a user creates a key in their organization", viewer("user"), org(own), createKey, "allowed"],
  ["an unverified user creates a key", viewer("user", false), org(own), createKey, "unverified"],
  ["an unverified user revokes a key (no email needed)", viewer("user", false), org(own), revokeKey, "allowed"],
  ["a user buys credits", viewer("user"), org(own), buyCredits, "forbidden"],
  ["a client admin buys credits", viewer("client_admin"), org(own), buyCredits, "allowed"],
  ["an unverified client admin buys credits", viewer("client_admin", false), org(own), buyCredits, "unverified"],
  ["the organization does not exist", viewer("client_admin"), null, createKey, "organization_not_found"],
  ["a client admin targets another organization", viewer("client_admin"), org(other), createKey, "organization_not_found"],
  ["a user targets another organization, even for a read", viewer("user"), org(other), readOnly, "organization_not_found"],
  ["a business admin targets another organization", viewer("business_admin"), org(other), buyCredits, "allowed"],
  ["a business admin passes any role check", viewer("business_admin"), org(own), { roles: ["client_admin"] }, "allowed"],
  ["an unverified business admin still needs a verified email", viewer("business_admin", false), org(other), createKey, "unverified"],
  // A disabled organization: every write its members attempt is refused; their own account and reads are not.
  ["a user creates a key in a disabled organization", viewer("user"), org(own, disabled), createKey, "organization_disabled"],
  ["a client admin buys credits for a disabled organization", viewer("client_admin"), org(own, disabled), buyCredits, "organization_disabled"],
  ["a user revokes a key in a disabled organization", viewer("user"), org(own, disabled), revokeKey, "organization_disabled"],
  ["an action that says nothing is a write", viewer("client_admin"), org(own, disabled), {}, "organization_disabled"],
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
