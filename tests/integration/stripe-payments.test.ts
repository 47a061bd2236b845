import { randomBytes, randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { creditPackages, organizations, payments, webhookEvents } from "@/db/schema";
import { deductCredits, getBalance } from "@/lib/credits";
import { startStripeFake, stripeEvent } from "../fakes/stripe";
import { createTestOrganization } from "../helpers/organizations";
import {
  auditActions,
  createBuyer,
  createCreditPackage,
  expectBalanceMatchesLedger,
  ledgerOf,
  paymentRow,
  paymentState,
  receiptEmails,
  reversalRows,
  stripeEventRows,
} from "../helpers/stripe-payments";
import { onServerDatabase } from "../helpers/row-lock";

// lib/env reads process.env once, so the fake's address and the secrets are in place before the app loads.
const webhookSecret = `whsec_${randomBytes(16).toString("hex")}`;
const stripe = await startStripeFake({ webhookSecret });
process.env.STRIPE_API_BASE = stripe.url;
process.env.STRIPE_SECRET_KEY = "sk_test_stripe_payments";
process.env.STRIPE_WEBHOOK_SECRET = webhookSecret;
process.env.AUTH_URL = "http://portal.test";

const { POST } = await import("@/app/api/webhooks/stripe/route");
const { createStripeCheckout } = await import("@/lib/payments/stripe/checkout");
const { completeCheckoutReturn } = await import("@/lib/payments/stripe/checkout-session");
const { purchaseWithTestPayment } = await import("@/lib/payments");

afterAll(async () => {
  await stripe.close();
});

type Delivery = { body: string; signature?: string | null };

async function post(delivery: Delivery) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (delivery.signature) headers["stripe-signature"] = delivery.signature;
  const response = await POST(new Request("http://portal.test/api/webhooks/stripe", { method: "POST", headers, body: delivery.body }));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const deliver = (event: object) => post(stripe.sign(event));

/** An organization with a buyer who has started a Checkout for a package of `credits` for `priceCents`. */
async function startPurchase(options: { credits?: number; priceCents?: number; balance?: number } = {}) {
  const organization = await createTestOrganization(options.balance ?? 0);
  const buyer = await createBuyer(organization.id);
  const pack = await createCreditPackage({ credits: options.credits ?? 1_000, priceCents: options.priceCents ?? 1_000 });
  const checkout = await createStripeCheckout({ organizationId: organization.id, userId: buyer.id, email: buyer.email, packageId: pack.id });
  const sessionId = (await paymentRow(checkout.paymentId)).providerPaymentId!;
  return { organization, buyer, pack, paymentId: checkout.paymentId, url: checkout.url, sessionId };
}

/** A Session event as Stripe would send it now: the Session is completed with that status first. */
function sessionEvent(type: string, sessionId: string, paymentStatus: "paid" | "unpaid" = "paid") {
  return stripeEvent(type, structuredClone(stripe.complete(sessionId, paymentStatus)));
}

function sessionCreateOf(paymentId: string) {
  const creates = stripe.sessionCreates().filter((create) => create.fields["metadata[paymentId]"] === paymentId);
  expect(creates).toHaveLength(1);
  return creates[0]!;
}

const customerCreatesOf = (organizationId: string) =>
  stripe.requests.filter(
    (request) => request.method === "POST" && request.path === "/v1/customers" && new URLSearchParams(request.body).get("metadata[organizationId]") === organizationId,
  );

const viewerOf = (organizationId: string) => ({ organizationId, anyOrganization: false });

describe("starting a Stripe Checkout", () => {
  it("writes the pending payment from our package, then creates the Session from that row", async () => {
    const { organization, buyer, pack, paymentId, sessionId, url } = await startPurchase({ credits: 1_000, priceCents: 333 });

    // The Session carries the payment's database-generated id, so the pending row existed before the call.
    const payment = await paymentRow(paymentId);
    expect(payment).toMatchObject({
      status: "pending",
      provider: "stripe",
      organizationId: organization.id,
      userId: buyer.id,
      packageId: pack.id,
      packageName: pack.name,
      credits: 1_000,
      amountCents: 333,
      currency: "usd",
      providerPaymentId: sessionId,
      completedAt: null,
    });
    expect(url).toBe(stripe.sessions.get(sessionId)!.url);

    const [customerCreate, ...more] = customerCreatesOf(organization.id);
    expect(more).toEqual([]);
    expect(customerCreate!.headers["idempotency-key"]).toBe(`customer:${organization.id}`);
    expect(new URLSearchParams(customerCreate!.body).get("email")).toBe(buyer.email);
    const [stored] = await db.select().from(organizations).where(eq(organizations.id, organization.id));
    expect(stored!.stripeCustomerId).toMatch(/^cus_/);

    const create = sessionCreateOf(paymentId);
    expect(create.idempotencyKey).toBe(`checkout-session:${paymentId}`);
    expect(create.fields).toMatchObject({
      mode: "payment",
      customer: stored!.stripeCustomerId,
      client_reference_id: organization.id,
      "line_items[0][quantity]": "1",
      "line_items[0][price_data][unit_amount]": "333",
      "line_items[0][price_data][currency]": "usd",
      "metadata[paymentId]": paymentId,
      "metadata[organizationId]": organization.id,
      "metadata[packageId]": pack.id,
      "payment_intent_data[metadata][paymentId]": paymentId,
      "payment_intent_data[metadata][organizationId]": organization.id,
      "payment_intent_data[metadata][packageId]": pack.id,
      "invoice_creation[enabled]": "true",
      success_url: "http://portal.test/billing/checkout/return?session_id={CHECKOUT_SESSION_ID}",
    });
    expect(create.fields["line_items[0][price_data][product_data][name]"]).toBe(`${pack.name}: 1,000 credits`);
    expect(Object.keys(create.fields).filter((field) => field.startsWith("line_items[1]"))).toEqual([]);

    const [started, ...otherAudits] = await auditActions(organization.id, "payment.started");
    expect(otherAudits).toEqual([]);
    expect(started).toMatchObject({ actorUserId: buyer.id, targetId: paymentId, metadata: { provider: "stripe", sessionId, amountCents: 333, credits: 1_000 } });
    expect(await getBalance(organization.id)).toBe(0);
    await expectBalanceMatchesLedger(organization.id);
  });

  it("creates the organization's Stripe customer once and reuses it on the next purchase", async () => {
    const first = await startPurchase();
    const second = await createStripeCheckout({ organizationId: first.organization.id, userId: first.buyer.id, email: first.buyer.email, packageId: first.pack.id });

    expect(customerCreatesOf(first.organization.id)).toHaveLength(1);
    const [stored] = await db.select().from(organizations).where(eq(organizations.id, first.organization.id));
    expect(sessionCreateOf(first.paymentId).fields.customer).toBe(stored!.stripeCustomerId);
    expect(sessionCreateOf(second.paymentId).fields.customer).toBe(stored!.stripeCustomerId);
    expect(second.paymentId).not.toBe(first.paymentId);
    expect(sessionCreateOf(second.paymentId).idempotencyKey).toBe(`checkout-session:${second.paymentId}`);
    await expectBalanceMatchesLedger(first.organization.id);
  });

  it.skipIf(!onServerDatabase)("creates one Stripe customer when an organization's first two purchases start at once (server database only: PGlite is one session)", async () => {
    const organization = await createTestOrganization(0);
    const buyer = await createBuyer(organization.id);
    const pack = await createCreditPackage({ credits: 100, priceCents: 100 });
    const input = { organizationId: organization.id, userId: buyer.id, email: buyer.email, packageId: pack.id };

    const [first, second] = await Promise.all([createStripeCheckout(input), createStripeCheckout(input)]);

    const [stored] = await db.select().from(organizations).where(eq(organizations.id, organization.id));
    // Both calls may reach Stripe, but under one idempotency key, so Stripe answers both with one customer.
    const creates = customerCreatesOf(organization.id);
    expect(new Set(creates.map((request) => request.headers["idempotency-key"]))).toEqual(new Set([`customer:${organization.id}`]));
    expect(sessionCreateOf(first.paymentId).fields.customer).toBe(stored!.stripeCustomerId);
    expect(sessionCreateOf(second.paymentId).fields.customer).toBe(stored!.stripeCustomerId);
    expect(await db.select().from(payments).where(eq(payments.organizationId, organization.id))).toHaveLength(2);
    await expectBalanceMatchesLedger(organization.id);
  });

  it("keeps the price the payment started with when the package changes afterwards", async () => {
    const { organization, pack, paymentId, sessionId, buyer } = await startPurchase({ credits: 500, priceCents: 700 });
    await db.update(creditPackages).set({ credits: 5_000, priceCents: 100 }).where(eq(creditPackages.id, pack.id));

    expect(await paymentState(paymentId)).toMatchObject({ status: "pending", credits: 500, amountCents: 700 });
    expect(sessionCreateOf(paymentId).fields["line_items[0][price_data][unit_amount]"]).toBe("700");
    const granted = await deliver(sessionEvent("checkout.session.completed", sessionId));
    expect(granted).toEqual({ status: 200, body: { received: true, outcome: "granted 500 credits" } });
    expect(await paymentState(paymentId)).toMatchObject({ status: "completed", credits: 500, amountCents: 700 });

    // The next purchase of the same package is built from its new row.
    const next = await createStripeCheckout({ organizationId: organization.id, userId: buyer.id, email: buyer.email, packageId: pack.id });
    expect(sessionCreateOf(next.paymentId).fields["line_items[0][price_data][unit_amount]"]).toBe("100");
    expect(await paymentState(next.paymentId)).toMatchObject({ status: "pending", credits: 5_000, amountCents: 100 });
    expect(await getBalance(organization.id)).toBe(500);
    await expectBalanceMatchesLedger(organization.id);
  });

  it("refuses an inactive or unknown package and writes nothing, here or at Stripe", async () => {
    const organization = await createTestOrganization(10);
    const buyer = await createBuyer(organization.id);
    const retired = await createCreditPackage({ credits: 99, priceCents: 100, active: false });
    const requestsBefore = stripe.requests.length;

    for (const packageId of [retired.id, randomUUID()]) {
      await expect(
        createStripeCheckout({ organizationId: organization.id, userId: buyer.id, email: buyer.email, packageId }),
      ).rejects.toMatchObject({ code: "package_unavailable" });
    }

    expect(stripe.requests.length).toBe(requestsBefore);
    expect(await db.select().from(payments).where(eq(payments.organizationId, organization.id))).toEqual([]);
    expect(await auditActions(organization.id, "payment.started")).toEqual([]);
    const [stored] = await db.select().from(organizations).where(eq(organizations.id, organization.id));
    expect(stored!.stripeCustomerId).toBeNull();
    expect(await getBalance(organization.id)).toBe(10);
    await expectBalanceMatchesLedger(organization.id);
  });

  it("does not grant a paid Session whose amount is not the payment's", async () => {
    const { organization, paymentId, sessionId } = await startPurchase({ credits: 1_000, priceCents: 1_000 });
    const session = stripe.complete(sessionId, "paid");
    const event = stripeEvent("checkout.session.completed", { ...session, amount_total: 1 });

    expect(await deliver(event)).toEqual({ status: 200, body: { received: true, outcome: "not granted: amount_mismatch" } });
    expect(await paymentState(paymentId)).toMatchObject({ status: "pending", credits: 1_000, amountCents: 1_000 });
    expect(await stripeEventRows(event.id)).toEqual([{ type: "checkout.session.completed", outcome: "not granted: amount_mismatch" }]);
    const [mismatch] = await auditActions(organization.id, "payment.amount_mismatch");
    expect(mismatch!.metadata).toEqual({ expected: "1000 usd", received: "1 usd" });
    expect(await ledgerOf(organization.id)).toEqual([]);
    await expectBalanceMatchesLedger(organization.id);
  });
});

/** Everything one grant of 1,000 credits leaves behind, and nothing more. */
async function expectGrantedOnce(purchase: Awaited<ReturnType<typeof startPurchase>>, credits = 1_000) {
  const { organization, buyer, paymentId, sessionId } = purchase;
  const payment = await paymentRow(paymentId);
  const session = stripe.sessions.get(sessionId)!;
  expect(payment).toMatchObject({ status: "completed", credits, refundedCents: 0, creditsReversed: 0, providerChargeId: session.payment_intent, stripeInvoiceId: session.invoice });
  expect(payment.completedAt).toBeInstanceOf(Date);
  expect(await ledgerOf(organization.id)).toEqual([[credits, credits, "purchase", `payment:${paymentId}`]]);
  expect(await getBalance(organization.id)).toBe(credits);
  const receipts = await receiptEmails(buyer.email);
  expect(receipts).toHaveLength(1);
  expect(receipts[0]!.text).toContain(`Payment ID: ${paymentId}`);
  const completed = await auditActions(organization.id, "payment.completed");
  expect(completed).toHaveLength(1);
  expect(completed[0]).toMatchObject({ targetId: paymentId, actorUserId: buyer.id, metadata: { provider: "stripe", credits } });
  await expectBalanceMatchesLedger(organization.id);
}

describe("Stripe webhooks: granting a payment", () => {
  it("grants a paid checkout.session.completed once, with a receipt email and an audit row", async () => {
    const purchase = await startPurchase();
    const event = sessionEvent("checkout.session.completed", purchase.sessionId);

    expect(await deliver(event)).toEqual({ status: 200, body: { received: true, outcome: "granted 1000 credits" } });
    expect(await stripeEventRows(event.id)).toEqual([{ type: "checkout.session.completed", outcome: "granted 1000 credits" }]);
    await expectGrantedOnce(purchase);
  });

  it("grants once when the same event is delivered 5 times in a row", async () => {
    const purchase = await startPurchase();
    const delivery = stripe.sign(sessionEvent("checkout.session.completed", purchase.sessionId));
    const answers = [];
    for (let attempt = 0; attempt < 5; attempt++) answers.push(await post(delivery));

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.map((answer) => answer.body.outcome)).toEqual([
      "granted 1000 credits",
      ...Array(4).fill("duplicate: already processed"),
    ]);
    expect(await db.select().from(webhookEvents).where(eq(webhookEvents.eventId, JSON.parse(delivery.body).id))).toHaveLength(1);
    await expectGrantedOnce(purchase);
  });

  it.skipIf(!onServerDatabase)("grants once when the same event is delivered 5 times at once (server database only: PGlite is one session)", async () => {
    const purchase = await startPurchase();
    const delivery = stripe.sign(sessionEvent("checkout.session.completed", purchase.sessionId));
    const answers = await Promise.all(Array.from({ length: 5 }, () => post(delivery)));

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    const outcomes = answers.map((answer) => answer.body.outcome).sort();
    expect(outcomes).toEqual([...Array(4).fill("duplicate: already processed"), "granted 1000 credits"]);
    expect(await stripeEventRows(JSON.parse(delivery.body).id)).toEqual([{ type: "checkout.session.completed", outcome: "granted 1000 credits" }]);
    await expectGrantedOnce(purchase);
  });

  it("grants once when the return page comes before the webhook, and hides the Session from other organizations", async () => {
    const purchase = await startPurchase();
    const event = sessionEvent("checkout.session.completed", purchase.sessionId);
    const stranger = await createTestOrganization(0);

    await expect(completeCheckoutReturn(purchase.sessionId, viewerOf(stranger.id))).rejects.toMatchObject({ code: "not_found" });
    await expect(completeCheckoutReturn("cs_test_unknown", viewerOf(purchase.organization.id))).rejects.toMatchObject({ code: "not_found" });
    expect(await completeCheckoutReturn(purchase.sessionId, viewerOf(purchase.organization.id))).toEqual({
      paymentId: purchase.paymentId,
      status: "completed",
      credits: 1_000,
      balance: 1_000,
    });
    expect(await deliver(event)).toEqual({ status: 200, body: { received: true, outcome: "not granted: already_granted" } });
    expect(await stripeEventRows(event.id)).toEqual([{ type: "checkout.session.completed", outcome: "not granted: already_granted" }]);
    await expectGrantedOnce(purchase);
    expect(await getBalance(stranger.id)).toBe(0);
    await expectBalanceMatchesLedger(stranger.id);
  });

  it("grants once when the webhook comes before the return page", async () => {
    const purchase = await startPurchase();

    expect((await deliver(sessionEvent("checkout.session.completed", purchase.sessionId))).body.outcome).toBe("granted 1000 credits");
    expect(await completeCheckoutReturn(purchase.sessionId, viewerOf(purchase.organization.id))).toEqual({
      paymentId: purchase.paymentId,
      status: "completed",
      credits: 1_000,
      balance: 1_000,
    });
    await expectGrantedOnce(purchase);
  });

  it.skipIf(!onServerDatabase)("grants once when return pages and webhooks arrive at the same time (server database only: PGlite is one session)", async () => {
    const purchase = await startPurchase();
    const completed = stripe.sign(sessionEvent("checkout.session.completed", purchase.sessionId));
    const asyncSucceeded = stripe.sign(sessionEvent("checkout.session.async_payment_succeeded", purchase.sessionId));
    const viewer = viewerOf(purchase.organization.id);

    const [pageA, hookA, pageB, hookB, hookC] = await Promise.all([
      completeCheckoutReturn(purchase.sessionId, viewer),
      post(completed),
      completeCheckoutReturn(purchase.sessionId, viewer),
      post(asyncSucceeded),
      post(completed),
    ]);

    expect([pageA.status, pageB.status]).toEqual(["completed", "completed"]);
    expect([hookA.status, hookB.status, hookC.status]).toEqual([200, 200, 200]);
    const outcomes = [hookA, hookB, hookC].map((answer) => answer.body.outcome as string);
    // Either a page granted and both events found it done, or one of the events granted.
    expect(outcomes.filter((outcome) => outcome === "granted 1000 credits").length).toBeLessThanOrEqual(1);
    expect(outcomes.filter((outcome) => outcome === "duplicate: already processed")).toHaveLength(1);
    expect(await db.select().from(webhookEvents).where(eq(webhookEvents.eventId, JSON.parse(completed.body).id))).toHaveLength(1);
    expect(await db.select().from(webhookEvents).where(eq(webhookEvents.eventId, JSON.parse(asyncSucceeded.body).id))).toHaveLength(1);
    await expectGrantedOnce(purchase);
  });

  it("keeps an unpaid completion pending, then grants once on async_payment_succeeded", async () => {
    const purchase = await startPurchase();
    const unpaid = sessionEvent("checkout.session.completed", purchase.sessionId, "unpaid");

    expect((await deliver(unpaid)).body.outcome).toBe("pending: payment_status is unpaid");
    expect(await paymentState(purchase.paymentId)).toMatchObject({ status: "pending" });
    expect(await getBalance(purchase.organization.id)).toBe(0);
    expect(await receiptEmails(purchase.buyer.email)).toEqual([]);

    const succeeded = sessionEvent("checkout.session.async_payment_succeeded", purchase.sessionId, "paid");
    expect(await deliver(succeeded)).toEqual({ status: 200, body: { received: true, outcome: "granted 1000 credits" } });
    // A second success event (a new id, not a redelivery) finds the payment granted.
    const again = sessionEvent("checkout.session.async_payment_succeeded", purchase.sessionId, "paid");
    expect((await deliver(again)).body.outcome).toBe("not granted: already_granted");

    expect(await stripeEventRows(unpaid.id)).toEqual([{ type: "checkout.session.completed", outcome: "pending: payment_status is unpaid" }]);
    expect(await stripeEventRows(succeeded.id)).toEqual([{ type: "checkout.session.async_payment_succeeded", outcome: "granted 1000 credits" }]);
    await expectGrantedOnce(purchase);
  });

  it("grants nothing on async_payment_failed and marks the payment failed", async () => {
    const purchase = await startPurchase();
    await deliver(sessionEvent("checkout.session.completed", purchase.sessionId, "unpaid"));
    const failed = sessionEvent("checkout.session.async_payment_failed", purchase.sessionId, "unpaid");

    expect(await deliver(failed)).toEqual({ status: 200, body: { received: true, outcome: "payment failed" } });
    const payment = await paymentRow(purchase.paymentId);
    expect(payment).toMatchObject({ status: "failed", completedAt: null, credits: 1_000 });
    expect(payment.failureReason).toMatch(/failed after checkout/);
    expect(await stripeEventRows(failed.id)).toEqual([{ type: "checkout.session.async_payment_failed", outcome: "payment failed" }]);
    expect(await auditActions(purchase.organization.id, "payment.failed")).toHaveLength(1);
    expect(await auditActions(purchase.organization.id, "payment.completed")).toEqual([]);
    expect(await receiptEmails(purchase.buyer.email)).toEqual([]);
    expect(await ledgerOf(purchase.organization.id)).toEqual([]);
    await expectBalanceMatchesLedger(purchase.organization.id);
  });

  it("marks the payment expired on checkout.session.expired", async () => {
    const purchase = await startPurchase();
    const session = stripe.sessions.get(purchase.sessionId)!;
    session.status = "expired";
    const expired = stripeEvent("checkout.session.expired", structuredClone(session));

    expect(await deliver(expired)).toEqual({ status: 200, body: { received: true, outcome: "payment expired" } });
    expect(await paymentRow(purchase.paymentId)).toMatchObject({ status: "expired", completedAt: null });
    expect(await stripeEventRows(expired.id)).toEqual([{ type: "checkout.session.expired", outcome: "payment expired" }]);
    expect(await auditActions(purchase.organization.id, "payment.expired")).toHaveLength(1);
    expect(await ledgerOf(purchase.organization.id)).toEqual([]);
    await expectBalanceMatchesLedger(purchase.organization.id);
  });

  it("answers 400 invalid_signature to a bad, missing, stale or foreign signature and a tampered body, changing nothing", async () => {
    const purchase = await startPurchase();
    const event = sessionEvent("checkout.session.completed", purchase.sessionId);
    const genuine = stripe.sign(event);
    const signer = new Stripe("sk_test_signer", { telemetry: false });
    const tampered = genuine.body.replace(`"amount_total": 1000`, `"amount_total": 100000`);
    expect(tampered).not.toBe(genuine.body);

    const forged: Delivery[] = [
      { body: genuine.body, signature: "t=1700000000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd" },
      { body: genuine.body, signature: null },
      { body: genuine.body, signature: "" },
      { body: tampered, signature: genuine.signature },
      { body: genuine.body, signature: signer.webhooks.generateTestHeaderString({ payload: genuine.body, secret: "whsec_someone_else" }) },
      // A genuine signature from an hour ago: outside the SDK's five-minute tolerance, a replay.
      { body: genuine.body, signature: signer.webhooks.generateTestHeaderString({ payload: genuine.body, secret: webhookSecret, timestamp: Math.floor(Date.now() / 1000) - 3_600 }) },
    ];
    for (const delivery of forged) {
      expect(await post(delivery)).toEqual({ status: 400, body: { error: "invalid_signature" } });
    }

    expect(await stripeEventRows(event.id)).toEqual([]);
    expect(await paymentState(purchase.paymentId)).toMatchObject({ status: "pending" });
    expect(await ledgerOf(purchase.organization.id)).toEqual([]);
    await expectBalanceMatchesLedger(purchase.organization.id);

    // The genuine delivery was never blocked by the forged ones.
    expect((await post(genuine)).body.outcome).toBe("granted 1000 credits");
    await expectGrantedOnce(purchase);
  });
});

/** A purchase of 1,000 credits for 333 cents, granted: flooring C × R / A shows at every step. */
async function grantedPurchase(balance = 0) {
  const purchase = await startPurchase({ credits: 1_000, priceCents: 333, balance });
  expect((await deliver(sessionEvent("checkout.session.completed", purchase.sessionId))).body.outcome).toBe("granted 1000 credits");
  return purchase;
}

const refundedEvent = (sessionId: string, amountRefunded: number) => stripeEvent("charge.refunded", stripe.chargeOf(sessionId, amountRefunded));

describe("Stripe webhooks: refunds and disputes", () => {
  it("takes back floor(C × R / A) in all at each cumulative charge.refunded, and ignores an older one", async () => {
    const { organization, paymentId, sessionId } = await grantedPurchase();
    const reference = (n: number) => `payment:${paymentId}:reversal:${n}`;

    const first = refundedEvent(sessionId, 100); // floor(1000 × 100 / 333) = 300
    expect(await deliver(first)).toEqual({ status: 200, body: { received: true, outcome: "refund final, taken 300, returned 0" } });
    expect(await paymentState(paymentId)).toEqual({
      status: "partially_refunded", credits: 1_000, amountCents: 333, refundedCents: 100, disputedCents: 0, creditsReversed: 300, creditsShortfall: 0,
    });
    expect(await getBalance(organization.id)).toBe(700);

    const second = refundedEvent(sessionId, 250); // floor(1000 × 250 / 333) = 750 in all: 450 more
    expect((await deliver(second)).body.outcome).toBe("refund final, taken 450, returned 0");
    expect(await paymentState(paymentId)).toMatchObject({ status: "partially_refunded", refundedCents: 250, creditsReversed: 750 });
    expect(await getBalance(organization.id)).toBe(250);

    // The first event again (a redelivery), and an older state under a new id (out of order): nothing moves.
    expect((await deliver(first)).body.outcome).toBe("duplicate: already processed");
    const older = refundedEvent(sessionId, 100);
    expect((await deliver(older)).body.outcome).toBe("refund final, taken 0, returned 0");
    expect(await paymentState(paymentId)).toMatchObject({ status: "partially_refunded", refundedCents: 250, creditsReversed: 750 });
    expect(await getBalance(organization.id)).toBe(250);

    const rest = refundedEvent(sessionId, 333);
    expect((await deliver(rest)).body.outcome).toBe("refund final, taken 250, returned 0");
    expect(await paymentState(paymentId)).toEqual({
      status: "refunded", credits: 1_000, amountCents: 333, refundedCents: 333, disputedCents: 0, creditsReversed: 1_000, creditsShortfall: 0,
    });

    expect(await ledgerOf(organization.id)).toEqual([
      [1_000, 1_000, "purchase", `payment:${paymentId}`],
      [-300, 700, "refund", reference(1)],
      [-450, 250, "refund", reference(2)],
      [-250, 0, "refund", reference(3)],
    ]);
    expect(await reversalRows(paymentId)).toEqual([{ kind: "refund", providerReference: stripe.chargeOf(sessionId).id, amountCents: 333, status: "final" }]);
    for (const event of [first, second, older, rest]) expect(await stripeEventRows(event.id)).toHaveLength(1);
    expect(await auditActions(organization.id, "payment.credits_reversed")).toHaveLength(3);
    expect(await getBalance(organization.id)).toBe(0);
    await expectBalanceMatchesLedger(organization.id);
  });

  it.skipIf(!onServerDatabase)("settles on the highest total when cumulative charge.refunded events arrive at once, in any order (server database only: PGlite is one session)", async () => {
    const { organization, paymentId, sessionId } = await grantedPurchase();
    const events = [100, 333, 250, 1].map((amountRefunded) => refundedEvent(sessionId, amountRefunded));

    const answers = await Promise.all(events.map((event) => deliver(event)));

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(await paymentState(paymentId)).toEqual({
      status: "refunded", credits: 1_000, amountCents: 333, refundedCents: 333, disputedCents: 0, creditsReversed: 1_000, creditsShortfall: 0,
    });
    const ledger = await ledgerOf(organization.id);
    expect(ledger[0]).toEqual([1_000, 1_000, "purchase", `payment:${paymentId}`]);
    // Whatever the order the locks gave them, the reversals add up to all 1,000 credits, each a distinct movement.
    expect(ledger.slice(1).reduce((sum, [delta]) => sum + delta, 0)).toBe(-1_000);
    expect(new Set(ledger.slice(1).map(([, , , reference]) => reference)).size).toBe(ledger.length - 1);
    for (const event of events) expect(await stripeEventRows(event.id)).toHaveLength(1);
    expect(await getBalance(organization.id)).toBe(0);
    await expectBalanceMatchesLedger(organization.id);
  });

  it("takes back a refund that arrived before the grant as soon as the grant lands", async () => {
    const purchase = await startPurchase({ credits: 1_000, priceCents: 333 });
    const { organization, paymentId, sessionId } = purchase;
    const completed = sessionEvent("checkout.session.completed", sessionId);

    expect((await deliver(refundedEvent(sessionId, 100))).body.outcome).toBe("recorded refund; payment not granted yet");
    expect(await paymentState(paymentId)).toMatchObject({ status: "pending", refundedCents: 100, creditsReversed: 0 });
    expect(await ledgerOf(organization.id)).toEqual([]);

    expect((await deliver(completed)).body.outcome).toBe("granted 1000 credits");
    expect(await paymentState(paymentId)).toEqual({
      status: "partially_refunded", credits: 1_000, amountCents: 333, refundedCents: 100, disputedCents: 0, creditsReversed: 300, creditsShortfall: 0,
    });
    expect(await ledgerOf(organization.id)).toEqual([
      [1_000, 1_000, "purchase", `payment:${paymentId}`],
      [-300, 700, "refund", `payment:${paymentId}:reversal:1`],
    ]);
    expect(await getBalance(organization.id)).toBe(700);
    // The receipt states the balance the buyer really has, after the early refund's share was taken.
    const [receipt, ...moreReceipts] = await receiptEmails(purchase.buyer.email);
    expect(moreReceipts).toEqual([]);
    expect(receipt!.text).toContain("New balance: 700 credits");
    await expectBalanceMatchesLedger(organization.id);
  });

  it("takes the balance to zero and records the shortfall when the refunded credits were already spent", async () => {
    const { organization, paymentId, sessionId } = await grantedPurchase();
    await deductCredits({ organizationId: organization.id, credits: 900, reference: "test:spend" });

    expect((await deliver(refundedEvent(sessionId, 333))).body.outcome).toBe("refund final, taken 100, returned 0, shortfall 900");
    expect(await paymentState(paymentId)).toEqual({
      status: "refunded", credits: 1_000, amountCents: 333, refundedCents: 333, disputedCents: 0, creditsReversed: 1_000, creditsShortfall: 900,
    });
    expect(await ledgerOf(organization.id)).toEqual([
      [1_000, 1_000, "purchase", `payment:${paymentId}`],
      [-900, 100, "usage", "test:spend"],
      [-100, 0, "refund", `payment:${paymentId}:reversal:1`],
    ]);
    const [reversed, ...more] = await auditActions(organization.id, "payment.credits_reversed");
    expect(more).toEqual([]);
    expect(reversed).toMatchObject({ targetId: paymentId, metadata: { creditsTakenBackInAll: 1_000, taken: 100, shortfall: 900, shortfallAdded: 900, refundedCents: 333 } });
    expect(await getBalance(organization.id)).toBe(0);
    await expectBalanceMatchesLedger(organization.id);
  });

  it("takes a disputed amount back like a refund and keeps it taken when the dispute is lost", async () => {
    const { organization, paymentId, sessionId } = await grantedPurchase(50);
    const disputeId = `dp_test_${randomUUID().replaceAll("-", "")}`;

    const inquiry = stripeEvent("charge.dispute.created", stripe.disputeOf(sessionId, { amount: 200, status: "warning_needs_response" }));
    expect((await deliver(inquiry)).body.outcome).toBe("ignored: an inquiry withdraws no funds");
    expect(await getBalance(organization.id)).toBe(1_050);

    const created = stripeEvent("charge.dispute.created", stripe.disputeOf(sessionId, { id: disputeId, amount: 200, status: "needs_response" }));
    expect((await deliver(created)).body.outcome).toBe("dispute open, taken 600, returned 0"); // floor(1000 × 200 / 333)
    expect(await paymentState(paymentId)).toEqual({
      status: "partially_refunded", credits: 1_000, amountCents: 333, refundedCents: 0, disputedCents: 200, creditsReversed: 600, creditsShortfall: 0,
    });
    expect(await getBalance(organization.id)).toBe(450);

    const lost = stripeEvent("charge.dispute.closed", stripe.disputeOf(sessionId, { id: disputeId, amount: 200, status: "lost" }));
    expect((await deliver(lost)).body.outcome).toBe("dispute lost, taken 0, returned 0");
    expect(await paymentState(paymentId)).toMatchObject({ status: "partially_refunded", disputedCents: 200, creditsReversed: 600 });
    expect(await reversalRows(paymentId)).toEqual([{ kind: "dispute", providerReference: disputeId, amountCents: 200, status: "lost" }]);
    expect(await ledgerOf(organization.id)).toEqual([
      [50, 50, "grant", "test:opening"],
      [1_000, 1_050, "purchase", `payment:${paymentId}`],
      [-600, 450, "refund", `payment:${paymentId}:reversal:1`],
    ]);
    for (const event of [inquiry, created, lost]) expect(await stripeEventRows(event.id)).toHaveLength(1);
    await expectBalanceMatchesLedger(organization.id);
  });

  it("gives the disputed credits back when the dispute is won", async () => {
    const { organization, paymentId, sessionId } = await grantedPurchase();
    const disputeId = `dp_test_${randomUUID().replaceAll("-", "")}`;

    await deliver(stripeEvent("charge.dispute.created", stripe.disputeOf(sessionId, { id: disputeId, amount: 333, status: "needs_response" })));
    expect(await paymentState(paymentId)).toMatchObject({ status: "refunded", disputedCents: 333, creditsReversed: 1_000 });
    expect(await getBalance(organization.id)).toBe(0);

    const won = stripeEvent("charge.dispute.closed", stripe.disputeOf(sessionId, { id: disputeId, amount: 333, status: "won" }));
    expect((await deliver(won)).body.outcome).toBe("dispute won, taken 0, returned 1000");
    expect(await paymentState(paymentId)).toEqual({
      status: "completed", credits: 1_000, amountCents: 333, refundedCents: 0, disputedCents: 0, creditsReversed: 0, creditsShortfall: 0,
    });
    // A late `created` for the same dispute does not reopen it.
    const late = stripeEvent("charge.dispute.created", stripe.disputeOf(sessionId, { id: disputeId, amount: 333, status: "needs_response" }));
    expect((await deliver(late)).body.outcome).toBe("dispute open, taken 0, returned 0");
    expect(await reversalRows(paymentId)).toEqual([{ kind: "dispute", providerReference: disputeId, amountCents: 333, status: "won" }]);
    expect(await ledgerOf(organization.id)).toEqual([
      [1_000, 1_000, "purchase", `payment:${paymentId}`],
      [-1_000, 0, "refund", `payment:${paymentId}:reversal:1`],
      [1_000, 1_000, "refund", `payment:${paymentId}:reversal:2`],
    ]);
    expect(await auditActions(organization.id, "payment.credits_restored")).toHaveLength(1);
    expect(await getBalance(organization.id)).toBe(1_000);
    await expectBalanceMatchesLedger(organization.id);
  });

  it("cancels the shortfall first when a dispute is won after its credits were spent", async () => {
    const { organization, paymentId, sessionId } = await grantedPurchase();
    const disputeId = `dp_test_${randomUUID().replaceAll("-", "")}`;
    await deductCredits({ organizationId: organization.id, credits: 900, reference: "test:spend" });

    const created = stripeEvent("charge.dispute.created", stripe.disputeOf(sessionId, { id: disputeId, amount: 333, status: "needs_response" }));
    expect((await deliver(created)).body.outcome).toBe("dispute open, taken 100, returned 0, shortfall 900");
    expect(await paymentState(paymentId)).toMatchObject({ status: "refunded", creditsReversed: 1_000, creditsShortfall: 900 });

    const won = stripeEvent("charge.dispute.closed", stripe.disputeOf(sessionId, { id: disputeId, amount: 333, status: "won" }));
    expect((await deliver(won)).body.outcome).toBe("dispute won, taken 0, returned 100");
    expect(await paymentState(paymentId)).toEqual({
      status: "completed", credits: 1_000, amountCents: 333, refundedCents: 0, disputedCents: 0, creditsReversed: 0, creditsShortfall: 0,
    });
    expect(await ledgerOf(organization.id)).toEqual([
      [1_000, 1_000, "purchase", `payment:${paymentId}`],
      [-900, 100, "usage", "test:spend"],
      [-100, 0, "refund", `payment:${paymentId}:reversal:1`],
      [100, 100, "refund", `payment:${paymentId}:reversal:2`],
    ]);
    const [restored] = await auditActions(organization.id, "payment.credits_restored");
    expect(restored!.metadata).toMatchObject({ creditsTakenBackInAll: 0, taken: 0, returned: 100, shortfall: 0 });
    expect(await getBalance(organization.id)).toBe(100);
    await expectBalanceMatchesLedger(organization.id);
  });
});

describe("Stripe webhooks: events that are not ours or not handled", () => {
  it("answers 200 to an event for a payment that is not ours and changes nothing", async () => {
    const organization = await createTestOrganization(0);
    const buyer = await createBuyer(organization.id);
    const pack = await createCreditPackage({ credits: 250, priceCents: 300 });
    // A payment of ours, but another provider's: a Stripe event must not be able to touch it.
    const testPayment = await purchaseWithTestPayment({ organizationId: organization.id, packageId: pack.id, userId: buyer.id, requestId: randomUUID() });

    const strangers = [
      stripeEvent("checkout.session.completed", {
        id: "cs_test_not_ours", object: "checkout.session", payment_status: "paid", amount_total: 300, currency: "usd",
        metadata: { paymentId: randomUUID() }, payment_intent: "pi_test_not_ours", invoice: null,
      }),
      stripeEvent("charge.refunded", {
        id: "ch_test_not_ours", object: "charge", amount: 300, amount_refunded: 300, currency: "usd",
        metadata: { paymentId: testPayment.paymentId }, payment_intent: "pi_test_not_ours",
      }),
      stripeEvent("charge.dispute.created", {
        id: "dp_test_not_ours", object: "dispute", amount: 300, currency: "usd", status: "needs_response",
        charge: "ch_test_not_ours", payment_intent: "pi_test_not_ours", metadata: {},
      }),
    ];
    for (const event of strangers) {
      expect(await deliver(event)).toEqual({ status: 200, body: { received: true, outcome: "ignored: not a portal payment" } });
      expect(await stripeEventRows(event.id)).toEqual([{ type: event.type, outcome: "ignored: not a portal payment" }]);
    }

    expect(await paymentState(testPayment.paymentId)).toMatchObject({ status: "completed", refundedCents: 0, creditsReversed: 0 });
    expect(await ledgerOf(organization.id)).toEqual([[250, 250, "purchase", `payment:${testPayment.paymentId}`]]);
    await expectBalanceMatchesLedger(organization.id);
  });

  it("answers 200 to payment_intent.succeeded and invoice.paid and grants nothing", async () => {
    const purchase = await startPurchase();
    const session = stripe.complete(purchase.sessionId, "paid");
    const metadata = { paymentId: purchase.paymentId, organizationId: purchase.organization.id };
    const unhandled = [
      stripeEvent("payment_intent.succeeded", { id: session.payment_intent, object: "payment_intent", amount: 1_000, amount_received: 1_000, currency: "usd", status: "succeeded", metadata }),
      stripeEvent("invoice.paid", { id: session.invoice, object: "invoice", amount_paid: 1_000, currency: "usd", status: "paid", metadata }),
    ];
    for (const event of unhandled) {
      expect(await deliver(event)).toEqual({ status: 200, body: { received: true, outcome: `ignored: ${event.type} is not handled` } });
      expect(await stripeEventRows(event.id)).toEqual([]);
    }

    expect(await paymentState(purchase.paymentId)).toMatchObject({ status: "pending" });
    expect(await ledgerOf(purchase.organization.id)).toEqual([]);
    expect(await receiptEmails(purchase.buyer.email)).toEqual([]);
    await expectBalanceMatchesLedger(purchase.organization.id);
  });
});
