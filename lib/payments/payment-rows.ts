import { eq, type SQL } from "drizzle-orm";
import type { Transaction } from "@/db/client";
import { payments, type Payment } from "@/db/schema";

/** The payment row under a row lock, so that the return page, the capture call and webhooks for it run one at a time. */
export async function lockPayment(tx: Transaction, where: SQL | undefined): Promise<Payment | undefined> {
  const [payment] = await tx.select().from(payments).where(where).for("update");
  return payment;
}

export const lockPaymentById = (tx: Transaction, paymentId: string) => lockPayment(tx, eq(payments.id, paymentId));

/** The ledger reference of a payment's grant; its reversals are `<this>:reversal:<n>`. */
export const paymentReference = (paymentId: string) => `payment:${paymentId}`;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Our payment id as echoed back by a provider (metadata, custom_id); anything else is not ours. */
export function asPaymentId(value: unknown): string | undefined {
  return typeof value === "string" && uuidPattern.test(value) ? value.toLowerCase() : undefined;
}
