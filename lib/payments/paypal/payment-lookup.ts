import { and, eq } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { payments, type Payment } from "@/db/schema";
import { asPaymentId, lockPayment } from "../payment-rows";

/** Finds and locks the PayPal payment of a capture or refund: by our `custom_id`, then by the capture or order id. */
export async function lockPayPalPayment(
  tx: Transaction,
  by: { customId?: unknown; captureId?: string | null; orderId?: string | null },
): Promise<Payment | undefined> {
  const paymentId = asPaymentId(by.customId);
  if (paymentId) {
    const payment = await lockPayment(tx, and(eq(payments.id, paymentId), eq(payments.provider, "paypal")));
    if (payment) return payment;
  }
  if (by.captureId) {
    const payment = await lockPayment(tx, and(eq(payments.provider, "paypal"), eq(payments.providerChargeId, by.captureId)));
    if (payment) return payment;
  }
  if (by.orderId) return lockPayment(tx, and(eq(payments.provider, "paypal"), eq(payments.providerPaymentId, by.orderId)));
  return undefined;
}

/** A refund's capture: its `up` link points at `/v2/payments/captures/{id}`. */
export function captureIdFromLinks(links: Array<{ href: string; rel: string }> | undefined): string | null {
  const up = links?.find((link) => link.rel === "up" && /\/v2\/payments\/captures\//.test(link.href));
  const match = up ? /\/v2\/payments\/captures\/([^/?#]+)/.exec(up.href) : null;
  return match ? decodeURIComponent(match[1]!) : null;
}
