import { and, eq, isNull } from "drizzle-orm";
import { db, type Executor, type Transaction } from "@/db/client";
import { creditPackages, organizations, payments, type Payment, type PaymentProvider } from "@/db/schema";
import type { TransactionContext } from "@/db/transaction";
import { writeAudit } from "@/lib/audit";
import { grantCredits } from "@/lib/credits";
import { deliverSoon, enqueueEmail } from "@/lib/email";
import { packageUnavailable } from "./errors";
import { paymentReference } from "./payment-rows";
import { receiptRecipients, receiptTemplate } from "./receipt-email";
import { reconcileReversals } from "./reversals";

export type GrantResult =
  | { granted: true; paymentId: string; credits: number; balance: number }
  | { granted: false; paymentId: string; reason: "already_granted" | "amount_mismatch" };

export type PaymentStart = {
  organizationId: string;
  userId: string | null;
  packageId: string;
  provider: PaymentProvider;
  providerPaymentId?: string;
};

/**
 * The row of a new pending payment for one of our active packages. The amount, credits and currency come
 * from our package row and are copied, so a later price change never alters the payment.
 */
export async function pendingPaymentValues(executor: Executor, input: PaymentStart) {
  const [pack] = await executor
    .select()
    .from(creditPackages)
    .where(and(eq(creditPackages.id, input.packageId), eq(creditPackages.active, true)));
  if (!pack) throw packageUnavailable();
  return {
    organizationId: input.organizationId,
    userId: input.userId,
    packageId: pack.id,
    packageName: pack.name,
    provider: input.provider,
    providerPaymentId: input.providerPaymentId,
    credits: pack.credits,
    amountCents: pack.priceCents,
    currency: pack.currency,
  };
}

/** Writes a pending payment before the buyer leaves for the provider. */
export async function startPayment(input: PaymentStart): Promise<Payment> {
  const [payment] = await db.insert(payments).values(await pendingPaymentValues(db, input)).returning();
  return payment!;
}

/**
 * Records the provider's id of a pending payment (the Checkout Session, the PayPal order) and audits that
 * the buyer was sent to the provider.
 */
export async function markPaymentStarted(payment: Payment, started: { providerPaymentId: string; actorUserId: string; details: Record<string, unknown> }) {
  await db
    .update(payments)
    .set({ providerPaymentId: started.providerPaymentId, updatedAt: new Date() })
    .where(and(eq(payments.id, payment.id), isNull(payments.providerPaymentId)));
  await writeAudit({
    action: "payment.started",
    organizationId: payment.organizationId,
    actorUserId: started.actorUserId,
    targetType: "payment",
    targetId: payment.id,
    metadata: { provider: payment.provider, amountCents: payment.amountCents, credits: payment.credits, ...started.details },
  });
}

/** A payment that never started at the provider, or that the provider refused before any money moved. */
export async function failPendingPayment(paymentId: string, reason: string) {
  await db
    .update(payments)
    .set({ status: "failed", failureReason: reason.slice(0, 500), updatedAt: new Date() })
    .where(and(eq(payments.id, paymentId), eq(payments.status, "pending")));
}

/** Marks a pending payment failed or expired (declined bank debit, abandoned Checkout); never a paid one. */
export async function closePendingPayment(tx: Transaction, payment: Payment, status: "failed" | "expired", reason: string) {
  if (payment.status !== "pending") return `ignored: payment is ${payment.status}`;
  await tx
    .update(payments)
    .set({ status, failureReason: reason.slice(0, 500), updatedAt: new Date() })
    .where(eq(payments.id, payment.id));
  await writeAudit(
    { action: `payment.${status}`, organizationId: payment.organizationId, targetType: "payment", targetId: payment.id, metadata: { provider: payment.provider, reason } },
    tx,
  );
  return `payment ${status}`;
}

/**
 * The one grant of a payment, for every path that learns it was paid (test provider, Stripe return page
 * and webhooks, PayPal capture and webhook). Call it with the payment locked by `lockPayment` in the same
 * transaction. The ledger reference `payment:<id>` makes a second grant impossible even if a caller forgot.
 * Paid money always turns into credits, even for a payment we had marked failed or expired.
 */
export async function grantPayment(
  context: TransactionContext,
  payment: Payment,
  paid: { amountCents: number; currency: string; providerChargeId?: string | null; stripeInvoiceId?: string | null },
): Promise<GrantResult> {
  const { tx } = context;
  if (payment.completedAt) return { granted: false, paymentId: payment.id, reason: "already_granted" };
  if (paid.amountCents !== payment.amountCents || paid.currency.toLowerCase() !== payment.currency.toLowerCase()) {
    // Our own Checkout Session or order always carries our amount; anything else is not ours to credit.
    await writeAudit(
      {
        action: "payment.amount_mismatch",
        organizationId: payment.organizationId,
        targetType: "payment",
        targetId: payment.id,
        metadata: { expected: `${payment.amountCents} ${payment.currency}`, received: `${paid.amountCents} ${paid.currency}` },
      },
      tx,
    );
    return { granted: false, paymentId: payment.id, reason: "amount_mismatch" };
  }
  const movement = await grantCredits(
    {
      organizationId: payment.organizationId,
      credits: payment.credits,
      reason: "purchase",
      reference: paymentReference(payment.id),
      actorUserId: payment.userId ?? undefined,
      metadata: { provider: payment.provider, paymentId: payment.id, packageId: payment.packageId },
    },
    context,
  );
  await tx
    .update(payments)
    .set({
      status: "completed",
      completedAt: new Date(),
      failureReason: null,
      providerChargeId: paid.providerChargeId ?? payment.providerChargeId,
      stripeInvoiceId: paid.stripeInvoiceId ?? payment.stripeInvoiceId,
      updatedAt: new Date(),
    })
    .where(eq(payments.id, payment.id));
  await writeAudit(
    {
      action: "payment.completed",
      organizationId: payment.organizationId,
      actorUserId: payment.userId,
      targetType: "payment",
      targetId: payment.id,
      metadata: { provider: payment.provider, credits: payment.credits, amountCents: payment.amountCents, currency: payment.currency },
    },
    tx,
  );
  // A refund or dispute that arrived before the grant (a late webhook) takes its share back now, before the
  // receipt is written, so that the receipt's balance is the one the organization really has.
  const reconciled = await reconcileReversals(context, payment.id);
  const balance = reconciled?.balance ?? movement.balance;
  const [organization] = await tx
    .select({ name: organizations.name })
    .from(organizations)
    .where(eq(organizations.id, payment.organizationId));
  for (const recipient of await receiptRecipients(tx, payment)) {
    await enqueueEmail(tx, recipient.email, receiptTemplate, {
      name: recipient.name,
      organizationName: organization?.name ?? "your organization",
      packageName: payment.packageName,
      credits: payment.credits,
      amountCents: payment.amountCents,
      currency: payment.currency,
      provider: payment.provider,
      paymentId: payment.id,
      balance,
    });
  }
  context.afterCommit(deliverSoon);
  return { granted: true, paymentId: payment.id, credits: payment.credits, balance };
}
