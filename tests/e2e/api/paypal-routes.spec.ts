import { randomBytes, randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { expect, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { db } from "@/db/client";
import { creditLedger, creditPackages, payments, sessions, type Role } from "@/db/schema";
import { serviceTestKit } from "../support/service-api";

/**
 * The session-authenticated PayPal routes over HTTP against the running app, whose PAYPAL_API_BASE is the
 * stack's PayPal fake. Sessions are database rows written here, as a sign-in would write them, and sent as
 * Auth.js's cookie (its non-secure name, since the stack runs on http://localhost).
 */

let kit: Awaited<ReturnType<typeof serviceTestKit>>;
let helpers: typeof import("../../helpers/paypal-payments") & typeof import("../../helpers/organizations");
let packageId: string;

test.beforeAll(async () => {
  kit = await serviceTestKit();
  helpers = { ...(await import("../../helpers/paypal-payments")), ...(await import("../../helpers/organizations")) };
  const [pack] = await db
    .select({ id: creditPackages.id })
    .from(creditPackages)
    .where(eq(creditPackages.active, true))
    .orderBy(asc(creditPackages.sortOrder), asc(creditPackages.priceCents))
    .limit(1);
  if (!pack) throw new Error("the seeded database has no active credit package");
  packageId = pack.id;
});

type Member = { userId: string; organizationId: string; cookie: string };

async function signedIn(role: Role, options: { verified?: boolean; organizationId?: string; balance?: number } = {}): Promise<Member> {
  const organizationId = options.organizationId ?? (await helpers.createTestOrganization(options.balance ?? 0)).id;
  const user = await helpers.createPortalUser(organizationId, { role, verified: options.verified });
  const sessionToken = randomBytes(32).toString("base64url");
  await db.insert(sessions).values({ sessionToken, userId: user.id, expires: new Date(Date.now() + 24 * 60 * 60 * 1000) });
  return { userId: user.id, organizationId, cookie: `authjs.session-token=${sessionToken}` };
}

const as = (member: Member | null, data?: unknown) => ({
  headers: { ...(member ? { Cookie: member.cookie } : {}), "Content-Type": "application/json" },
  ...(data === undefined ? {} : { data }),
});

const createOrder = (request: APIRequestContext, member: Member | null, data: unknown = { packageId }) =>
  request.post("/api/payments/paypal/orders", as(member, data));
const captureOrder = (request: APIRequestContext, member: Member | null, orderId: string) =>
  request.post(`/api/payments/paypal/orders/${orderId}/capture`, as(member, {}));

async function expectError(response: APIResponse, status: number, error: string) {
  expect(response.status()).toBe(status);
  expect(await response.json()).toMatchObject({ success: false, error });
}

async function expectBalanced(...organizationIds: string[]) {
  for (const id of organizationIds) expect(await kit.credits.getBalance(id)).toBe(await kit.credits.sumLedger(id));
}

async function paymentsOf(organizationId: string) {
  return db.select().from(payments).where(eq(payments.organizationId, organizationId));
}

test.describe("POST /api/payments/paypal/orders", () => {
  test("401 signed out, also with a session cookie that matches no session", async ({ request }) => {
    await expectError(await createOrder(request, null), 401, "unauthorized");
    const stranger = { userId: "", organizationId: "", cookie: `authjs.session-token=${randomBytes(32).toString("base64url")}` };
    await expectError(await createOrder(request, stranger), 401, "unauthorized");
  });

  test("403 for a user and for a client_admin whose email is not verified", async ({ request }) => {
    const member = await signedIn("user");
    await expectError(await createOrder(request, member), 403, "forbidden");
    const unverified = await signedIn("client_admin", { verified: false });
    await expectError(await createOrder(request, unverified), 403, "forbidden");
    expect([...(await paymentsOf(member.organizationId)), ...(await paymentsOf(unverified.organizationId))]).toEqual([]);
  });

  test("400 invalid_request for a body without a package id, a malformed id or no JSON", async ({ request }) => {
    const admin = await signedIn("client_admin");
    for (const data of [{}, { packageId: "basic" }, { packageId: 42 }]) {
      await expectError(await createOrder(request, admin, data), 400, "invalid_request");
    }
    await expectError(await createOrder(request, admin, "{not json"), 400, "invalid_request");
    expect(await paymentsOf(admin.organizationId)).toEqual([]);
  });

  test("404 not_found for an unknown or inactive package", async ({ request }) => {
    const admin = await signedIn("client_admin");
    const [retired] = await db.insert(creditPackages).values({ name: "Retired", credits: 10, priceCents: 100, active: false }).returning();
    for (const id of [randomUUID(), retired!.id]) {
      await expectError(await createOrder(request, admin, { packageId: id }), 404, "not_found");
    }
    expect(await paymentsOf(admin.organizationId)).toEqual([]);
  });

  test("201 { orderId } for a verified client_admin, with a pending payment behind it", async ({ request }) => {
    const admin = await signedIn("client_admin", { balance: 15 });
    const response = await createOrder(request, admin);
    expect(response.status()).toBe(201);
    const body = await response.json();
    expect(body).toEqual({ orderId: expect.stringMatching(/^[A-Z0-9]+$/) });
    const [payment] = await paymentsOf(admin.organizationId);
    expect(payment).toMatchObject({ provider: "paypal", providerPaymentId: body.orderId, status: "pending", userId: admin.userId, packageId });
    expect(await kit.credits.getBalance(admin.organizationId)).toBe(15);
    await expectBalanced(admin.organizationId);
  });
});

test.describe("POST /api/payments/paypal/orders/{orderId}/capture", () => {
  async function orderOf(request: APIRequestContext, admin: Member) {
    const response = await createOrder(request, admin);
    expect(response.status()).toBe(201);
    return ((await response.json()) as { orderId: string }).orderId;
  }

  test("401 signed out and 403 for a user of the order's organization", async ({ request }) => {
    const admin = await signedIn("client_admin");
    const orderId = await orderOf(request, admin);
    await expectError(await captureOrder(request, null, orderId), 401, "unauthorized");
    const member = await signedIn("user", { organizationId: admin.organizationId });
    await expectError(await captureOrder(request, member, orderId), 403, "forbidden");
    const [payment] = await paymentsOf(admin.organizationId);
    expect(payment).toMatchObject({ status: "pending", completedAt: null });
    expect(await kit.credits.getBalance(admin.organizationId)).toBe(0);
  });

  test("404 not_found for another organization's order, which stays pending and grants nothing", async ({ request }) => {
    const adminA = await signedIn("client_admin", { balance: 7 });
    const adminB = await signedIn("client_admin", { balance: 9 });
    const orderId = await orderOf(request, adminA);
    await expectError(await captureOrder(request, adminB, orderId), 404, "not_found");
    await expectError(await captureOrder(request, adminB, "NOSUCHORDER123"), 404, "not_found");

    const [payment] = await paymentsOf(adminA.organizationId);
    expect(payment).toMatchObject({ providerPaymentId: orderId, status: "pending", completedAt: null, providerChargeId: null });
    expect(await paymentsOf(adminB.organizationId)).toEqual([]);
    expect(await kit.credits.getBalance(adminA.organizationId)).toBe(7);
    expect(await kit.credits.getBalance(adminB.organizationId)).toBe(9);
    await expectBalanced(adminA.organizationId, adminB.organizationId);
  });

  test("200 { status: completed, credits, balance } for the owner, granted once", async ({ request }) => {
    const admin = await signedIn("client_admin", { balance: 3 });
    const orderId = await orderOf(request, admin);
    const [pending] = await paymentsOf(admin.organizationId);

    const response = await captureOrder(request, admin, orderId);
    expect(response.status()).toBe(200);
    const expected = { status: "completed", credits: pending!.credits, balance: 3 + pending!.credits };
    expect(await response.json()).toEqual(expected);
    // A second capture (another tab, a retried onApprove) answers the same and grants nothing more.
    const again = await captureOrder(request, admin, orderId);
    expect(again.status()).toBe(200);
    expect(await again.json()).toEqual(expected);

    const [payment] = await paymentsOf(admin.organizationId);
    expect(payment).toMatchObject({ status: "completed", providerChargeId: expect.any(String) });
    const grants = await db
      .select()
      .from(creditLedger)
      .where(and(eq(creditLedger.organizationId, admin.organizationId), eq(creditLedger.reference, `payment:${payment!.id}`)));
    expect(grants).toHaveLength(1);
    expect(await kit.credits.getBalance(admin.organizationId)).toBe(3 + pending!.credits);
    await expectBalanced(admin.organizationId);
  });
});
