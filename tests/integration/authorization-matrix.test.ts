import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/db/client";
import { apiKeys, invitations, organizations, payments, users, type Role } from "@/db/schema";
import { actionGuard, authorizeAction } from "@/lib/actions";
import { can, isPermission, mayTargetOtherOrganizations, permissionNames, type Permission } from "@/lib/auth/permissions";
import type { Viewer } from "@/lib/auth/viewer";
import { createApiKey } from "@/lib/keys";
import { inviteMember } from "@/lib/invitations";
import { routePermission } from "@/lib/session-route";
import { createMember, createOrganizationWithAdmin, request } from "../helpers/members";
import { everyRole, specSectionOne } from "../helpers/spec-section-1";

// Authorization as one table (lib/auth/permissions.ts), proven here for every server action and route handler.
// The viewer is the only stand-in: every action then runs for real against Postgres.
const signedIn = vi.hoisted(() => ({ viewer: null as Viewer | null }));
vi.mock("@/lib/auth/viewer", () => ({ getViewer: async () => signedIn.viewer }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "user-agent": "vitest" }), cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false }) }));
vi.mock("@/auth", () => ({ auth: vi.fn(), signIn: vi.fn(), signOut: vi.fn(), GET: vi.fn(), POST: vi.fn() }));
vi.mock("next-auth", () => ({ CredentialsSignin: class CredentialsSignin extends Error {} }));

const root = path.resolve(__dirname, "../..");

function filesNamed(name: string, directory = path.join(root, "app")): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return filesNamed(name, full);
    return entry.name === name ? [path.relative(root, full)] : [];
  });
}

/** Exported functions a factory did not make, with why they need no permission. Anything else must have one. */
const unguardedActions: Record<string, Record<string, string>> = {
  "app/(auth)/actions.ts": { signInWithProvider: "public: starts an OAuth sign-in", signOutAction: "public: ends the caller's own session" },
};

type RouteAccess = Permission | "public" | "service" | "webhook" | "cron" | { page: Permission };

/**
 * Every route handler and what guards it: a permission (through sessionRoute), a page route that checks one
 * itself, the service token (SPEC section 2), a provider signature, the cron secret, or nothing (public).
 * Routes built on other branches are listed by path so they are checked as soon as they land.
 */
const routes: Record<string, Partial<Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE", RouteAccess>>> = {
  "app/api/auth/[...nextauth]/route.ts": { GET: "public", POST: "public" },
  "app/api/health/route.ts": { GET: "public" },
  "app/api/health/live/route.ts": { GET: "public" },
  "app/api/openapi.json/route.ts": { GET: "public" },
  "app/api/keys/verify/route.ts": { POST: "service" },
  "app/api/usage/route.ts": { POST: "service" },
  "app/api/usage/batch/route.ts": { POST: "service" },
  "app/api/usage/export/route.ts": { GET: "usage.export" },
  "app/api/admin/audit/export/route.ts": { GET: "audit.read" },
  "app/api/cron/forecast/route.ts": { GET: "cron" },
  "app/api/cron/outbox/route.ts": { GET: "cron" },
  "app/api/webhooks/stripe/route.ts": { POST: "webhook" },
  "app/api/webhooks/paypal/route.ts": { POST: "webhook" },
  "app/api/payments/paypal/orders/route.ts": { POST: "credits.buy" },
  "app/api/payments/paypal/orders/[orderId]/capture/route.ts": { POST: "credits.buy" },
  "app/(portal)/billing/payments/[id]/invoice/route.ts": { GET: { page: "payments.read" } },
};
const httpMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

describe("every server action has a permission from the table", () => {
  const files = filesNamed("actions.ts");
  it("finds the actions files", () => expect(files.length).toBeGreaterThanOrEqual(5));
  it.each(files)("%s", async (file) => {
    const exports = (await import(path.join(root, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exports)) {
      if (typeof value !== "function") continue;
      const guard = actionGuard(value);
      if (!guard) {
        expect(unguardedActions[file]?.[name], `${file} exports ${name}, made by no factory and not classified`).toBeDefined();
        continue;
      }
      if (guard.kind === "permission") expect(isPermission(guard.permission), `${file}#${name}`).toBe(true);
    }
  });
});

describe("every route handler is classified", () => {
  const files = filesNamed("route.ts");
  it.each(files)("%s", async (file) => {
    expect(routes[file], `${file} has no entry in the route table`).toBeDefined();
    const exports = (await import(path.join(root, file))) as Record<string, unknown>;
    for (const method of httpMethods) {
      const handler = exports[method];
      if (!handler) continue;
      const access = routes[file]![method as keyof (typeof routes)[string]];
      expect(access, `${file} exports ${method} without a classification`).toBeDefined();
      if (typeof access === "string" && isPermission(access)) expect(routePermission(handler), `${file} ${method} must be a sessionRoute("${access}")`).toBe(access);
      else expect(routePermission(handler), `${file} ${method} is classified ${JSON.stringify(access)}`).toBeUndefined();
    }
  });
});

// The decision for every permission, role and organization, against SPEC section 1 typed in by hand.
const own = randomUUID();
const other = randomUUID();
const viewerOf = (role: Role) => ({ role, emailVerified: true, organizationId: own });

describe("each role's outcome matches SPEC section 1", () => {
  const rows = specSectionOne.flatMap((row) =>
    row.permissions.flatMap((permission) => [null, ...everyRole].map((role) => [row.row, permission, role ?? "signed out", row] as const)),
  );
  it.each(rows)("%s — %s as %s", (_label, permission, role, row) => {
    const viewer = role === "signed out" ? null : viewerOf(role);
    const ownDecision = authorizeAction(viewer, { id: own, disabledAt: null }, permission);
    const otherDecision = authorizeAction(viewer, { id: other, disabledAt: null }, permission);
    if (!viewer) {
      expect([ownDecision, otherDecision]).toEqual(["signed_out", "signed_out"]);
      return;
    }
    expect(ownDecision).toBe(row.allowed.includes(viewer.role) ? "allowed" : "forbidden");
    const reachesOthers = viewer.role === "business_admin" && row.businessAdminAnyOrganization;
    // Another organization is "not found" (never "forbidden") for everyone but a platform admin where the SPEC says "any org".
    expect(otherDecision).toBe(reachesOthers ? "allowed" : "organization_not_found");
    expect(mayTargetOtherOrganizations(viewer.role, permission)).toBe(reachesOthers);
  });
  it("covers every permission", () => expect(new Set(rows.map(([, permission]) => permission))).toEqual(new Set(permissionNames)));
});

// Real calls: A's client admin aims at B's keys, members, invitations, payments, threshold and usage export.
function asViewer(user: { id: string; email: string; role: Role; organizationId: string | null }) {
  signedIn.viewer = { userId: user.id, sessionId: randomUUID(), email: user.email, name: null, image: null, role: user.role, organizationId: user.organizationId!, emailVerified: true };
}

async function snapshotOf(organizationId: string) {
  return {
    organization: await db.select().from(organizations).where(eq(organizations.id, organizationId)),
    users: await db.select().from(users).where(eq(users.organizationId, organizationId)).orderBy(users.id),
    keys: await db.select().from(apiKeys).where(eq(apiKeys.organizationId, organizationId)).orderBy(apiKeys.id),
    invitations: await db.select().from(invitations).where(eq(invitations.organizationId, organizationId)).orderBy(invitations.id),
    payments: await db.select().from(payments).where(eq(payments.organizationId, organizationId)).orderBy(payments.id),
  };
}

describe("cross-organization attempts are refused and change nothing", () => {
  const world = {} as {
    a: Awaited<ReturnType<typeof createOrganizationWithAdmin>>;
    b: Awaited<ReturnType<typeof createOrganizationWithAdmin>>;
    bMember: Awaited<ReturnType<typeof createMember>>;
    bKeyId: string;
    bInvitationId: string;
    bPaymentId: string;
  };
  beforeAll(async () => {
    world.a = await createOrganizationWithAdmin(100);
    world.b = await createOrganizationWithAdmin(100);
    world.bMember = await createMember(world.b.organization.id);
    world.bKeyId = (await createApiKey({ organizationId: world.b.organization.id, createdByUserId: world.b.admin.id, name: "b key", scopes: ["query"] })).apiKey.id;
    const invited = await inviteMember({ organizationId: world.b.organization.id, email: `b-${randomUUID().slice(0, 8)}@example.test`, role: "user", actor: { userId: world.b.admin.id, name: null, request } });
    world.bInvitationId = (invited as { invitationId: string }).invitationId;
    const [payment] = await db
      .insert(payments)
      .values({ organizationId: world.b.organization.id, provider: "stripe", credits: 10, amountCents: 100, stripeInvoiceId: "in_b", status: "completed" })
      .returning();
    world.bPaymentId = payment!.id;
  });

  const attempts: Array<[label: string, run: () => Promise<unknown>, refusal: RegExp | number]> = [
    ["revoke B's key", async () => (await import("@/app/(portal)/keys/actions")).revokeKeyAction({ keyId: world.bKeyId }), /does not exist/],
    ["roll B's key", async () => (await import("@/app/(portal)/keys/actions")).rollKeyAction({ keyId: world.bKeyId, graceHours: 0 }), /does not exist/],
    ["promote B's member", async () => (await import("@/app/(portal)/org/actions")).changeMemberRoleAction({ memberId: world.bMember.id, role: "client_admin" }), /does not exist/],
    ["promote B's member naming B", async () => (await import("@/app/(portal)/org/actions")).changeMemberRoleAction({ memberId: world.bMember.id, role: "client_admin", organizationId: world.b.organization.id }), /does not exist/],
    ["remove B's member", async () => (await import("@/app/(portal)/org/actions")).removeMemberAction({ memberId: world.bMember.id }), /does not exist/],
    ["invite into B", async () => (await import("@/app/(portal)/org/actions")).inviteMemberAction({ email: "x@example.test", role: "user", organizationId: world.b.organization.id }), /does not exist/],
    ["resend B's invitation", async () => (await import("@/app/(portal)/org/actions")).resendInvitationAction({ invitationId: world.bInvitationId }), /does not exist/],
    ["cancel B's invitation", async () => (await import("@/app/(portal)/org/actions")).cancelInvitationAction({ invitationId: world.bInvitationId }), /does not exist/],
    ["set B's threshold", async () => (await import("@/app/(portal)/org/actions")).updateLowCreditThresholdAction({ lowCreditThreshold: 1, organizationId: world.b.organization.id }), /does not exist/],
    ["rename B", async () => (await import("@/app/(portal)/org/actions")).updateOrganizationSettingsAction({ name: "Taken", memberScopesMode: "all", organizationId: world.b.organization.id }), /does not exist/],
  ];

  it.each(attempts)("A's client admin tries to %s", async (_label, run, refusal) => {
    asViewer(world.a.admin);
    const before = await snapshotOf(world.b.organization.id);
    const result = (await run()) as { success: boolean; error: string };
    expect(result.success).toBe(false);
    expect(result.error).toMatch(refusal as RegExp);
    expect(await snapshotOf(world.b.organization.id)).toEqual(before);
  });

  it("A's client admin asks for B's invoice: 404, as for a payment that does not exist", async () => {
    asViewer(world.a.admin);
    const { GET } = await import("@/app/(portal)/billing/payments/[id]/invoice/route");
    const call = (id: string) => GET(new Request(`http://localhost/billing/payments/${id}/invoice`), { params: Promise.resolve({ id }) });
    expect((await call(world.bPaymentId)).status).toBe(404);
    expect((await call(randomUUID())).status).toBe(404);
  });

  it("A's client admin exports B's usage: not found (once the export route exists)", async () => {
    asViewer(world.a.admin);
    const exportRoute = filesNamed("route.ts").includes("app/api/usage/export/route.ts");
    if (!exportRoute) return;
    const { GET } = (await import(path.join(root, "app/api/usage/export/route.ts"))) as { GET: (request: Request, context: unknown) => Promise<Response> };
    const response = await GET(new Request(`http://localhost/api/usage/export?organizationId=${world.b.organization.id}`), { params: Promise.resolve({}) });
    expect(response.status).toBe(404);
  });

  it("a user is refused admin actions with nothing written; a business admin may act on B", async () => {
    const orgActions = await import("@/app/(portal)/org/actions");
    const member = await createMember(world.a.organization.id);
    asViewer(member);
    const before = await snapshotOf(world.a.organization.id);
    for (const result of [
      await orgActions.inviteMemberAction({ email: "y@example.test", role: "user" }),
      await orgActions.updateLowCreditThresholdAction({ lowCreditThreshold: 1 }),
      await orgActions.changeMemberRoleAction({ memberId: member.id, role: "client_admin" }),
      await (await import("@/app/(portal)/billing/actions")).buyWithTestPayment({ packageId: randomUUID(), requestId: randomUUID() }),
    ]) {
      expect(result).toEqual({ success: false, error: "You do not have permission to do that." });
    }
    expect(await snapshotOf(world.a.organization.id)).toEqual(before);

    const platform = await createMember(world.a.organization.id, "business_admin");
    asViewer(platform);
    expect(await orgActions.updateLowCreditThresholdAction({ lowCreditThreshold: 7, organizationId: world.b.organization.id })).toEqual({ success: true, data: undefined });
    const [b] = await db.select().from(organizations).where(inArray(organizations.id, [world.b.organization.id]));
    expect(b!.lowCreditThreshold).toBe(7);
  });

  it("signed out, every guarded action answers that the session ended", async () => {
    signedIn.viewer = null;
    for (const file of filesNamed("actions.ts")) {
      const exports = (await import(path.join(root, file))) as Record<string, (input: unknown) => Promise<unknown>>;
      for (const [name, action] of Object.entries(exports)) {
        if (actionGuard(action)?.kind !== "permission") continue;
        expect(await action({}), `${file}#${name}`).toEqual({ success: false, error: "Your session has ended. Sign in again." });
      }
    }
    expect(can(null, "keys.read")).toBe(false);
  });
});
