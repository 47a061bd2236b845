import { and, eq } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { payments, type Payment } from "@/db/schema";
import { asPaymentId, lockPayment } from "../payment-rows";

/**
 * Finds and locks the Stripe payment an object belongs to: by our payment id in its metadata first, then
 * by the Session or payment intent we stored. Metadata comes from a verified event, and the row must still
 * be a Stripe payment, so no other provider's payment can be touched this way.
 */
export async function lockStripePayment(
  tx: Transaction,
  by: { metadata?: Record<string, string> | null; sessionId?: string | null; paymentIntentId?: string | null },
): Promise<Payment | undefined> {
  const paymentId = asPaymentId(by.metadata?.paymentId);
  if (paymentId) {
    const payment = await lockPayment(tx, and(eq(payments.id, paymentId), eq(payments.provider, "stripe")));
    if (payment) return payment;
  }
  if (by.sessionId) {
    const payment = await lockPayment(tx, and(eq(payments.provider, "stripe"), eq(payments.providerPaymentId, by.sessionId)));
    if (payment) return payment;
  }
  if (by.paymentIntentId) {
    return lockPayment(tx, and(eq(payments.provider, "stripe"), eq(payments.providerChargeId, by.paymentIntentId)));
  }
  return undefined;
}
