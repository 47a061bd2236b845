import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { statementDeadline } from "@/db/clock";
import { queryPrepared } from "@/db/client";
import { isUniqueViolation } from "./errors";
import { notifyCreditsChanged, type CreditChange } from "./hooks";

/** One billable request as the usage routes hand it over: the key already hashed, the body already hashed. */
export type UsageDeduction = {
  keyHash: string;
  requestId: string;
  credits: number;
  endpoint: string | null;
  metadata: Record<string, unknown> | null;
  occurredAt: Date;
  bodyHash: string;
};

export type UsageOutcome =
  | { status: "applied" | "duplicate"; usageId: string; balance: number; occurredAt: Date; keyId: string; organizationId: string }
  | { status: "insufficient_credits"; balance: number }
  | { status: "invalid_api_key" | "revoked_api_key" | "expired_api_key" | "idempotency_conflict" }
  // Postgres refused the event's values although they passed validation: answered 400, never retried as is.
  | { status: "invalid_request"; sqlState: string };

/**
 * The SQLSTATE and Postgres's message when a statement failed on the values it was given rather than on the
 * database's state: class 22 (data exception), 23 (integrity constraint violation) and 54 (program limit
 * exceeded, e.g. too deep). Retried as it is, such a statement fails again; the events in it are the cause.
 */
export function dataError(error: unknown): { sqlState: string; message: string } | undefined {
  // drizzle wraps the driver's error in its own, with the driver's as `cause`.
  for (let current = error as { code?: unknown; message?: string; cause?: unknown } | undefined, depth = 0; current && depth < 4; depth++) {
    if (typeof current.code === "string" && /^[0-9A-Z]{5}$/.test(current.code)) {
      return /^(22|23|54)/.test(current.code) ? { sqlState: current.code, message: current.message ?? "" } : undefined;
    }
    current = current.cause as typeof current;
  }
  return undefined;
}

/** Runs a follow-up (listeners) later, e.g. Next's `after`; by default it is awaited before returning. */
export type Defer = (task: () => Promise<void>) => void;

/** The row the deduction statement answers with (bench/floor-server.ts reads it too). */
export type DeductionRow = {
  key_id: string | null;
  organization_id: string | null;
  revoked: boolean | null;
  expired: boolean | null;
  entry_id: string | number | null;
  balance: string | number | null;
  threshold: string | number | null;
  existing_id: string | null;
  existing_body_hash: string | null;
  existing_balance: string | number | null;
  existing_occurred_at: Date | string | null;
  current_balance: string | number | null;
  late: boolean | null;
};

/**
 * The statement began after its deadline: its client has given up (or is about to) and answered 503, so it
 * changed nothing, as that answer says. 57014 is Postgres's own code for a statement cancelled by its
 * timeout, which the service routes answer as unavailable.
 */
export class StatementDeadlineError extends Error {
  readonly code = "57014";
  constructor() {
    super("The usage deduction began after its deadline; nothing was changed");
    this.name = "StatementDeadlineError";
  }
}

/**
 * The whole report in one statement, so one round trip: find the key, find an earlier report with the same
 * requestId, take the credits only if the key is usable, the report is new and the balance stays >= 0
 * (Postgres re-checks that after waiting for a concurrent writer's row lock), then write the ledger row and
 * the usage row (the dedupe marker) from the updated balance, and count it in its day's rollup. One statement is one transaction: the marker
 * never exists without its deduction, nor the other way round. A statement that begins after its deadline
 * (a stalled server resuming the statement of a client that gave up) changes nothing.
 */
export function deductionStatement(usage: UsageDeduction, usageId: string, deadline: string | null) {
  const metadata = usage.metadata ? JSON.stringify(usage.metadata) : null;
  return sql`
    with k as (
      select id, organization_id, revoked_at, expires_at from api_keys where key_hash = ${usage.keyHash}
    ),
    existing as (
      select id, body_hash, balance_after, occurred_at from usage_events
      where api_key_id = (select id from k) and request_id = ${usage.requestId}::text
    ),
    updated as (
      update organizations o set balance = o.balance - ${usage.credits}::bigint, updated_at = now()
      from k
      where o.id = k.organization_id and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())
        and o.balance >= ${usage.credits}::bigint and not exists (select 1 from existing)
        and (${deadline}::timestamptz is null or clock_timestamp() <= ${deadline}::timestamptz)
      returning o.id, o.balance, o.low_credit_threshold
    ),
    ledger as (
      insert into credit_ledger (organization_id, delta, balance_after, reason, reference)
      select id, ${-usage.credits}::bigint, balance, 'usage', ${`usage:${usageId}`}::text from updated
      returning id
    ),
    ev as (
      insert into usage_events (id, organization_id, api_key_id, request_id, credits, endpoint, metadata, body_hash, balance_after, occurred_at)
      select ${usageId}::uuid, updated.id, k.id, ${usage.requestId}::text, ${usage.credits}::int, ${usage.endpoint}::text, ${metadata}::jsonb,
             ${usage.bodyHash}::text, updated.balance, ${usage.occurredAt.toISOString()}::timestamptz
      from updated, k
      returning id
    ),
    rollup as (
      insert into usage_daily (organization_id, day, api_key_id, endpoint, requests, credits)
      select updated.id, (${usage.occurredAt.toISOString()}::timestamptz at time zone 'UTC')::date, k.id, coalesce(${usage.endpoint}::text, ''),
             1, ${usage.credits}::bigint
      from updated, k
      on conflict (organization_id, day, api_key_id, endpoint)
      do update set requests = usage_daily.requests + excluded.requests, credits = usage_daily.credits + excluded.credits
    )
    select
      (select id from k) as key_id,
      (select organization_id from k) as organization_id,
      (select revoked_at is not null from k) as revoked,
      (select expires_at <= now() from k) as expired,
      (select id from ledger) as entry_id,
      (select balance from updated) as balance,
      (select low_credit_threshold from updated) as threshold,
      (select id from existing) as existing_id,
      (select body_hash from existing) as existing_body_hash,
      (select balance_after from existing) as existing_balance,
      (select occurred_at from existing) as existing_occurred_at,
      (select balance from organizations where id = (select organization_id from k)) as current_balance,
      (${deadline}::timestamptz is not null and clock_timestamp() > ${deadline}::timestamptz) as late`;
}

function interpret(usage: UsageDeduction, usageId: string, row: DeductionRow): { outcome: UsageOutcome; change?: CreditChange } {
  if (row.key_id === null || row.organization_id === null) return { outcome: { status: "invalid_api_key" } };
  const ids = { keyId: row.key_id, organizationId: row.organization_id };
  if (row.existing_id !== null) {
    if (row.existing_body_hash !== usage.bodyHash) return { outcome: { status: "idempotency_conflict" } };
    const occurredAt = new Date(row.existing_occurred_at!);
    return { outcome: { status: "duplicate", usageId: row.existing_id, balance: Number(row.existing_balance), occurredAt, ...ids } };
  }
  if (row.late && row.entry_id === null) throw new StatementDeadlineError();
  if (row.revoked) return { outcome: { status: "revoked_api_key" } };
  if (row.expired) return { outcome: { status: "expired_api_key" } };
  if (row.entry_id === null || row.balance === null) {
    return { outcome: { status: "insufficient_credits", balance: Number(row.current_balance ?? 0) } };
  }
  const balance = Number(row.balance);
  return {
    outcome: { status: "applied", usageId, balance, occurredAt: usage.occurredAt, ...ids },
    change: {
      organizationId: row.organization_id,
      entryId: Number(row.entry_id),
      delta: -usage.credits,
      previousBalance: balance + usage.credits,
      balance,
      reason: "usage",
      lowCreditThreshold: Number(row.threshold),
    },
  };
}

async function execute(usage: UsageDeduction) {
  const usageId = randomUUID();
  const [row] = await queryPrepared<DeductionRow>("usage_deduction", deductionStatement(usage, usageId, statementDeadline()));
  if (!row) throw new Error("The usage deduction statement returned no row");
  return interpret(usage, usageId, row);
}

/**
 * How often a concurrent duplicate made a statement fail on the unique index and be retried. The branch runs
 * only when two reports race, so a test that means to race reads this to show that it did.
 */
export const usageDeductionStats = { uniqueViolationRetries: 0, batchUniqueViolationRetries: 0 };

/**
 * Charges one usage report, at most once per key + requestId, never below zero. Reports its balance change
 * through the ledger's after-commit listeners (Redis mirror, low-credit alerts), via `defer` when given.
 */
export async function deductForUsage(usage: UsageDeduction, options: { defer?: Defer } = {}): Promise<UsageOutcome> {
  let result: Awaited<ReturnType<typeof execute>>;
  try {
    try {
      result = await execute(usage);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // The same requestId committed concurrently; the statement was rolled back whole, and the retry sees it.
      usageDeductionStats.uniqueViolationRetries += 1;
      result = await execute(usage);
    }
    if (result.outcome.status === "insufficient_credits") {
      // The statement's snapshot predates a racing report that committed while it waited for the row lock:
      // that report may be this very requestId (then the answer is its duplicate, never a 402), and the
      // balance it read is stale. A fresh statement sees both; a real 402 costs one more round trip.
      result = await execute(usage);
    }
  } catch (error) {
    const refused = dataError(error);
    if (!refused) throw error;
    console.warn(`[usage] the database refused a report that passed validation (SQLSTATE ${refused.sqlState}): ${refused.message}`);
    return { status: "invalid_request", sqlState: refused.sqlState };
  }
  if (result.change) {
    const changes = [result.change];
    if (options.defer) options.defer(() => notifyCreditsChanged(changes));
    else await notifyCreditsChanged(changes);
  }
  return result.outcome;
}
