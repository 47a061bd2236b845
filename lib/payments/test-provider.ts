import { and, eq } from "drizzle-orm";
import { payments } from "@/db/schema";
import { withTransaction } from "@/db/transaction";
import { getBalance } from "@/lib/credits";
import { testPaymentsEnabled } from "@/lib/env";
import { PaymentError, paymentNotFound } from "./errors";
import { grantPayment, pendingPaymentValues } from "./fulfilment";
import { lockPayment } from "./payment-rows";

export type TestPurchase = { organizationId: string; packageId: string; userId: string; requestId: string };

/**
 * Buys a package through the development test provider, which "pays" at once: the same pending row and
 * the same grant as a real provider, in one transaction. `requestId` (made by the browser per click) is the
 * provider payment id, so a repeated request, a double submit or a retry buys once and answers the same.
 * Refused wherever test payments are off (every production deployment that has not opted in).
 */
export async function purchaseWithTestPayment(input: TestPurchase) {
  if (!testPaymentsEnabled()) throw new PaymentError("test_payments_disabled", "Test payments are disabled on this deployment.");
  const providerPaymentId = `test_${input.requestId}`;
  const outcome = await withTransaction(async (context) => {
    const values = await pendingPaymentValues(context.tx, { ...input, provider: "test", providerPaymentId });
    // A repeat waits here on the unique (provider, provider payment id) until the first one commits.
    const [inserted] = await context.tx.insert(payments).values(values).onConflictDoNothing().returning({ id: payments.id });
    const payment = await lockPayment(context.tx, and(eq(payments.provider, "test"), eq(payments.providerPaymentId, providerPaymentId)));
    if (!payment || payment.organizationId !== input.organizationId) throw paymentNotFound();
    if (!inserted) return { paymentId: payment.id, credits: payment.credits, balance: null };
    const result = await grantPayment(context, payment, { amountCents: payment.amountCents, currency: payment.currency });
    if (!result.granted) throw new Error(`The test payment ${payment.id} was not granted: ${result.reason}`);
    return { paymentId: result.paymentId, credits: result.credits, balance: result.balance as number | null };
  });
  return { ...outcome, balance: outcome.balance ?? (await getBalance(input.organizationId)) ?? 0 };
}
