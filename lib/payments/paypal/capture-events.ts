import type { TransactionContext } from "@/db/transaction";
import { closePendingPayment, grantPayment } from "../fulfilment";
import { toMinorUnits } from "../money";
import { applyReversal } from "../reversals";
import { captureIdFromLinks, lockPayPalPayment } from "./payment-lookup";
import type { PayPalCapture, PayPalRefund, PayPalWebhookEvent } from "./types";

/** PAYMENT.CAPTURE.COMPLETED: grant; a no-op when the capture call already granted, and the other way round. */
export async function captureCompleted(event: PayPalWebhookEvent, context: TransactionContext) {
  const capture = event.resource as unknown as PayPalCapture;
  const payment = await lockPayPalPayment(context.tx, {
    customId: capture.custom_id,
    captureId: capture.id,
    orderId: capture.supplementary_data?.related_ids?.order_id,
  });
  if (!payment) return "ignored: not a portal payment";
  const result = await grantPayment(context, payment, {
    amountCents: toMinorUnits(capture.amount.value, capture.amount.currency_code),
    currency: capture.amount.currency_code,
    providerChargeId: capture.id,
  });
  return result.granted ? `granted ${result.credits} credits` : `not granted: ${result.reason}`;
}

/** PAYMENT.CAPTURE.DENIED: a pending capture was refused; nothing was paid. */
export async function captureDenied(event: PayPalWebhookEvent, context: TransactionContext) {
  const capture = event.resource as unknown as PayPalCapture;
  const payment = await lockPayPalPayment(context.tx, { customId: capture.custom_id, captureId: capture.id });
  if (!payment) return "ignored: not a portal payment";
  return closePendingPayment(context.tx, payment, "failed", "PayPal denied the capture.");
}

/** PAYMENT.CAPTURE.REFUNDED: the resource is the refund, not the capture; its `up` link names the capture. */
export async function captureRefunded(event: PayPalWebhookEvent, context: TransactionContext) {
  const refund = event.resource as unknown as PayPalRefund;
  const payment = await lockPayPalPayment(context.tx, { customId: refund.custom_id, captureId: captureIdFromLinks(refund.links) });
  if (!payment) return "ignored: not a portal payment";
  if (refund.amount.currency_code.toLowerCase() !== payment.currency.toLowerCase()) return "ignored: the refund's currency is not the payment's";
  return applyReversal(context, payment, {
    kind: "refund",
    providerReference: refund.id,
    amountCents: toMinorUnits(refund.amount.value, refund.amount.currency_code),
    status: "final",
  });
}

/** PAYMENT.CAPTURE.REVERSED: the buyer's bank took the whole payment back, which counts as a full refund. */
export async function captureReversed(event: PayPalWebhookEvent, context: TransactionContext) {
  const resource = event.resource as unknown as PayPalRefund & PayPalCapture;
  const captureId = captureIdFromLinks(resource.links) ?? resource.id;
  const payment = await lockPayPalPayment(context.tx, { customId: resource.custom_id, captureId });
  if (!payment) return "ignored: not a portal payment";
  return applyReversal(context, payment, {
    kind: "refund",
    providerReference: `reversal:${payment.providerChargeId ?? captureId}`,
    amountCents: payment.amountCents,
    status: "final",
  });
}
