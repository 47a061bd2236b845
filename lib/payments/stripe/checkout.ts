import { appUrl } from "@/lib/app-url";
import { formatCredits } from "@/lib/format";
import { PaymentError } from "../errors";
import { failPendingPayment, markPaymentStarted, startPayment } from "../fulfilment";
import { getStripe } from "./client";
import { ensureStripeCustomer } from "./customer";

export type CheckoutInput = { organizationId: string; userId: string; email: string; packageId: string };

/**
 * Starts a Stripe Checkout for one of our packages: the pending payment first, then the Session built from
 * that row (never from anything the browser sent), with our ids in the metadata of the Session and of its
 * payment intent so that charges, refunds and disputes map back to the payment (SPEC section 7).
 */
export async function createStripeCheckout(input: CheckoutInput): Promise<{ paymentId: string; url: string }> {
  const stripe = getStripe();
  const payment = await startPayment({ ...input, provider: "stripe" });
  const metadata = { paymentId: payment.id, organizationId: payment.organizationId, packageId: payment.packageId ?? "" };
  try {
    const customer = await ensureStripeCustomer(input.organizationId, input.email);
    const session = await stripe.checkout.sessions.create(
      {
        mode: "payment",
        customer,
        client_reference_id: payment.organizationId,
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: payment.currency,
              unit_amount: payment.amountCents,
              product_data: { name: `${payment.packageName}: ${formatCredits(payment.credits)} credits` },
            },
          },
        ],
        metadata,
        payment_intent_data: { metadata },
        invoice_creation: { enabled: true, invoice_data: { metadata } },
        success_url: `${appUrl("/billing/checkout/return")}?session_id={CHECKOUT_SESSION_ID}`,
        cancel_url: appUrl("/billing?checkout=cancelled"),
      },
      { idempotencyKey: `checkout-session:${payment.id}` },
    );
    if (!session.url) throw new Error(`Stripe returned Checkout Session ${session.id} without a URL`);
    await markPaymentStarted(payment, { providerPaymentId: session.id, actorUserId: input.userId, details: { sessionId: session.id } });
    return { paymentId: payment.id, url: session.url };
  } catch (error) {
    console.error("[payments] creating the Checkout Session failed:", (error as Error).message);
    await failPendingPayment(payment.id, `Checkout could not start: ${(error as Error).message}`);
    throw new PaymentError("provider_error", "Stripe could not start the checkout. Try again in a moment.");
  }
}
