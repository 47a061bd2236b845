import { randomBytes, randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { creditPackages, payments, users, type Role } from "@/db/schema";
import type { FakeOrder } from "../fakes/paypal";

/** A package of our own for one test, so a test's amounts never depend on the seed. */
export async function createCreditPackage(values: { credits: number; priceCents: number; currency?: string; active?: boolean }) {
  const [pack] = await db
    .insert(creditPackages)
    .values({ name: `PayPal test ${values.credits}`, currency: "usd", ...values })
    .returning();
  return pack!;
}

export async function createPortalUser(organizationId: string, options: { role?: Role; verified?: boolean } = {}) {
  const [user] = await db
    .insert(users)
    .values({
      email: `paypal-${randomUUID().slice(0, 8)}@example.com`,
      organizationId,
      role: options.role ?? "client_admin",
      emailVerified: options.verified === false ? null : new Date(),
    })
    .returning();
  return user!;
}

export async function paymentRow(paymentId: string) {
  const [payment] = await db.select().from(payments).where(eq(payments.id, paymentId));
  return payment!;
}

const paypalId = (prefix = "") => `${prefix}${randomBytes(9).toString("hex").toUpperCase()}`;

/** The capture of a fake order as PAYMENT.CAPTURE.* events carry it: our custom_id and the order's id. */
export function captureResource(order: FakeOrder, status = "COMPLETED") {
  const capture = order.purchase_units[0]?.payments?.captures[0];
  if (!capture) throw new Error(`order ${order.id} has not been captured`);
  return {
    id: capture.id,
    status,
    amount: { currency_code: capture.amount.currency_code, value: capture.amount.value },
    final_capture: true,
    custom_id: capture.custom_id,
    supplementary_data: { related_ids: { order_id: order.id } },
    links: [
      { href: `https://api.sandbox.paypal.com/v2/payments/captures/${capture.id}`, rel: "self", method: "GET" },
      { href: `https://api.sandbox.paypal.com/v2/checkout/orders/${order.id}`, rel: "up", method: "GET" },
    ],
  };
}

/** A refund of a capture, as PAYMENT.CAPTURE.REFUNDED carries it: its `up` link is the only way back when custom_id is absent. */
export function refundResource(captureId: string, value: string, options: { customId?: string; id?: string } = {}) {
  const id = options.id ?? paypalId("REF");
  return {
    id,
    amount: { value, currency_code: "USD" },
    status: "COMPLETED",
    ...(options.customId ? { custom_id: options.customId } : {}),
    links: [
      { href: `https://api.sandbox.paypal.com/v2/payments/refunds/${id}`, rel: "self", method: "GET" },
      { href: `https://api.sandbox.paypal.com/v2/payments/captures/${captureId}`, rel: "up", method: "GET" },
    ],
  };
}

/**
 * An event body written the way no JSON.stringify writes it: spaces around colons, keys out of alphabetical
 * and insertion order, a number in the form 1.0 and escaped non-ASCII. Re-serialising it changes the bytes,
 * so only a portal that sends PayPal the body exactly as received passes verification.
 */
export function paypalEventBody(type: string, resource: Record<string, unknown>, id = paypalId("WH-")) {
  const resourceJson = JSON.stringify(resource, null, 3).replace(/":/g, '" :');
  return [
    "{",
    `  "resource_type" : "${type.endsWith("REFUNDED") ? "refund" : "capture"}",`,
    `  "id" :  "${id}",`,
    `  "event_version": 1.0 ,`,
    `  "summary": "Payment ${type.split(".").at(-1)!.toLowerCase()} \\u2013 caf\\u00e9",`,
    `  "resource" : ${resourceJson},`,
    `  "event_type":"${type}",`,
    `  "create_time" : "${new Date().toISOString()}"`,
    "}",
    "",
  ].join("\n");
}

export const eventIdOf = (rawBody: string) => (JSON.parse(rawBody) as { id: string }).id;
