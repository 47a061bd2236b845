import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { payments, type Payment } from "@/db/schema";
import { withTransaction, type TransactionContext } from "@/db/transaction";
import { getBalance } from "@/lib/credits";
import { paymentNotFound } from "../errors";
import { grantPayment } from "../fulfilment";
import { getStripe, idOf, type Stripe } from "./client";
import { lockStripePayment } from "./payment-lookup";

export type SessionOutcome = { outcome: string; payment?: Payment };

/**
 * The one fulfilment of a Checkout Session, shared by the return page and the webhooks: grant when Stripe
 * says it is paid, otherwise leave the payment pending (a bank debit can take days). Idempotent under the
 * payment's row lock, so the return page and any number of webhooks grant once between them.
 */
export async function applyCheckoutSession(context: TransactionContext, session: Stripe.Checkout.Session): Promise<SessionOutcome> {
  const payment = await lockStripePayment(context.tx, { metadata: session.metadata, sessionId: session.id });
  if (!payment) return { outcome: "ignored: not a portal payment" };
  if (payment.providerPaymentId && payment.providerPaymentId !== session.id) {
    return { outcome: `ignored: payment ${payment.id} belongs to another Checkout Session`, payment };
  }
  const paymentIntentId = idOf(session.payment_intent);
  if (!payment.providerPaymentId || (paymentIntentId && !payment.providerChargeId)) {
    // The payment intent is what disputes name: keep it as soon as Stripe tells it, even before payment.
    await context.tx
      .update(payments)
      .set({ providerPaymentId: session.id, providerChargeId: payment.providerChargeId ?? paymentIntentId })
      .where(eq(payments.id, payment.id));
  }
  if (session.payment_status !== "paid") return { outcome: `pending: payment_status is ${session.payment_status}`, payment };
  const result = await grantPayment(context, payment, {
    amountCents: session.amount_total ?? -1,
    currency: session.currency ?? "",
    providerChargeId: paymentIntentId,
    stripeInvoiceId: idOf(session.invoice),
  });
  return { outcome: result.granted ? `granted ${result.credits} credits` : `not granted: ${result.reason}`, payment };
}

export type CheckoutReturn = {
  paymentId: string;
  status: Payment["status"];
  credits: number;
  balance: number;
};

/**
 * The return page's half: read the Session from Stripe and fulfil it, so credits appear even when the
 * webhook is late. Another organization's Session answers "not found", as if it did not exist.
 */
export async function completeCheckoutReturn(sessionId: string, viewer: { organizationId: string; anyOrganization: boolean }): Promise<CheckoutReturn> {
  if (!/^cs_[A-Za-z0-9_]{1,250}$/.test(sessionId)) throw paymentNotFound();
  let session: Stripe.Checkout.Session;
  try {
    session = await getStripe().checkout.sessions.retrieve(sessionId);
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) throw paymentNotFound();
    throw error;
  }
  if (!viewer.anyOrganization && session.metadata?.organizationId !== viewer.organizationId) throw paymentNotFound();
  const { payment } = await withTransaction((context) => applyCheckoutSession(context, session));
  if (!payment || (!viewer.anyOrganization && payment.organizationId !== viewer.organizationId)) throw paymentNotFound();
  const [current] = await db.select().from(payments).where(eq(payments.id, payment.id));
  return {
    paymentId: payment.id,
    status: current!.status,
    credits: payment.credits,
    balance: (await getBalance(payment.organizationId)) ?? 0,
  };
}
