import type { TransactionContext } from "@/db/transaction";
import { env } from "@/lib/env";
import { processWebhookEvent } from "../webhook-events";
import { chargeDisputeClosed, chargeDisputeCreated } from "./charge-dispute";
import { chargeRefunded } from "./charge-refunded";
import { checkoutSessionClosed } from "./checkout-session-closed";
import { checkoutSessionCompleted } from "./checkout-session-completed";
import { getStripe, type Stripe } from "./client";

type Handler = (event: Stripe.Event, context: TransactionContext) => Promise<string>;

/**
 * The events that move credits or close a payment (SPEC section 7). Credits are never granted on
 * `payment_intent.succeeded` or `invoice.paid`: the Session events already say it, and a second source of
 * grants would be a second chance to grant twice.
 */
const handlers: Partial<Record<Stripe.Event.Type, Handler>> = {
  "checkout.session.completed": checkoutSessionCompleted,
  "checkout.session.async_payment_succeeded": checkoutSessionCompleted,
  "checkout.session.async_payment_failed": checkoutSessionClosed,
  "checkout.session.expired": checkoutSessionClosed,
  "charge.refunded": chargeRefunded,
  "charge.dispute.created": chargeDisputeCreated,
  "charge.dispute.closed": chargeDisputeClosed,
};

export type WebhookAnswer = { status: number; body: Record<string, unknown> };

/** Verifies the raw body against STRIPE_WEBHOOK_SECRET; null when the signature is missing or wrong. */
export function verifyStripeEvent(rawBody: string, signature: string | null): Stripe.Event | null {
  const secret = env().STRIPE_WEBHOOK_SECRET;
  if (!signature || !secret) return null;
  try {
    return getStripe().webhooks.constructEvent(rawBody, signature, secret);
  } catch {
    return null;
  }
}

/** Routes a verified event to its handler; the outcome line goes back to Stripe's delivery log. */
export async function handleStripeEvent(event: Stripe.Event): Promise<WebhookAnswer> {
  const handler = handlers[event.type];
  if (!handler) return { status: 200, body: { received: true, outcome: `ignored: ${event.type} is not handled` } };
  const outcome = await processWebhookEvent("stripe", event, (context) => handler(event, context));
  console.info(`[payments] stripe ${event.type} ${event.id}: ${outcome}`);
  return { status: 200, body: { received: true, outcome } };
}
