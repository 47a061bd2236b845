import { and, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { payments, type Payment } from "@/db/schema";
import { withTransaction } from "@/db/transaction";
import { getBalance } from "@/lib/credits";
import { formatCredits } from "@/lib/format";
import { PaymentError, paymentNotFound } from "../errors";
import { closePendingPayment, failPendingPayment, grantPayment, markPaymentStarted, startPayment } from "../fulfilment";
import { toDecimalAmount, toMinorUnits } from "../money";
import { lockPaymentById } from "../payment-rows";
import { paypalCredentials, PayPalApiError, paypalRequest } from "./client";
import type { PayPalCapture, PayPalOrder } from "./types";

/**
 * Creates the PayPal order for one of our packages: the pending payment first, then the order with our
 * amount as a decimal string and our payment id as `custom_id`, which every capture, refund and webhook
 * carries back. The request id makes a retried create return the same order.
 */
export async function createPayPalOrder(input: { organizationId: string; userId: string; packageId: string }) {
  paypalCredentials();
  const payment = await startPayment({ ...input, provider: "paypal" });
  try {
    const order = await paypalRequest<PayPalOrder>("/v2/checkout/orders", {
      requestId: `order-${payment.id}`,
      body: {
        intent: "CAPTURE",
        purchase_units: [
          {
            reference_id: payment.id,
            custom_id: payment.id,
            description: `${payment.packageName}: ${formatCredits(payment.credits)} credits`,
            amount: { currency_code: payment.currency.toUpperCase(), value: toDecimalAmount(payment.amountCents, payment.currency) },
          },
        ],
      },
    });
    await markPaymentStarted(payment, { providerPaymentId: order.id, actorUserId: input.userId, details: { orderId: order.id } });
    return { orderId: order.id, paymentId: payment.id };
  } catch (error) {
    console.error("[payments] creating the PayPal order failed:", (error as Error).message);
    await failPendingPayment(payment.id, `The PayPal order could not be created: ${(error as Error).message}`);
    throw new PaymentError("provider_error", "PayPal could not start the payment. Try again in a moment.");
  }
}

/** The capture of an order (an order of ours has one purchase unit and at most one capture). */
export function captureOf(order: PayPalOrder): PayPalCapture | undefined {
  return order.purchase_units?.[0]?.payments?.captures?.[0];
}

async function captureOrder(payment: Payment, orderId: string): Promise<PayPalOrder> {
  const path = `/v2/checkout/orders/${encodeURIComponent(orderId)}`;
  try {
    return await paypalRequest<PayPalOrder>(`${path}/capture`, { requestId: `capture-${payment.id}`, body: "{}" });
  } catch (error) {
    // Captured already (a second tab, a retried call): the order itself says how that capture went.
    if (error instanceof PayPalApiError && error.issue === "ORDER_ALREADY_CAPTURED") return paypalRequest<PayPalOrder>(path, { method: "GET" });
    if (error instanceof PayPalApiError && error.issue === "INSTRUMENT_DECLINED") {
      throw new PaymentError("provider_error", "PayPal declined that payment method. Choose another one and try again.");
    }
    throw error;
  }
}

/** Applies what PayPal says about a capture of ours: grant when COMPLETED, close when refused, else wait. */
export async function applyCapture(payment: Payment, capture: PayPalCapture) {
  return withTransaction(async (context) => {
    const locked = (await lockPaymentById(context.tx, payment.id))!;
    if (capture.custom_id && capture.custom_id !== locked.id) return { outcome: "ignored: the capture belongs to another payment", payment: locked };
    if (capture.status === "COMPLETED") {
      const result = await grantPayment(context, locked, {
        amountCents: toMinorUnits(capture.amount.value, capture.amount.currency_code),
        currency: capture.amount.currency_code,
        providerChargeId: capture.id,
      });
      return { outcome: result.granted ? `granted ${result.credits} credits` : `not granted: ${result.reason}`, payment: locked };
    }
    if (!locked.providerChargeId) {
      await context.tx.update(payments).set({ providerChargeId: capture.id, updatedAt: new Date() }).where(eq(payments.id, locked.id));
    }
    if (capture.status === "DECLINED" || capture.status === "FAILED") {
      return { outcome: await closePendingPayment(context.tx, locked, "failed", `PayPal capture ${capture.status}`), payment: locked };
    }
    return { outcome: `pending: capture is ${capture.status}`, payment: locked };
  });
}

export type CaptureAnswer = { status: "completed" | "pending"; credits: number; balance: number };

/**
 * Captures the buyer's approved order. Only an order of the caller's organization can be captured (any
 * for a business admin); another's answers "not found". Credits are granted only for a COMPLETED capture;
 * a PENDING one waits for PayPal's PAYMENT.CAPTURE.COMPLETED webhook.
 */
export async function capturePayPalOrder(input: { orderId: string; organizationId: string; anyOrganization: boolean }): Promise<CaptureAnswer> {
  const [payment] = await db
    .select()
    .from(payments)
    .where(
      and(
        eq(payments.provider, "paypal"),
        eq(payments.providerPaymentId, input.orderId),
        input.anyOrganization ? undefined : eq(payments.organizationId, input.organizationId),
      ),
    );
  if (!payment) throw paymentNotFound();
  const answer = async (status: CaptureAnswer["status"]) => ({
    status,
    credits: payment.credits,
    balance: (await getBalance(payment.organizationId)) ?? 0,
  });
  if (payment.completedAt) return answer("completed");
  let order: PayPalOrder;
  try {
    order = await captureOrder(payment, input.orderId);
  } catch (error) {
    if (error instanceof PaymentError) throw error;
    console.error("[payments] capturing the PayPal order failed:", (error as Error).message);
    throw new PaymentError("provider_error", "PayPal could not capture the payment. Try again in a moment.");
  }
  const capture = captureOf(order);
  if (!capture) throw new PaymentError("provider_error", "PayPal returned no capture for the order.");
  const { payment: after } = await applyCapture(payment, capture);
  const [current] = await db.select({ completedAt: payments.completedAt }).from(payments).where(eq(payments.id, after.id));
  if (current?.completedAt) return answer("completed");
  if (capture.status === "DECLINED" || capture.status === "FAILED") {
    throw new PaymentError("provider_error", "PayPal declined the payment. Nothing was charged.");
  }
  return answer("pending");
}
