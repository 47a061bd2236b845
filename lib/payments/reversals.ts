import { eq, sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { organizations, paymentReversals, payments, type Payment, type PaymentStatus, type ReversalKind, type ReversalStatus } from "@/db/schema";
import type { TransactionContext } from "@/db/transaction";
import { writeAudit } from "@/lib/audit";
import { applyCreditMovement } from "@/lib/credits";
import { lockPaymentById, paymentReference } from "./payment-rows";

export type Reversal = {
  kind: ReversalKind;
  /** The provider's object: a Stripe charge (its refunds are cumulative), a PayPal refund, a dispute. */
  providerReference: string;
  amountCents: number;
  status: ReversalStatus;
};

/**
 * After refunds and held disputes totalling R of a payment of A cents for C credits, floor(C × R / A)
 * credits are taken back in all (SPEC section 7). BigInt, since C × R can pass 2^53.
 */
export function creditsToTakeBack(payment: Pick<Payment, "credits" | "amountCents">, reversedCents: number) {
  if (payment.amountCents <= 0 || reversedCents <= 0) return 0;
  const held = BigInt(Math.min(reversedCents, payment.amountCents));
  return Number((BigInt(payment.credits) * held) / BigInt(payment.amountCents));
}

/**
 * Stores what the provider says about one reversal. Amounts only grow (Stripe's `amount_refunded` is
 * cumulative, so an older event never lowers it), and a closed dispute never reopens when its `created`
 * event arrives late.
 */
async function upsertReversal(context: TransactionContext, paymentId: string, reversal: Reversal) {
  await context.tx
    .insert(paymentReversals)
    .values({ paymentId, ...reversal })
    .onConflictDoUpdate({
      target: [paymentReversals.paymentId, paymentReversals.kind, paymentReversals.providerReference],
      set: {
        amountCents: sql`greatest(${paymentReversals.amountCents}, excluded.amount_cents)`,
        status: sql`case when excluded.status = 'open' then ${paymentReversals.status} else excluded.status end`,
        updatedAt: sql`now()`,
      },
    });
}

type Totals = { refunded: string; disputed: string };

async function totalsOf(context: TransactionContext, paymentId: string) {
  const [row] = await queryRows<Totals>(context.tx, sql`
    select
      coalesce(sum(amount_cents) filter (where kind = 'refund'), 0) as refunded,
      coalesce(sum(amount_cents) filter (where kind = 'dispute' and status in ('open', 'lost')), 0) as disputed
    from ${paymentReversals} where ${eq(paymentReversals.paymentId, paymentId)}`);
  return { refunded: Number(row?.refunded ?? 0), disputed: Number(row?.disputed ?? 0) };
}

function statusAfter(payment: Payment, reversedCents: number): PaymentStatus {
  if (!payment.completedAt) return payment.status;
  if (reversedCents >= payment.amountCents) return "refunded";
  return reversedCents > 0 ? "partially_refunded" : "completed";
}

async function lockedBalance(context: TransactionContext, organizationId: string) {
  const [row] = await context.tx
    .select({ balance: organizations.balance })
    .from(organizations)
    .where(eq(organizations.id, organizationId))
    .for("update");
  return row?.balance ?? 0;
}

export type ReconcileResult = { taken: number; returned: number; shortfall: number; balance: number } | null;

/**
 * Brings the credits taken back from a payment in line with its reversals: takes the difference when more
 * money went back, returns it when a dispute was won. Where the balance is already spent it goes to zero and
 * the rest is recorded as a shortfall on the payment and in the audit log; a won dispute first cancels
 * shortfall, then returns credits. Runs under the payment's row lock; a payment not yet granted has nothing
 * to take back, and is reconciled when its grant arrives.
 */
export async function reconcileReversals(context: TransactionContext, paymentId: string): Promise<ReconcileResult> {
  const payment = await lockPaymentById(context.tx, paymentId);
  if (!payment) return null;
  const totals = await totalsOf(context, paymentId);
  const reversedCents = Math.min(payment.amountCents, totals.refunded + totals.disputed);
  const target = payment.completedAt ? creditsToTakeBack(payment, reversedCents) : 0;
  const difference = target - payment.creditsReversed;
  let shortfall = payment.creditsShortfall;
  let taken = 0;
  let returned = 0;
  let balance = await lockedBalance(context, payment.organizationId);
  if (difference > 0) {
    taken = Math.min(difference, balance);
    shortfall += difference - taken;
  } else if (difference < 0) {
    const cancelled = Math.min(shortfall, -difference);
    shortfall -= cancelled;
    returned = -difference - cancelled;
  }
  const delta = returned - taken;
  if (delta !== 0) {
    const movement = await applyCreditMovement(
      {
        organizationId: payment.organizationId,
        delta,
        reason: "refund",
        reference: `${paymentReference(payment.id)}:reversal:${payment.reversalEntries + 1}`,
        metadata: { paymentId: payment.id, provider: payment.provider, refundedCents: totals.refunded, disputedCents: totals.disputed },
      },
      context,
    );
    balance = movement.balance;
  }
  await context.tx
    .update(payments)
    .set({
      refundedCents: Math.min(totals.refunded, payment.amountCents),
      disputedCents: Math.min(totals.disputed, payment.amountCents),
      creditsReversed: target,
      creditsShortfall: shortfall,
      reversalEntries: payment.reversalEntries + (delta !== 0 ? 1 : 0),
      status: statusAfter(payment, reversedCents),
      updatedAt: new Date(),
    })
    .where(eq(payments.id, payment.id));
  if (difference !== 0) {
    await writeAudit(
      {
        action: difference > 0 ? "payment.credits_reversed" : "payment.credits_restored",
        organizationId: payment.organizationId,
        targetType: "payment",
        targetId: payment.id,
        metadata: {
          provider: payment.provider,
          refundedCents: totals.refunded,
          disputedCents: totals.disputed,
          creditsTakenBackInAll: target,
          taken,
          returned,
          shortfall,
          ...(shortfall > payment.creditsShortfall ? { shortfallAdded: shortfall - payment.creditsShortfall } : {}),
        },
      },
      context.tx,
    );
  }
  return { taken, returned, shortfall, balance };
}

/** Records a refund or dispute of a payment and applies what it changes; returns the handler's outcome line. */
export async function applyReversal(context: TransactionContext, payment: Payment, reversal: Reversal) {
  await upsertReversal(context, payment.id, reversal);
  const result = await reconcileReversals(context, payment.id);
  if (!result || !payment.completedAt) return `recorded ${reversal.kind}; payment not granted yet`;
  const parts = [`${reversal.kind} ${reversal.status}`, `taken ${result.taken}`, `returned ${result.returned}`];
  if (result.shortfall > 0) parts.push(`shortfall ${result.shortfall}`);
  return parts.join(", ");
}
