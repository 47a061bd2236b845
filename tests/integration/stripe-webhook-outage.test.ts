import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, inject, it } from "vitest";
import { closeDatabase, db } from "@/db/client";
import { getBalance } from "@/lib/credits";
import { startStripeFake, stripeEvent } from "../fakes/stripe";
import { createTestOrganization } from "../helpers/organizations";
import { startTcpProxy } from "../helpers/tcp-proxy";
import {
  auditActions,
  createBuyer,
  createCreditPackage,
  expectBalanceMatchesLedger,
  ledgerOf,
  paymentRow,
  receiptEmails,
  stripeEventRows,
} from "../helpers/stripe-payments";

// The app reaches the test database through a proxy that the test cuts, as a network outage would.
const direct = new URL(inject("databaseUrl"));
const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
const proxied = new URL(direct);
proxied.port = String(proxy.port);
process.env.DATABASE_URL = proxied.toString();

const webhookSecret = `whsec_${randomBytes(16).toString("hex")}`;
const stripe = await startStripeFake({ webhookSecret });
process.env.STRIPE_API_BASE = stripe.url;
process.env.STRIPE_SECRET_KEY = "sk_test_stripe_outage";
process.env.STRIPE_WEBHOOK_SECRET = webhookSecret;

const { POST } = await import("@/app/api/webhooks/stripe/route");
const { createStripeCheckout } = await import("@/lib/payments/stripe/checkout");

async function post(delivery: { body: string; signature: string }) {
  const response = await POST(
    new Request("http://portal.test/api/webhooks/stripe", {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": delivery.signature },
      body: delivery.body,
    }),
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("the Stripe webhook while the database is unreachable", () => {
  afterAll(async () => {
    await closeDatabase();
    await proxy.close();
    await stripe.close();
  });

  it("answers 500 to a paid completion and records nothing; the same delivery grants once when it is back", async () => {
    const organization = await createTestOrganization(0);
    const buyer = await createBuyer(organization.id);
    const pack = await createCreditPackage({ credits: 1_000, priceCents: 1_000 });
    const { paymentId } = await createStripeCheckout({ organizationId: organization.id, userId: buyer.id, email: buyer.email, packageId: pack.id });
    const sessionId = (await paymentRow(paymentId)).providerPaymentId!;
    const event = stripeEvent("checkout.session.completed", structuredClone(stripe.complete(sessionId, "paid")));
    const delivery = stripe.sign(event);
    // Fill the pool (10 connections) with idle connections, which the cut kills while they sit in the pool.
    await Promise.all(Array.from({ length: 10 }, () => db.execute(sql`select pg_sleep(0.05)`)));

    proxy.setDown(true);
    // A retry by Stripe can help here, so the answer is 500 (not 200, which would drop the event, nor 400).
    // Ten at once take the ten dead connections; every one must go back to the pool, or none is left after.
    const during = await Promise.all(Array.from({ length: 10 }, () => post(delivery)));
    expect(during).toEqual(Array(10).fill({ status: 500, body: { error: "unavailable" } }));
    expect(await post(delivery)).toEqual({ status: 500, body: { error: "unavailable" } });
    proxy.setDown(false);

    expect(await stripeEventRows(event.id)).toEqual([]);
    expect(await paymentRow(paymentId)).toMatchObject({ status: "pending", completedAt: null });
    expect(await ledgerOf(organization.id)).toEqual([]);
    expect(await receiptEmails(buyer.email)).toEqual([]);
    expect(await auditActions(organization.id, "payment.completed")).toEqual([]);

    // Stripe's retry is the same body and signature.
    expect(await post(delivery)).toEqual({ status: 200, body: { received: true, outcome: "granted 1000 credits" } });
    expect(await post(delivery)).toEqual({ status: 200, body: { received: true, outcome: "duplicate: already processed" } });

    expect(await stripeEventRows(event.id)).toEqual([{ type: "checkout.session.completed", outcome: "granted 1000 credits" }]);
    expect(await paymentRow(paymentId)).toMatchObject({ status: "completed", credits: 1_000 });
    expect(await ledgerOf(organization.id)).toEqual([[1_000, 1_000, "purchase", `payment:${paymentId}`]]);
    expect(await receiptEmails(buyer.email)).toHaveLength(1);
    expect(await auditActions(organization.id, "payment.completed")).toHaveLength(1);
    expect(await getBalance(organization.id)).toBe(1_000);
    await expectBalanceMatchesLedger(organization.id);
  });
});
