import type { TransactionContext } from "@/db/transaction";
import { applyReversal } from "../reversals";
import { idOf, type Stripe } from "./client";
import { lockStripePayment } from "./payment-lookup";

// An inquiry (`warning_*`) moves no money, so it takes no credits.
const isInquiry = (dispute: Stripe.Dispute) => dispute.status.startsWith("warning_");

async function lockDisputedPayment(context: TransactionContext, dispute: Stripe.Dispute) {
  return lockStripePayment(context.tx, { metadata: dispute.metadata, paymentIntentId: idOf(dispute.payment_intent) });
}

/** `charge.dispute.created`: the disputed amount is withdrawn, so its credits are held back like a refund. */
export async function chargeDisputeCreated(event: Stripe.Event, context: TransactionContext) {
  const dispute = event.data.object as Stripe.Dispute;
  if (isInquiry(dispute)) return "ignored: an inquiry withdraws no funds";
  const payment = await lockDisputedPayment(context, dispute);
  if (!payment) return "ignored: not a portal payment";
  return applyReversal(context, payment, { kind: "dispute", providerReference: dispute.id, amountCents: dispute.amount, status: "open" });
}

/** `charge.dispute.closed`: won gives the held credits back; lost keeps them taken. */
export async function chargeDisputeClosed(event: Stripe.Event, context: TransactionContext) {
  const dispute = event.data.object as Stripe.Dispute;
  if (isInquiry(dispute)) return "ignored: an inquiry withdraws no funds";
  if (dispute.status !== "won" && dispute.status !== "lost") return `ignored: dispute status ${dispute.status}`;
  const payment = await lockDisputedPayment(context, dispute);
  if (!payment) return "ignored: not a portal payment";
  return applyReversal(context, payment, { kind: "dispute", providerReference: dispute.id, amountCents: dispute.amount, status: dispute.status === "won" ? "won" : "lost" });
}
