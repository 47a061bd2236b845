import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditLog, creditLedger, payments, webhookEvents } from "@/db/schema";
import { deductCredits, getBalance, sumLedger } from "@/lib/credits";
import { startPayPalFake, type FakeOrder } from "../fakes/paypal";
import { createTestOrganization } from "../helpers/organizations";
import {
  captureResource,
  createCreditPackage,
  createPortalUser,
  eventIdOf,
  paymentRow,
  paypalEventBody,
  refundResource,
} from "../helpers/paypal-payments";
import { onServerDatabase } from "../helpers/row-lock";

// The portal reaches PayPal at a local fake; lib/env caches on first use, so this comes before any app module.
const credentials = { clientId: "it-paypal-client", clientSecret: "it-paypal-secret", webhookId: "WH-INTEGRATION" };
const paypal = await startPayPalFake(credentials);
process.env.PAYPAL_API_BASE = paypal.url;
process.env.NEXT_PUBLIC_PAYPAL_CLIENT_ID = credentials.clientId;
process.env.PAYPAL_CLIENT_SECRET = credentials.clientSecret;
process.env.PAYPAL_WEBHOOK_ID = credentials.webhookId;

const { capturePayPalOrder, createPayPalOrder } = await import("@/lib/payments/paypal/orders");
const { POST: paypalWebhook } = await import("@/app/api/webhooks/paypal/route");

afterEach(() => {
  paypal.setCaptureStatus("COMPLETED");
  paypal.setFailing(null);
  paypal.setCaptureHook(null);
});
afterAll(async () => {
  await paypal.close();
});

type Delivery = { status: number; body: { received?: boolean; outcome?: string; error?: string } };

/** A delivery to the webhook route as PayPal makes it: the raw bytes and, unless given others, their genuine headers. */
async function deliver(rawBody: string, headers: Record<string, string> = paypal.sign(rawBody)): Promise<Delivery> {
  const response = await paypalWebhook(
    new Request("http://portal.test/api/webhooks/paypal", { method: "POST", headers: { "content-type": "application/json", ...headers }, body: rawBody }),
  );
  return { status: response.status, body: await response.json() };
}

const completedEvent = (order: FakeOrder) => paypalEventBody("PAYMENT.CAPTURE.COMPLETED", captureResource(order));

async function startPurchase(options: { opening?: number; credits?: number; priceCents?: number } = {}) {
  const organization = await createTestOrganization(options.opening ?? 0);
  const buyer = await createPortalUser(organization.id);
  const pack = await createCreditPackage({ credits: options.credits ?? 1_000, priceCents: options.priceCents ?? 1_000 });
  const { orderId, paymentId } = await createPayPalOrder({ organizationId: organization.id, userId: buyer.id, packageId: pack.id });
  const capture = () => capturePayPalOrder({ orderId, organizationId: organization.id, anyOrganization: false });
  return { organization, buyer, pack, orderId, paymentId, capture, order: () => paypal.orders.get(orderId)! };
}

/** Captured and granted through the capture call, ready for refunds. */
async function completedPurchase(options: Parameters<typeof startPurchase>[0] = {}) {
  const purchase = await startPurchase(options);
  await purchase.capture();
  const payment = await paymentRow(purchase.paymentId);
  expect(payment.status).toBe("completed");
  return { ...purchase, captureId: payment.providerChargeId! };
}

async function grantsOf(paymentId: string) {
  return db.select().from(creditLedger).where(eq(creditLedger.reference, `payment:${paymentId}`));
}

async function expectBalanced(...organizationIds: string[]) {
  for (const id of organizationIds) expect(await getBalance(id)).toBe(await sumLedger(id));
}

const requestsTo = (path: string) => paypal.requests.filter((request) => request.method === "POST" && request.path === path);

describe("PayPal orders", () => {
  it("requests one OAuth token for several API calls", async () => {
    const first = await startPurchase();
    const second = await startPurchase();
    await first.capture();
    expect((await deliver(completedEvent(first.order()))).status).toBe(200);
    await second.capture();
    expect(requestsTo("/v1/oauth2/token")).toHaveLength(1);
    expect(paypal.tokensIssued()).toBe(1);
    await expectBalanced(first.organization.id, second.organization.id);
  });

  it("creates the order with intent CAPTURE, our amount as a decimal string, custom_id and a request id from the payment", async () => {
    for (const [priceCents, value] of [
      [1_000, "10.00"],
      [333, "3.33"],
    ] as const) {
      const purchase = await startPurchase({ priceCents, credits: 500 });
      const [request] = requestsTo("/v2/checkout/orders").filter((entry) => entry.body.includes(purchase.paymentId));
      expect(request).toBeDefined();
      const body = JSON.parse(request!.body) as { intent: string; purchase_units: Array<Record<string, unknown>> };
      expect(body.intent).toBe("CAPTURE");
      expect(body.purchase_units).toHaveLength(1);
      expect(body.purchase_units[0]).toMatchObject({ custom_id: purchase.paymentId, amount: { currency_code: "USD", value } });
      expect(request!.headers["paypal-request-id"]).toContain(purchase.paymentId);
      expect(request!.headers.authorization).toMatch(/^Bearer A21AA/);

      const payment = await paymentRow(purchase.paymentId);
      expect(payment).toMatchObject({
        organizationId: purchase.organization.id,
        userId: purchase.buyer.id,
        packageId: purchase.pack.id,
        provider: "paypal",
        providerPaymentId: purchase.orderId,
        status: "pending",
        credits: 500,
        amountCents: priceCents,
        currency: "usd",
        completedAt: null,
      });
      expect(await getBalance(purchase.organization.id)).toBe(0);
      await expectBalanced(purchase.organization.id);
    }
  });

  it("marks the payment failed and grants nothing when PayPal's API fails while creating the order", async () => {
    const organization = await createTestOrganization(25);
    const buyer = await createPortalUser(organization.id);
    const pack = await createCreditPackage({ credits: 1_000, priceCents: 1_000 });
    paypal.setFailing(500);
    const error = await createPayPalOrder({ organizationId: organization.id, userId: buyer.id, packageId: pack.id }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: "PaymentError", code: "provider_error" });

    const [payment] = await db.select().from(payments).where(eq(payments.organizationId, organization.id));
    expect(payment).toMatchObject({ status: "failed", providerPaymentId: null, completedAt: null });
    expect(payment!.failureReason).toMatch(/500/);
    expect(await getBalance(organization.id)).toBe(25);

    // Once PayPal is back, a new attempt starts a new payment.
    paypal.setFailing(null);
    const retried = await createPayPalOrder({ organizationId: organization.id, userId: buyer.id, packageId: pack.id });
    expect((await paymentRow(retried.paymentId)).status).toBe("pending");
    await expectBalanced(organization.id);
  });
});

describe("PayPal capture and PAYMENT.CAPTURE.COMPLETED", () => {
  it("grants once when the capture call comes first and the webhook after", async () => {
    const purchase = await startPurchase({ opening: 40 });
    expect(await purchase.capture()).toEqual({ status: "completed", credits: 1_000, balance: 1_040 });
    const delivery = await deliver(completedEvent(purchase.order()));
    expect(delivery).toEqual({ status: 200, body: { received: true, outcome: "not granted: already_granted" } });

    const payment = await paymentRow(purchase.paymentId);
    expect(payment.status).toBe("completed");
    expect(payment.providerChargeId).toBe(purchase.order().purchase_units[0]!.payments!.captures[0]!.id);
    expect(await grantsOf(purchase.paymentId)).toHaveLength(1);
    expect(await getBalance(purchase.organization.id)).toBe(1_040);
    await expectBalanced(purchase.organization.id);
  });

  it("grants once when the webhook is applied before the capture call's answer", async () => {
    const purchase = await startPurchase();
    let webhook: Delivery | undefined;
    paypal.setCaptureHook(async (order) => {
      webhook = await deliver(completedEvent(order));
    });
    expect(await purchase.capture()).toEqual({ status: "completed", credits: 1_000, balance: 1_000 });
    expect(webhook).toEqual({ status: 200, body: { received: true, outcome: "granted 1000 credits" } });

    // A later capture (the buyer's second tab) answers from our record without calling PayPal again.
    const callsBefore = paypal.requests.length;
    expect(await purchase.capture()).toEqual({ status: "completed", credits: 1_000, balance: 1_000 });
    expect(paypal.requests).toHaveLength(callsBefore);
    expect(await grantsOf(purchase.paymentId)).toHaveLength(1);
    await expectBalanced(purchase.organization.id);
  });

  it.skipIf(!onServerDatabase)("grants once when the capture call and the webhook run concurrently (server database only: PGlite is one session)", async () => {
    for (let round = 0; round < 5; round++) {
      const purchase = await startPurchase();
      let webhook: Promise<Delivery> | undefined;
      paypal.setCaptureHook((order) => {
        // Not awaited: PayPal's answer and its webhook reach the portal at the same moment.
        webhook = deliver(completedEvent(order));
      });
      const [first, second] = await Promise.all([purchase.capture(), purchase.capture()]);
      const delivery = await webhook!;
      expect(first).toEqual({ status: "completed", credits: 1_000, balance: 1_000 });
      expect(second).toEqual({ status: "completed", credits: 1_000, balance: 1_000 });
      expect(delivery.status).toBe(200);
      expect(delivery.body.outcome).toMatch(/^(granted 1000 credits|not granted: already_granted)$/);
      expect(await grantsOf(purchase.paymentId)).toHaveLength(1);
      expect(await getBalance(purchase.organization.id)).toBe(1_000);
      await expectBalanced(purchase.organization.id);
      paypal.setCaptureHook(null);
    }
  });

  it.skipIf(!onServerDatabase)("grants once however often the webhook is delivered, in sequence or at once (server database only: PGlite is one session)", async () => {
    const purchase = await startPurchase();
    paypal.setCaptureStatus("PENDING");
    expect((await purchase.capture()).status).toBe("pending");
    const rawBody = completedEvent(purchase.order());

    const first = await deliver(rawBody);
    expect(first.body.outcome).toBe("granted 1000 credits");
    const sequential = [await deliver(rawBody), await deliver(rawBody)];
    const concurrent = await Promise.all([deliver(rawBody), deliver(rawBody), deliver(rawBody)]);
    for (const delivery of [...sequential, ...concurrent]) {
      expect(delivery).toEqual({ status: 200, body: { received: true, outcome: "duplicate: already processed" } });
    }
    // PayPal can also send the same capture under a second event id.
    const again = await deliver(paypalEventBody("PAYMENT.CAPTURE.COMPLETED", captureResource(purchase.order())));
    expect(again.body.outcome).toBe("not granted: already_granted");

    const recorded = await db.select().from(webhookEvents).where(and(eq(webhookEvents.provider, "paypal"), eq(webhookEvents.eventId, eventIdOf(rawBody))));
    expect(recorded).toHaveLength(1);
    expect(await grantsOf(purchase.paymentId)).toHaveLength(1);
    expect(await getBalance(purchase.organization.id)).toBe(1_000);
    await expectBalanced(purchase.organization.id);
  });

  it("grants nothing for a PENDING capture until PAYMENT.CAPTURE.COMPLETED arrives", async () => {
    const purchase = await startPurchase({ opening: 10 });
    paypal.setCaptureStatus("PENDING");
    expect(await purchase.capture()).toEqual({ status: "pending", credits: 1_000, balance: 10 });
    expect(await purchase.capture()).toEqual({ status: "pending", credits: 1_000, balance: 10 });
    const pending = await paymentRow(purchase.paymentId);
    expect(pending).toMatchObject({ status: "pending", completedAt: null });
    expect(pending.providerChargeId).toBe(purchase.order().purchase_units[0]!.payments!.captures[0]!.id);
    expect(await grantsOf(purchase.paymentId)).toHaveLength(0);

    const delivery = await deliver(completedEvent(purchase.order()));
    expect(delivery.body.outcome).toBe("granted 1000 credits");
    expect(await purchase.capture()).toEqual({ status: "completed", credits: 1_000, balance: 1_010 });
    expect((await paymentRow(purchase.paymentId)).status).toBe("completed");
    expect(await grantsOf(purchase.paymentId)).toHaveLength(1);
    await expectBalanced(purchase.organization.id);
  });

  it("answers provider_error for a declined capture and grants nothing; the order can still be paid another way", async () => {
    const purchase = await startPurchase();
    paypal.setCaptureStatus("DECLINED");
    const error = await purchase.capture().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: "PaymentError", code: "provider_error" });
    expect(await paymentRow(purchase.paymentId)).toMatchObject({ status: "pending", completedAt: null });
    expect(await getBalance(purchase.organization.id)).toBe(0);
    expect(await grantsOf(purchase.paymentId)).toHaveLength(0);

    // PayPal lets the buyer choose another funding source for the same order.
    paypal.setCaptureStatus("COMPLETED");
    expect(await purchase.capture()).toEqual({ status: "completed", credits: 1_000, balance: 1_000 });
    await expectBalanced(purchase.organization.id);
  });

  it("marks a pending payment failed on PAYMENT.CAPTURE.DENIED", async () => {
    const purchase = await startPurchase({ opening: 5 });
    paypal.setCaptureStatus("PENDING");
    await purchase.capture();
    const delivery = await deliver(paypalEventBody("PAYMENT.CAPTURE.DENIED", captureResource(purchase.order(), "DECLINED")));
    expect(delivery).toEqual({ status: 200, body: { received: true, outcome: "payment failed" } });
    const payment = await paymentRow(purchase.paymentId);
    expect(payment).toMatchObject({ status: "failed", completedAt: null });
    expect(payment.failureReason).toMatch(/denied/i);
    expect(await getBalance(purchase.organization.id)).toBe(5);
    expect(await grantsOf(purchase.paymentId)).toHaveLength(0);
    await expectBalanced(purchase.organization.id);
  });
});

describe("PayPal webhook verification", () => {
  it("answers 400 and changes nothing when verification fails; the genuine delivery then applies", async () => {
    const purchase = await startPurchase();
    paypal.setCaptureStatus("PENDING");
    await purchase.capture();
    const rawBody = completedEvent(purchase.order());
    const genuine = paypal.sign(rawBody);
    const withoutHeader = (name: string) => Object.fromEntries(Object.entries(genuine).filter(([header]) => header !== name));
    const attempts: Array<[string, string, Record<string, string>]> = [
      ["whitespace changed after signing", rawBody.replace('"event_type":"', '"event_type": "'), genuine],
      ["amount changed after signing", rawBody.replace('"value" : "10.00"', '"value" : "10.01"'), genuine],
      ["re-serialised JSON", JSON.stringify(JSON.parse(rawBody)), genuine],
      ["pretty-printed JSON", JSON.stringify(JSON.parse(rawBody), null, 2), genuine],
      ["headers signed for another body", rawBody, paypal.sign(rawBody.replace("caf", "cof"))],
      ["another signature", rawBody, { ...genuine, "paypal-transmission-sig": paypal.sign(rawBody)["paypal-transmission-sig"]!.slice(1) }],
      ["another algorithm", rawBody, { ...genuine, "paypal-auth-algo": "SHA1withRSA" }],
      ...Object.keys(genuine).map((name): [string, string, Record<string, string>] => [`no ${name}`, rawBody, withoutHeader(name)]),
      ["no headers", rawBody, {}],
      ["not JSON", "{not json", genuine],
    ];
    for (const [label, body, headers] of attempts) {
      const delivery = await deliver(body, headers);
      expect(delivery, label).toEqual({ status: 400, body: { error: "invalid_signature" } });
    }
    expect(await db.select().from(webhookEvents).where(eq(webhookEvents.eventId, eventIdOf(rawBody)))).toEqual([]);
    expect(await paymentRow(purchase.paymentId)).toMatchObject({ status: "pending", completedAt: null });
    expect(await getBalance(purchase.organization.id)).toBe(0);

    const delivery = await deliver(rawBody, genuine);
    expect(delivery).toEqual({ status: 200, body: { received: true, outcome: "granted 1000 credits" } });
    // The event went to PayPal's check byte for byte as it arrived.
    const check = requestsTo("/v1/notifications/verify-webhook-signature").at(-1)!;
    expect(check.body.endsWith(`"webhook_event":${rawBody}}`)).toBe(true);
    expect(JSON.parse(check.body)).toMatchObject({ webhook_id: credentials.webhookId, transmission_sig: genuine["paypal-transmission-sig"] });
    await expectBalanced(purchase.organization.id);
  });

  it("answers 500 and records nothing while PayPal's verification is down, so PayPal's retry applies the event", async () => {
    const purchase = await startPurchase();
    paypal.setCaptureStatus("PENDING");
    await purchase.capture();
    const rawBody = completedEvent(purchase.order());
    const headers = paypal.sign(rawBody);
    paypal.setFailing(503);
    expect((await deliver(rawBody, headers)).status).toBe(500);
    paypal.setFailing(null);
    expect(await db.select().from(webhookEvents).where(eq(webhookEvents.eventId, eventIdOf(rawBody)))).toEqual([]);
    expect(await getBalance(purchase.organization.id)).toBe(0);
    expect((await deliver(rawBody, headers)).body.outcome).toBe("granted 1000 credits");
    await expectBalanced(purchase.organization.id);
  });
});

describe("PayPal refunds and reversals", () => {
  const refunded = (captureId: string, value: string, options: Parameters<typeof refundResource>[2] = {}) =>
    paypalEventBody("PAYMENT.CAPTURE.REFUNDED", refundResource(captureId, value, options));

  it("takes back floor(C × R / A) for each partial refund and the rest with the last, found by custom_id or the capture link", async () => {
    // 1,000 credits for $3.33: refunds of $2.00, $0.50 and $0.83 take back floor(600.6) = 600, then
    // floor(750.75) - 600 = 150, then the remaining 250 (rounding instead of flooring would take 601 and 751).
    const purchase = await completedPurchase({ opening: 50, credits: 1_000, priceCents: 333 });
    expect(await getBalance(purchase.organization.id)).toBe(1_050);

    const first = await deliver(refunded(purchase.captureId, "2.00", { customId: purchase.paymentId }));
    expect(first.body.outcome).toBe("refund final, taken 600, returned 0");
    expect(await paymentRow(purchase.paymentId)).toMatchObject({ status: "partially_refunded", refundedCents: 200, creditsReversed: 600 });
    expect(await getBalance(purchase.organization.id)).toBe(450);

    // No custom_id: only the refund's `up` link leads to the capture and so to the payment.
    const secondBody = refunded(purchase.captureId, "0.50", { id: "REFSECOND0001" });
    expect((await deliver(secondBody)).body.outcome).toBe("refund final, taken 150, returned 0");
    expect(await getBalance(purchase.organization.id)).toBe(300);
    // The same refund under a new event id, and the same event again, take nothing more.
    expect((await deliver(refunded(purchase.captureId, "0.50", { id: "REFSECOND0001" }))).body.outcome).toBe("refund final, taken 0, returned 0");
    expect((await deliver(secondBody)).body.outcome).toBe("duplicate: already processed");
    expect(await paymentRow(purchase.paymentId)).toMatchObject({ status: "partially_refunded", refundedCents: 250, creditsReversed: 750 });

    expect((await deliver(refunded(purchase.captureId, "0.83"))).body.outcome).toBe("refund final, taken 250, returned 0");
    expect(await paymentRow(purchase.paymentId)).toMatchObject({ status: "refunded", refundedCents: 333, creditsReversed: 1_000, creditsShortfall: 0 });
    expect(await getBalance(purchase.organization.id)).toBe(50);
    await expectBalanced(purchase.organization.id);
  });

  it("takes back everything on PAYMENT.CAPTURE.REVERSED, also after a partial refund", async () => {
    const reversed = (captureId: string, customId?: string) =>
      paypalEventBody("PAYMENT.CAPTURE.REVERSED", { ...refundResource(captureId, "10.00", { customId }), status: "COMPLETED" });
    const straight = await completedPurchase({ opening: 20 });
    expect((await deliver(reversed(straight.captureId, straight.paymentId))).body.outcome).toBe("refund final, taken 1000, returned 0");
    expect(await paymentRow(straight.paymentId)).toMatchObject({ status: "refunded", refundedCents: 1_000, creditsReversed: 1_000 });
    expect(await getBalance(straight.organization.id)).toBe(20);

    const afterRefund = await completedPurchase();
    await deliver(refunded(afterRefund.captureId, "2.50", { customId: afterRefund.paymentId }));
    expect(await getBalance(afterRefund.organization.id)).toBe(750);
    const body = reversed(afterRefund.captureId);
    expect((await deliver(body)).body.outcome).toBe("refund final, taken 750, returned 0");
    expect((await deliver(reversed(afterRefund.captureId))).body.outcome).toBe("refund final, taken 0, returned 0");
    expect(await paymentRow(afterRefund.paymentId)).toMatchObject({ status: "refunded", refundedCents: 1_000, creditsReversed: 1_000 });
    expect(await getBalance(afterRefund.organization.id)).toBe(0);
    await expectBalanced(straight.organization.id, afterRefund.organization.id);
  });

  it("ends at zero and records the shortfall when a refund takes back more than the balance", async () => {
    const purchase = await completedPurchase();
    await deductCredits({ organizationId: purchase.organization.id, credits: 900, reference: "test:spent" });
    expect(await getBalance(purchase.organization.id)).toBe(100);

    const delivery = await deliver(refunded(purchase.captureId, "10.00", { customId: purchase.paymentId }));
    expect(delivery.body.outcome).toBe("refund final, taken 100, returned 0, shortfall 900");
    expect(await getBalance(purchase.organization.id)).toBe(0);
    expect(await paymentRow(purchase.paymentId)).toMatchObject({ status: "refunded", creditsReversed: 1_000, creditsShortfall: 900 });
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, purchase.paymentId), eq(auditLog.action, "payment.credits_reversed")));
    expect(audit?.metadata).toMatchObject({ taken: 100, shortfall: 900, shortfallAdded: 900 });
    await expectBalanced(purchase.organization.id);
  });
});
