import { handleStripeEvent, verifyStripeEvent } from "@/lib/payments/stripe/webhook";
import { invalidSignature, readWebhookBody, webhookFailure } from "@/lib/payments/webhook-route";
import { startUsageWorkers } from "@/lib/usage/workers";

/** Stripe's events (SPEC section 7): verified over the raw body, applied once, always answered. */
export async function POST(request: Request) {
  startUsageWorkers();
  const body = await readWebhookBody(request);
  const event = body === null ? null : verifyStripeEvent(body, request.headers.get("stripe-signature"));
  if (!event) return invalidSignature();
  try {
    const answer = await handleStripeEvent(event);
    return Response.json(answer.body, { status: answer.status });
  } catch (error) {
    return webhookFailure("stripe", error);
  }
}
