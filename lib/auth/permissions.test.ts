import { describe, expect, it } from "vitest";
import { specSectionOne, everyRole } from "@/tests/helpers/spec-section-1";
import { can, isPermission, mayTargetOtherOrganizations, memberRoles, permissionNames, permissions } from "./permissions";

describe("the permission table", () => {
  it("covers SPEC section 1: every permission belongs to exactly one SPEC row, and every row has one", () => {
    const listed = specSectionOne.flatMap((row) => row.permissions);
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual([...permissionNames].sort());
    for (const row of specSectionOne) expect(row.permissions.length).toBeGreaterThan(0);
  });

  const cases = specSectionOne.flatMap((row) =>
    row.permissions.flatMap((permission) => everyRole.map((role) => [row.row, permission, role, row.allowed.includes(role)] as const)),
  );
  it.each(cases)("%s: %s for a %s is %s", (_row, permission, role, allowed) => {
    expect(can(role, permission)).toBe(allowed);
  });

  it.each(specSectionOne.flatMap((row) => row.permissions.map((permission) => [permission, row.businessAdminAnyOrganization] as const)))(
    "%s: a business admin may reach other organizations: %s",
    (permission, anyOrganization) => {
      expect(mayTargetOtherOrganizations("business_admin", permission)).toBe(anyOrganization);
      expect(mayTargetOtherOrganizations("client_admin", permission)).toBe(false);
      expect(mayTargetOtherOrganizations("user", permission)).toBe(false);
    },
  );

  it("refuses a signed-out viewer everything", () => {
    for (const permission of permissionNames) expect(can(null, permission)).toBe(false);
  });

  it("makes every platform permission business_admin only, and never lets an account permission cross organizations", () => {
    for (const [name, rule] of Object.entries(permissions)) {
      if (rule.tenancy === "platform") expect(rule.roles, name).toEqual(["business_admin"]);
    }
    expect(mayTargetOtherOrganizations("business_admin", "account.update")).toBe(false);
  });

  it("lets members be given only user or client_admin (never business_admin)", () => {
    expect(memberRoles).toEqual(["user", "client_admin"]);
  });

  it("knows its own names only", () => {
    expect(isPermission("keys.create")).toBe(true);
    expect(isPermission("keys.delete")).toBe(false);
    expect(isPermission("toString")).toBe(false);
  });
});
