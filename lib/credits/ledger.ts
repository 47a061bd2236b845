import { sql } from "drizzle-orm";
import { db, queryRows, type Executor } from "@/db/client";
import type { LedgerReason } from "@/db/schema";
import type { TransactionContext } from "@/db/transaction";
import { InsufficientCreditsError, isUniqueViolation, OrganizationNotFoundError } from "./errors";
import { notifyCreditsChanged, type CreditChange } from "./hooks";

export type CreditMovement = {
  organizationId: string;
  /** Positive adds credits, negative takes them; never zero. */
  delta: number;
  reason: LedgerReason;
  /** Idempotency reference: a movement with a reference already in the ledger is not applied again. */
  reference?: string;
  actorUserId?: string;
  metadata?: Record<string, unknown>;
};

export type CreditMovementResult =
  | { status: "applied"; entryId: number; balance: number; previousBalance: number; lowCreditThreshold: number }
  | { status: "duplicate"; entryId: number; balance: number; delta: number };

type MovementRow = {
  entry_id: string | number | null;
  balance_after: string | number | null;
  threshold: string | number | null;
  existing_id: string | number | null;
  existing_balance_after: string | number | null;
  existing_delta: string | number | null;
  current_balance: string | number | null;
};

const toNumber = (value: string | number) => Number(value);

/**
 * One statement does the whole movement: skip it if the reference is already in the ledger, update the
 * balance only if it stays non-negative (Postgres re-checks that condition after waiting for a concurrent
 * writer's row lock), and write the ledger row from the updated balance. A statement is atomic, so the
 * balance and its ledger row are never written apart.
 */
function movementStatement(movement: CreditMovement) {
  const reference = movement.reference ?? null;
  const metadata = movement.metadata ? JSON.stringify(movement.metadata) : null;
  return sql`
    with existing as (
      select id, balance_after, delta from credit_ledger
      where ${reference}::text is not null and organization_id = ${movement.organizationId} and reference = ${reference}
    ),
    updated as (
      update organizations set balance = balance + ${movement.delta}, updated_at = now()
      where id = ${movement.organizationId} and balance + ${movement.delta} >= 0 and not exists (select 1 from existing)
      returning balance, low_credit_threshold
    ),
    inserted as (
      insert into credit_ledger (organization_id, delta, balance_after, reason, reference, actor_user_id, metadata)
      select ${movement.organizationId}, ${movement.delta}, balance, ${movement.reason}, ${reference},
             ${movement.actorUserId ?? null}, ${metadata}::jsonb
      from updated
      returning id, balance_after
    )
    select
      (select id from inserted) as entry_id,
      (select balance_after from inserted) as balance_after,
      (select low_credit_threshold from updated) as threshold,
      (select id from existing) as existing_id,
      (select balance_after from existing) as existing_balance_after,
      (select delta from existing) as existing_delta,
      (select balance from organizations where id = ${movement.organizationId}) as current_balance`;
}

async function executeMovement(executor: Executor, movement: CreditMovement): Promise<CreditMovementResult> {
  const [row] = await queryRows<MovementRow>(executor, movementStatement(movement));
  if (!row) throw new Error("The credit movement statement returned no row");
  if (row.entry_id !== null && row.balance_after !== null) {
    const balance = toNumber(row.balance_after);
    return {
      status: "applied",
      entryId: toNumber(row.entry_id),
      balance,
      previousBalance: balance - movement.delta,
      lowCreditThreshold: toNumber(row.threshold!),
    };
  }
  if (row.existing_id !== null) {
    return {
      status: "duplicate",
      entryId: toNumber(row.existing_id),
      balance: toNumber(row.existing_balance_after!),
      delta: toNumber(row.existing_delta!),
    };
  }
  if (row.current_balance === null) throw new OrganizationNotFoundError(movement.organizationId);
  throw new InsufficientCreditsError(toNumber(row.current_balance));
}

function validate(movement: CreditMovement) {
  if (!Number.isSafeInteger(movement.delta) || movement.delta === 0) {
    throw new RangeError(`A credit movement needs a non-zero whole number of credits, got ${movement.delta}`);
  }
}

function changeOf(movement: CreditMovement, result: CreditMovementResult): CreditChange[] {
  if (result.status !== "applied") return [];
  return [
    {
      organizationId: movement.organizationId,
      entryId: result.entryId,
      delta: movement.delta,
      previousBalance: result.previousBalance,
      balance: result.balance,
      reason: movement.reason,
      lowCreditThreshold: result.lowCreditThreshold,
    },
  ];
}

/**
 * Applies a credit movement: the ledger row and the balance together, never below zero, at most once per
 * reference. On its own it is a single-statement transaction; inside `withTransaction` it joins the caller's
 * transaction and its listeners run after that commits. Throws InsufficientCreditsError when the balance
 * would go negative and OrganizationNotFoundError for an unknown organization.
 */
export async function applyCreditMovement(
  movement: CreditMovement,
  context?: TransactionContext,
): Promise<CreditMovementResult> {
  validate(movement);
  if (context) {
    // Lock first so that this transaction's next statement sees any movement with the same reference that
    // committed while it waited; without it, a racing duplicate would abort the caller's whole transaction.
    await context.tx.execute(sql`select 1 from organizations where id = ${movement.organizationId} for update`);
    const result = await executeMovement(context.tx, movement);
    const changes = changeOf(movement, result);
    context.afterCommit(() => notifyCreditsChanged(changes));
    return result;
  }
  let result: CreditMovementResult;
  try {
    result = await executeMovement(db, movement);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // A concurrent movement with the same reference committed first; this retry sees it as a duplicate.
    result = await executeMovement(db, movement);
  }
  await notifyCreditsChanged(changeOf(movement, result));
  return result;
}
