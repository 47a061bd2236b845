import { and, desc, eq, lt, sql } from "drizzle-orm";
import { db } from "@/db/client";
import { creditLedger, organizations, type LedgerReason } from "@/db/schema";
import type { TransactionContext } from "@/db/transaction";
import { applyCreditMovement, type CreditMovementResult } from "./ledger";

export { applyCreditMovement, type CreditMovement, type CreditMovementResult } from "./ledger";
export { InsufficientCreditsError, OrganizationNotFoundError } from "./errors";
export { notifyCreditsChanged, onCreditsChanged, type CreditChange, type CreditChangeListener } from "./hooks";

type CreditInput = {
  organizationId: string;
  credits: number;
  reference?: string;
  actorUserId?: string;
  metadata?: Record<string, unknown>;
};

function requirePositive(credits: number) {
  if (!Number.isSafeInteger(credits) || credits <= 0) {
    throw new RangeError(`Credits must be a positive whole number, got ${credits}`);
  }
}

/** Adds credits: a purchase, or a grant such as a welcome bonus. */
export async function grantCredits(
  input: CreditInput & { reason?: Extract<LedgerReason, "purchase" | "grant"> },
  context?: TransactionContext,
): Promise<CreditMovementResult> {
  requirePositive(input.credits);
  return applyCreditMovement({ ...input, delta: input.credits, reason: input.reason ?? "grant" }, context);
}

/** Takes credits for usage or a refund; throws InsufficientCreditsError rather than going below zero. */
export async function deductCredits(
  input: CreditInput & { reason?: Extract<LedgerReason, "usage" | "refund"> },
  context?: TransactionContext,
): Promise<CreditMovementResult> {
  requirePositive(input.credits);
  return applyCreditMovement({ ...input, delta: -input.credits, reason: input.reason ?? "usage" }, context);
}

/** A manual correction by an operator, up or down, always with a written reason. */
export async function adjustCredits(
  input: Omit<CreditInput, "credits"> & { delta: number; note: string },
  context?: TransactionContext,
): Promise<CreditMovementResult> {
  const note = input.note.trim();
  if (!note) throw new RangeError("An adjustment needs a reason");
  return applyCreditMovement(
    {
      organizationId: input.organizationId,
      delta: input.delta,
      reason: "adjustment",
      reference: input.reference,
      actorUserId: input.actorUserId,
      metadata: { ...input.metadata, note },
    },
    context,
  );
}

export async function getBalance(organizationId: string): Promise<number | null> {
  const [row] = await db
    .select({ balance: organizations.balance })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  return row?.balance ?? null;
}

/** The newest ledger entries first; pass the last id seen as `before` for the next page. */
export async function listLedgerEntries(organizationId: string, options: { limit?: number; before?: number } = {}) {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  return db
    .select()
    .from(creditLedger)
    .where(
      and(
        eq(creditLedger.organizationId, organizationId),
        options.before ? lt(creditLedger.id, options.before) : undefined,
      ),
    )
    .orderBy(desc(creditLedger.id))
    .limit(limit);
}

/** Σ delta of an organization's ledger, which must always equal its balance. */
export async function sumLedger(organizationId: string): Promise<number> {
  const [row] = await db
    .select({ total: sql<string>`coalesce(sum(${creditLedger.delta}), 0)` })
    .from(creditLedger)
    .where(eq(creditLedger.organizationId, organizationId));
  return Number(row?.total ?? 0);
}
export { deductForUsage, type Defer, type UsageDeduction, type UsageOutcome } from "./usage-deduction";
export { deductUsageBatch } from "./usage-batch";
export { deductForUsageGrouped, deductUsageBatchGrouped } from "./usage-group";
