import type { TransactionContext } from "@/db/transaction";
import { env } from "@/lib/env";
import { processWebhookEvent } from "../webhook-events";
import { captureCompleted, captureDenied, captureRefunded, captureReversed } from "./capture-events";
import { paypalRequest } from "./client";
import type { PayPalWebhookEvent } from "./types";

type Handler = (event: PayPalWebhookEvent, context: TransactionContext) => Promise<string>;

/** The events that grant, close or take back a payment (SPEC section 7); others are acknowledged and ignored. */
const handlers: Record<string, Handler> = {
  "PAYMENT.CAPTURE.COMPLETED": captureCompleted,
  "PAYMENT.CAPTURE.DENIED": captureDenied,
  "PAYMENT.CAPTURE.REFUNDED": captureRefunded,
  "PAYMENT.CAPTURE.REVERSED": captureReversed,
};

const transmissionHeaders = {
  auth_algo: "paypal-auth-algo",
  cert_url: "paypal-cert-url",
  transmission_id: "paypal-transmission-id",
  transmission_sig: "paypal-transmission-sig",
  transmission_time: "paypal-transmission-time",
} as const;

/**
 * Asks PayPal whether the event is genuine. The event goes into the request exactly as received: PayPal
 * checks its signature over those bytes, and re-serialising (key order, number forms) breaks it.
 */
export async function verifyPayPalEvent(rawBody: string, headers: Headers): Promise<boolean> {
  const webhookId = env().PAYPAL_WEBHOOK_ID;
  if (!webhookId) return false;
  const fields: string[] = [];
  for (const [field, header] of Object.entries(transmissionHeaders)) {
    const value = headers.get(header);
    if (!value) return false;
    fields.push(`${JSON.stringify(field)}:${JSON.stringify(value)}`);
  }
  fields.push(`"webhook_id":${JSON.stringify(webhookId)}`, `"webhook_event":${rawBody}`);
  const answer = await paypalRequest<{ verification_status?: string }>("/v1/notifications/verify-webhook-signature", {
    body: `{${fields.join(",")}}`,
  });
  return answer.verification_status === "SUCCESS";
}

/** Parses a webhook body into an event, or null when it is not one (checked before it is spliced anywhere). */
export function parsePayPalEvent(rawBody: string): PayPalWebhookEvent | null {
  try {
    const value = JSON.parse(rawBody) as Partial<PayPalWebhookEvent>;
    if (typeof value?.id !== "string" || typeof value.event_type !== "string" || typeof value.resource !== "object" || !value.resource) return null;
    return value as PayPalWebhookEvent;
  } catch {
    return null;
  }
}

export async function handlePayPalEvent(event: PayPalWebhookEvent) {
  const handler = handlers[event.event_type];
  if (!handler) return { status: 200, body: { received: true, outcome: `ignored: ${event.event_type} is not handled` } };
  const outcome = await processWebhookEvent("paypal", { id: event.id, type: event.event_type }, (context) => handler(event, context));
  console.info(`[payments] paypal ${event.event_type} ${event.id}: ${outcome}`);
  return { status: 200, body: { received: true, outcome } };
}
