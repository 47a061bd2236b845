import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { payments } from "@/db/schema";
import { withTransaction } from "@/db/transaction";
import { testPaymentsEnabled } from "@/lib/env";
import { PaymentError } from "./errors";
import { grantPayment, startPayment } from "./fulfilment";
import { lockPaymentById } from "./payment-rows";

/**
 * Buys a package through the development test provider, which "pays" at once: the same pending row and
 * the same grant as a real provider, so development exercises the real path. Refused wherever test
 * payments are off (every production deployment that has not opted in).
 */
export async function purchaseWithTestPayment(input: { organizationId: string; packageId: string; userId: string }) {
  if (!testPaymentsEnabled()) throw new PaymentError("test_payments_disabled", "Test payments are disabled on this deployment.");
  const pending = await startPayment({ ...input, provider: "test" });
  await db.update(payments).set({ providerPaymentId: `test_${randomUUID()}` }).where(eq(payments.id, pending.id));
  const result = await withTransaction(async (context) => {
    const payment = await lockPaymentById(context.tx, pending.id);
    return grantPayment(context, payment!, { amountCents: payment!.amountCents, currency: payment!.currency });
  });
  if (!result.granted) throw new Error(`The test payment ${pending.id} was not granted: ${result.reason}`);
  return { paymentId: result.paymentId, credits: result.credits, balance: result.balance };
}
