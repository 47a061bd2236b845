import { randomUUID } from "node:crypto";
import { and, asc, desc, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { creditPackages, payments } from "@/db/schema";
import { withTransaction } from "@/db/transaction";
import { writeAudit } from "@/lib/audit";
import { grantCredits } from "@/lib/credits";
import { testPaymentsEnabled } from "@/lib/env";

export class TestPaymentsDisabledError extends Error {
  constructor() {
    super("Test payments are disabled on this deployment");
    this.name = "TestPaymentsDisabledError";
  }
}

export class PackageUnavailableError extends Error {
  constructor() {
    super("That credit package is not available");
    this.name = "PackageUnavailableError";
  }
}

export async function listActiveCreditPackages() {
  return db
    .select()
    .from(creditPackages)
    .where(eq(creditPackages.active, true))
    .orderBy(asc(creditPackages.sortOrder), asc(creditPackages.priceCents));
}

export async function listPayments(organizationId: string, limit = 20) {
  return db
    .select({
      id: payments.id,
      provider: payments.provider,
      status: payments.status,
      credits: payments.credits,
      amountCents: payments.amountCents,
      currency: payments.currency,
      createdAt: payments.createdAt,
      packageName: creditPackages.name,
    })
    .from(payments)
    .leftJoin(creditPackages, eq(creditPackages.id, payments.packageId))
    .where(eq(payments.organizationId, organizationId))
    .orderBy(desc(payments.createdAt))
    .limit(limit);
}

/**
 * Buys a package through the development test provider: the payment row, its credits (ledger) and the
 * audit row commit together. Credits and price come from our package row, never from the caller.
 */
export async function purchaseWithTestPayment(input: { organizationId: string; packageId: string; userId: string }) {
  if (!testPaymentsEnabled()) throw new TestPaymentsDisabledError();
  const [pack] = await db
    .select()
    .from(creditPackages)
    .where(and(eq(creditPackages.id, input.packageId), eq(creditPackages.active, true)));
  if (!pack) throw new PackageUnavailableError();
  return withTransaction(async (context) => {
    const [payment] = await context.tx
      .insert(payments)
      .values({
        organizationId: input.organizationId,
        userId: input.userId,
        packageId: pack.id,
        provider: "test",
        providerPaymentId: `test_${randomUUID()}`,
        status: "completed",
        credits: pack.credits,
        amountCents: pack.priceCents,
        currency: pack.currency,
      })
      .returning();
    const movement = await grantCredits(
      {
        organizationId: input.organizationId,
        credits: pack.credits,
        reason: "purchase",
        reference: `payment:${payment!.id}`,
        actorUserId: input.userId,
        metadata: { provider: "test", packageId: pack.id },
      },
      context,
    );
    await writeAudit(
      {
        action: "payment.completed",
        organizationId: input.organizationId,
        actorUserId: input.userId,
        targetType: "payment",
        targetId: payment!.id,
        metadata: { provider: "test", credits: pack.credits, amountCents: pack.priceCents },
      },
      context.tx,
    );
    return { paymentId: payment!.id, credits: pack.credits, balance: movement.balance };
  });
}
