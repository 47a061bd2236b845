import type { TransactionContext } from "@/db/transaction";
import { applyCheckoutSession } from "./checkout-session";
import type { Stripe } from "./client";

/**
 * `checkout.session.completed` and `checkout.session.async_payment_succeeded`: grant when the Session is
 * paid. A completed Session that is still `unpaid` (a bank debit) stays pending until the async event.
 */
export async function checkoutSessionCompleted(event: Stripe.Event, context: TransactionContext) {
  const session = event.data.object as Stripe.Checkout.Session;
  return (await applyCheckoutSession(context, session)).outcome;
}
