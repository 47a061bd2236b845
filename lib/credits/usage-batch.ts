import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { withTransaction } from "@/db/transaction";
import { isUniqueViolation } from "./errors";
import { notifyCreditsChanged, type CreditChange } from "./hooks";
import type { Defer, UsageDeduction, UsageOutcome } from "./usage-deduction";

type KeyRow = { id: string; key_hash: string; organization_id: string; revoked: boolean; expired: boolean; balance: string; threshold: string };
type ExistingRow = { api_key_id: string; request_id: string; id: string; body_hash: string; balance_after: string; occurred_at: string | Date };
type Applied = { usage: UsageDeduction; usageId: string; keyId: string; organizationId: string; balanceAfter: number };
type OrgState = { balance: number; initial: number; threshold: number };

const pairKey = (keyId: string, requestId: string) => `${keyId}\u0000${requestId}`;

/**
 * Decides every event in request order, per organization, against balances locked for the transaction:
 * the same answers the single route would give one by one, computed in memory instead of in 1,000 statements.
 */
function decide(events: UsageDeduction[], keys: Map<string, KeyRow>, orgs: Map<string, OrgState>, existing: Map<string, ExistingRow>) {
  const answers = new Map<string, { bodyHash: string; outcome: UsageOutcome }>();
  const applied: Applied[] = [];
  const outcomes = events.map((usage): UsageOutcome => {
    const key = keys.get(usage.keyHash);
    if (!key) return { status: "invalid_api_key" };
    const ids = { keyId: key.id, organizationId: key.organization_id };
    const pair = pairKey(key.id, usage.requestId);
    const earlier = existing.get(pair);
    if (earlier) {
      if (earlier.body_hash !== usage.bodyHash) return { status: "idempotency_conflict" };
      return { status: "duplicate", usageId: earlier.id, balance: Number(earlier.balance_after), occurredAt: new Date(earlier.occurred_at), ...ids };
    }
    const inBatch = answers.get(pair);
    if (inBatch) {
      if (inBatch.bodyHash !== usage.bodyHash) return { status: "idempotency_conflict" };
      return { ...inBatch.outcome, status: "duplicate" } as UsageOutcome;
    }
    if (key.revoked) return { status: "revoked_api_key" };
    if (key.expired) return { status: "expired_api_key" };
    const org = orgs.get(key.organization_id)!;
    if (org.balance < usage.credits) return { status: "insufficient_credits", balance: org.balance };
    org.balance -= usage.credits;
    const usageId = randomUUID();
    applied.push({ usage, usageId, ...ids, balanceAfter: org.balance });
    const outcome: UsageOutcome = { status: "applied", usageId, balance: org.balance, occurredAt: usage.occurredAt, ...ids };
    answers.set(pair, { bodyHash: usage.bodyHash, outcome });
    return outcome;
  });
  return { outcomes, applied };
}

const column = <T>(rows: Applied[], pick: (row: Applied) => T) => sql.param(rows.map(pick));

/** Writes every applied event set-based: one statement for the balances, the ledger rows and the usage rows. */
function writeStatement(applied: Applied[], orgs: Map<string, OrgState>) {
  const changed = [...orgs].filter(([, org]) => org.balance !== org.initial);
  return sql`
    with ev as (
      select * from unnest(
        ${column(applied, (row) => row.usageId)}::uuid[], ${column(applied, (row) => row.organizationId)}::uuid[],
        ${column(applied, (row) => row.keyId)}::uuid[], ${column(applied, (row) => row.usage.requestId)}::text[],
        ${column(applied, (row) => row.usage.credits)}::int[], ${column(applied, (row) => row.usage.endpoint)}::text[],
        ${column(applied, (row) => (row.usage.metadata ? JSON.stringify(row.usage.metadata) : null))}::jsonb[],
        ${column(applied, (row) => row.usage.bodyHash)}::text[], ${column(applied, (row) => row.balanceAfter)}::bigint[],
        ${column(applied, (row) => row.usage.occurredAt.toISOString())}::timestamptz[]
      ) with ordinality as t(id, organization_id, api_key_id, request_id, credits, endpoint, metadata, body_hash, balance_after, occurred_at, position)
    ),
    balances as (
      update organizations o set balance = f.balance, updated_at = now()
      from unnest(${sql.param(changed.map(([id]) => id))}::uuid[], ${sql.param(changed.map(([, org]) => org.balance))}::bigint[]) as f(id, balance)
      where o.id = f.id
      returning o.id
    ),
    ledger as (
      insert into credit_ledger (organization_id, delta, balance_after, reason, reference)
      select organization_id, -credits, balance_after, 'usage', 'usage:' || id from ev order by position
      returning id, organization_id
    ),
    events as (
      insert into usage_events (id, organization_id, api_key_id, request_id, credits, endpoint, metadata, body_hash, balance_after, occurred_at)
      select id, organization_id, api_key_id, request_id, credits, endpoint, metadata, body_hash, balance_after, occurred_at from ev
    )
    select organization_id, max(id) as entry_id from ledger group by organization_id`;
}

async function applyBatch(events: UsageDeduction[]) {
  return withTransaction(async ({ tx }) => {
    const hashes = [...new Set(events.map((event) => event.keyHash))];
    // Locks the organizations in id order (no deadlock between batches); their balances are then final for us.
    const keyRows = await queryRows<KeyRow>(tx, sql`
      select k.id, k.key_hash, k.organization_id, k.revoked_at is not null as revoked,
             coalesce(k.expires_at <= now(), false) as expired, o.balance, o.low_credit_threshold as threshold
      from api_keys k join organizations o on o.id = k.organization_id
      where k.key_hash = any(${sql.param(hashes)}::text[])
      order by o.id
      for update of o`);
    const keys = new Map(keyRows.map((row) => [row.key_hash, row]));
    const orgs = new Map(keyRows.map((row) => [row.organization_id, { balance: Number(row.balance), initial: Number(row.balance), threshold: Number(row.threshold) }]));
    const known = events.filter((event) => keys.has(event.keyHash));
    // A new statement, so a new snapshot taken after the locks: it sees every report committed before them.
    const existingRows = known.length === 0 ? [] : await queryRows<ExistingRow>(tx, sql`
      select e.api_key_id, e.request_id, e.id, e.body_hash, e.balance_after, e.occurred_at
      from usage_events e
      join unnest(${sql.param(known.map((event) => keys.get(event.keyHash)!.id))}::uuid[], ${sql.param(known.map((event) => event.requestId))}::text[]) as p(key_id, request_id)
        on e.api_key_id = p.key_id and e.request_id = p.request_id`);
    const existing = new Map(existingRows.map((row) => [pairKey(row.api_key_id, row.request_id), row]));
    const { outcomes, applied } = decide(events, keys, orgs, existing);
    const changes: CreditChange[] = [];
    if (applied.length > 0) {
      const entries = await queryRows<{ organization_id: string; entry_id: string }>(tx, writeStatement(applied, orgs));
      for (const entry of entries) {
        const org = orgs.get(entry.organization_id)!;
        changes.push({
          organizationId: entry.organization_id,
          entryId: Number(entry.entry_id),
          delta: org.balance - org.initial,
          previousBalance: org.initial,
          balance: org.balance,
          reason: "usage",
          lowCreditThreshold: org.threshold,
        });
      }
    }
    return { outcomes, changes };
  });
}

/**
 * Charges up to 1,000 usage reports in a handful of statements, each answered exactly as the single route
 * would answer it. Balance changes reach the listeners as one change per organization.
 */
export async function deductUsageBatch(events: UsageDeduction[], options: { defer?: Defer } = {}): Promise<UsageOutcome[]> {
  if (events.length === 0) return [];
  let result: Awaited<ReturnType<typeof applyBatch>>;
  try {
    result = await applyBatch(events);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // A single report with one of these requestIds committed in between; the retry answers it as a duplicate.
    result = await applyBatch(events);
  }
  const { changes } = result;
  if (changes.length > 0) {
    if (options.defer) options.defer(() => notifyCreditsChanged(changes));
    else await notifyCreditsChanged(changes);
  }
  return result.outcomes;
}
