import { handlePayPalEvent, parsePayPalEvent, verifyPayPalEvent } from "@/lib/payments/paypal/webhook";
import { invalidSignature, readWebhookBody, webhookFailure } from "@/lib/payments/webhook-route";
import { startUsageWorkers } from "@/lib/usage/workers";

/** PayPal's events (SPEC section 7): each one checked with PayPal before it changes anything. */
export async function POST(request: Request) {
  startUsageWorkers();
  const body = await readWebhookBody(request);
  const event = body === null ? null : parsePayPalEvent(body);
  if (!body || !event) return invalidSignature();
  let verified: boolean;
  try {
    verified = await verifyPayPalEvent(body, request.headers);
  } catch (error) {
    // PayPal's verification endpoint is down: a retry of the delivery can succeed.
    return webhookFailure("paypal", error);
  }
  if (!verified) return invalidSignature();
  try {
    const answer = await handlePayPalEvent(event);
    return Response.json(answer.body, { status: answer.status });
  } catch (error) {
    return webhookFailure("paypal", error);
  }
}
