import type { TransactionContext } from "@/db/transaction";
import { applyReversal } from "../reversals";
import { idOf, type Stripe } from "./client";
import { lockStripePayment } from "./payment-lookup";

/**
 * `charge.refunded`: the charge carries `amount_refunded`, the cumulative total of its refunds, so each
 * event sets the charge's one refund row to that total and the credits follow from it.
 */
export async function chargeRefunded(event: Stripe.Event, context: TransactionContext) {
  const charge = event.data.object as Stripe.Charge;
  const payment = await lockStripePayment(context.tx, { metadata: charge.metadata, paymentIntentId: idOf(charge.payment_intent) });
  if (!payment) return "ignored: not a portal payment";
  if (charge.currency.toLowerCase() !== payment.currency.toLowerCase()) return `ignored: currency ${charge.currency} is not the payment's`;
  return applyReversal(context, payment, {
    kind: "refund",
    providerReference: charge.id,
    amountCents: charge.amount_refunded,
    status: "final",
  });
}
