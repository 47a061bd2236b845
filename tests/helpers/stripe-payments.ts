import { randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { expect } from "vitest";
import { db } from "@/db/client";
import { auditLog, creditLedger, creditPackages, emailOutbox, payments, paymentReversals, users, webhookEvents } from "@/db/schema";
import { getBalance, sumLedger } from "@/lib/credits";

/** One credit package of this test's own; the test database has no seeded ones. */
export async function createCreditPackage(values: { credits: number; priceCents: number; name?: string; currency?: string; active?: boolean }) {
  const [pack] = await db
    .insert(creditPackages)
    .values({ name: values.name ?? `Pack ${randomUUID().slice(0, 8)}`, ...values })
    .returning();
  return pack!;
}

/** A verified client admin of the organization, the one who buys (and receives the receipt). */
export async function createBuyer(organizationId: string) {
  const [user] = await db
    .insert(users)
    .values({ email: `buyer-${randomUUID()}@example.com`, name: "Bea Buyer", organizationId, role: "client_admin", emailVerified: new Date() })
    .returning();
  return user!;
}

/** The invariant every payment test ends on: each organization's balance is exactly Σ of its ledger. */
export async function expectBalanceMatchesLedger(...organizationIds: string[]) {
  for (const organizationId of organizationIds) {
    expect(await getBalance(organizationId)).toBe(await sumLedger(organizationId));
  }
}

export async function paymentRow(paymentId: string) {
  const [payment] = await db.select().from(payments).where(eq(payments.id, paymentId));
  return payment!;
}

/** The payment's reversal-relevant fields, for one exact comparison. */
export async function paymentState(paymentId: string) {
  const payment = await paymentRow(paymentId);
  return {
    status: payment.status,
    credits: payment.credits,
    amountCents: payment.amountCents,
    refundedCents: payment.refundedCents,
    disputedCents: payment.disputedCents,
    creditsReversed: payment.creditsReversed,
    creditsShortfall: payment.creditsShortfall,
  };
}

/** An organization's ledger, oldest first, as [delta, balance after, reason, reference]. */
export async function ledgerOf(organizationId: string) {
  const rows = await db.select().from(creditLedger).where(eq(creditLedger.organizationId, organizationId)).orderBy(asc(creditLedger.id));
  return rows.map((row) => [row.delta, row.balanceAfter, row.reason, row.reference] as const);
}

export async function auditActions(organizationId: string, action?: string) {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.organizationId, organizationId), action ? eq(auditLog.action, action) : undefined))
    .orderBy(asc(auditLog.id));
}

export async function receiptEmails(toAddress: string) {
  return db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.toAddress, toAddress), eq(emailOutbox.template, "payment-receipt")));
}

export async function stripeEventRows(eventId: string) {
  return db
    .select({ type: webhookEvents.type, outcome: webhookEvents.outcome })
    .from(webhookEvents)
    .where(and(eq(webhookEvents.provider, "stripe"), eq(webhookEvents.eventId, eventId)));
}

export async function reversalRows(paymentId: string) {
  const rows = await db.select().from(paymentReversals).where(eq(paymentReversals.paymentId, paymentId)).orderBy(asc(paymentReversals.createdAt));
  return rows.map((row) => ({ kind: row.kind, providerReference: row.providerReference, amountCents: row.amountCents, status: row.status }));
}
