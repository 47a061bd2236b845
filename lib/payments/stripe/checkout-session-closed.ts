import type { TransactionContext } from "@/db/transaction";
import { closePendingPayment } from "../fulfilment";
import type { Stripe } from "./client";
import { lockStripePayment } from "./payment-lookup";

/** `checkout.session.async_payment_failed` and `checkout.session.expired`: the pending payment ends unpaid. */
export async function checkoutSessionClosed(event: Stripe.Event, context: TransactionContext) {
  const session = event.data.object as Stripe.Checkout.Session;
  const payment = await lockStripePayment(context.tx, { metadata: session.metadata, sessionId: session.id });
  if (!payment) return "ignored: not a portal payment";
  return event.type === "checkout.session.expired"
    ? closePendingPayment(context.tx, payment, "expired", "The Checkout Session expired before it was paid.")
    : closePendingPayment(context.tx, payment, "failed", "The payment failed after checkout (for example a declined bank debit).");
}
