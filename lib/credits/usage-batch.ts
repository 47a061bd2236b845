import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { statementDeadline } from "@/db/clock";
import { queryRows, type Transaction } from "@/db/client";
import { withTransaction } from "@/db/transaction";
import { isUniqueViolation } from "./errors";
import { notifyCreditsChanged, type CreditChange } from "./hooks";
import { dataError, StatementDeadlineError, usageDeductionStats, type Defer, type UsageDeduction, type UsageOutcome } from "./usage-deduction";

type KeyRow = { id: string; key_hash: string; organization_id: string; revoked: boolean; expired: boolean };
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

const column = <Row, T>(rows: Row[], pick: (row: Row) => T) => sql.param(rows.map(pick));

type DailyRollup = { organizationId: string; day: string; keyId: string; endpoint: string; requests: number; credits: number };

/** The batch's applied events summed per rollup row: an upsert may touch each row only once per statement. */
function dailyRollups(applied: Applied[]): DailyRollup[] {
  const rollups = new Map<string, DailyRollup>();
  for (const row of applied) {
    const day = row.usage.occurredAt.toISOString().slice(0, 10);
    const endpoint = row.usage.endpoint ?? "";
    const id = JSON.stringify([row.organizationId, day, row.keyId, endpoint]);
    const rollup = rollups.get(id) ?? { organizationId: row.organizationId, day, keyId: row.keyId, endpoint, requests: 0, credits: 0 };
    rollup.requests += 1;
    rollup.credits += row.usage.credits;
    rollups.set(id, rollup);
  }
  return [...rollups.values()];
}

/**
 * Writes every applied event set-based, in one statement: the balances, one ledger row per organization for
 * the whole batch (usage_events keeps each request), the usage rows and their daily rollups. Fewer rows written means a shorter
 * hold on the organizations' row locks, which concurrent batches queue behind.
 */
function writeStatement(applied: Applied[], orgs: Map<string, OrgState>, batchId: string, deadline: string | null) {
  const changed = [...orgs].filter(([, org]) => org.balance !== org.initial);
  const eventCounts = new Map<string, number>();
  for (const row of applied) eventCounts.set(row.organizationId, (eventCounts.get(row.organizationId) ?? 0) + 1);
  const rollups = dailyRollups(applied);
  return sql`
    with go as (
      -- Evaluated once (clock_timestamp() is volatile, so this is never inlined): all of the batch or none of it.
      select (${deadline}::timestamptz is null or clock_timestamp() <= ${deadline}::timestamptz) as ok
    ),
    f as (
      select t.* from go, unnest(
        ${sql.param(changed.map(([id]) => id))}::uuid[], ${sql.param(changed.map(([, org]) => org.balance))}::bigint[],
        ${sql.param(changed.map(([, org]) => org.balance - org.initial))}::bigint[],
        ${sql.param(changed.map(([id]) => JSON.stringify({ events: eventCounts.get(id) })))}::jsonb[]
      ) as t(id, balance, delta, metadata)
      where go.ok
    ),
    balances as (
      update organizations o set balance = f.balance, updated_at = now() from f where o.id = f.id returning o.id
    ),
    ledger as (
      insert into credit_ledger (organization_id, delta, balance_after, reason, reference, metadata)
      select id, delta, balance, 'usage', ${`usage-batch:${batchId}`}::text, metadata from f
      returning id, organization_id
    ),
    events as (
      insert into usage_events (id, organization_id, api_key_id, request_id, credits, endpoint, metadata, body_hash, balance_after, occurred_at)
      select * from unnest(
        ${column(applied, (row) => row.usageId)}::uuid[], ${column(applied, (row) => row.organizationId)}::uuid[],
        ${column(applied, (row) => row.keyId)}::uuid[], ${column(applied, (row) => row.usage.requestId)}::text[],
        ${column(applied, (row) => row.usage.credits)}::int[], ${column(applied, (row) => row.usage.endpoint)}::text[],
        ${column(applied, (row) => (row.usage.metadata ? JSON.stringify(row.usage.metadata) : null))}::jsonb[],
        ${column(applied, (row) => row.usage.bodyHash)}::text[], ${column(applied, (row) => row.balanceAfter)}::bigint[],
        ${column(applied, (row) => row.usage.occurredAt.toISOString())}::timestamptz[]
      ) where (select ok from go)
    ),
    rollup as (
      insert into usage_daily (organization_id, day, api_key_id, endpoint, requests, credits)
      select * from unnest(
        ${column(rollups, (row) => row.organizationId)}::uuid[], ${column(rollups, (row) => row.day)}::date[],
        ${column(rollups, (row) => row.keyId)}::uuid[], ${column(rollups, (row) => row.endpoint)}::text[],
        ${column(rollups, (row) => row.requests)}::bigint[], ${column(rollups, (row) => row.credits)}::bigint[]
      ) where (select ok from go)
      on conflict (organization_id, day, api_key_id, endpoint)
      do update set requests = usage_daily.requests + excluded.requests, credits = usage_daily.credits + excluded.credits
    )
    select organization_id, id as entry_id from ledger`;
}

type LockedOrgRow = { id: string; balance: string; threshold: string };

async function readKeys(tx: Transaction, events: UsageDeduction[]) {
  const hashes = [...new Set(events.map((event) => event.keyHash))];
  const keyRows = await queryRows<KeyRow>(tx, sql`
    select id, key_hash, organization_id, revoked_at is not null as revoked, coalesce(expires_at <= now(), false) as expired
    from api_keys where key_hash = any(${sql.param(hashes)}::text[])`);
  return new Map(keyRows.map((row) => [row.key_hash, row]));
}

async function readEarlierReports(tx: Transaction, events: UsageDeduction[], keys: Map<string, KeyRow>) {
  const known = events.filter((event) => keys.has(event.keyHash));
  if (known.length === 0) return new Map<string, ExistingRow>();
  const rows = await queryRows<ExistingRow>(tx, sql`
    select e.api_key_id, e.request_id, e.id, e.body_hash, e.balance_after, e.occurred_at
    from usage_events e
    join unnest(${sql.param(known.map((event) => keys.get(event.keyHash)!.id))}::uuid[], ${sql.param(known.map((event) => event.requestId))}::text[]) as p(key_id, request_id)
      on e.api_key_id = p.key_id and e.request_id = p.request_id`);
  return new Map(rows.map((row) => [pairKey(row.api_key_id, row.request_id), row]));
}

/** Locks the organizations in id order (no deadlock between batches); the balances read with them are final. */
async function lockOrganizations(tx: Transaction, keys: Map<string, KeyRow>) {
  const organizationIds = [...new Set([...keys.values()].map((key) => key.organization_id))];
  const rows = await queryRows<LockedOrgRow>(tx, sql`
    select id, balance, low_credit_threshold as threshold from organizations
    where id = any(${sql.param(organizationIds)}::uuid[]) order by id for update`);
  return new Map(rows.map((row) => [row.id, { balance: Number(row.balance), initial: Number(row.balance), threshold: Number(row.threshold) }]));
}

/**
 * Concurrent batches queue on the organization locks, so by default the earlier reports are read before
 * taking them, and the locks are held for the write alone. A report with one of our requestIds that commits
 * in between makes the write fail on the unique index; the retry then reads after locking, which no report
 * for these organizations can slip past (every usage write holds its organization's lock).
 */
async function applyBatch(events: UsageDeduction[], readAfterLocking: boolean) {
  const deadline = statementDeadline();
  return withTransaction(async ({ tx }) => {
    const keys = await readKeys(tx, events);
    let existing: Map<string, ExistingRow>;
    let orgs: Map<string, OrgState>;
    if (readAfterLocking) {
      orgs = await lockOrganizations(tx, keys);
      existing = await readEarlierReports(tx, events, keys);
    } else {
      existing = await readEarlierReports(tx, events, keys);
      orgs = await lockOrganizations(tx, keys);
    }
    let { outcomes, applied } = decide(events, keys, orgs, existing);
    if (!readAfterLocking && outcomes.some((outcome) => outcome.status === "insufficient_credits")) {
      // A single report that committed between the read and the lock spent these credits, and may carry one
      // of these requestIds: its event is a duplicate, never a 402. Under the locks nothing more can slip in.
      existing = await readEarlierReports(tx, events, keys);
      for (const org of orgs.values()) org.balance = org.initial;
      ({ outcomes, applied } = decide(events, keys, orgs, existing));
    }
    const changes: CreditChange[] = [];
    if (applied.length > 0) {
      const entries = await queryRows<{ organization_id: string; entry_id: string }>(tx, writeStatement(applied, orgs, randomUUID(), deadline));
      // The write began after its deadline, so it wrote nothing: the transaction rolls back and its callers, who
      // may have been answered 503 already, find nothing recorded.
      if (entries.length === 0) throw new StatementDeadlineError();
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

type BatchResult = Awaited<ReturnType<typeof applyBatch>>;

/**
 * Validation keeps out every value we know Postgres refuses, but one statement writes the whole batch, so a
 * value we did not foresee would fail all of it. When Postgres refuses the batch on its data, it is split in
 * two and each half applied in turn, down to the events that fail alone: those are answered invalid_request,
 * every other event is applied exactly once. A failed attempt rolls back whole, and the halves run one after
 * the other in request order, so each organization's events are still decided in order, as the single route
 * would decide them one by one.
 */
async function applyOrBisect(events: UsageDeduction[], readAfterLocking: boolean): Promise<BatchResult> {
  try {
    return await applyBatch(events, readAfterLocking);
  } catch (error) {
    // A report with one of these requestIds committed in between; the retry answers it as a duplicate.
    if (!readAfterLocking && isUniqueViolation(error)) {
      usageDeductionStats.batchUniqueViolationRetries += 1;
      return applyOrBisect(events, true);
    }
    const refused = dataError(error);
    if (!refused) throw error;
    if (events.length === 1) {
      console.warn(`[usage] the database refused a batch event that passed validation (SQLSTATE ${refused.sqlState}): ${refused.message}`);
      return { outcomes: [{ status: "invalid_request", sqlState: refused.sqlState }], changes: [] };
    }
    const middle = Math.ceil(events.length / 2);
    const first = await applyOrBisect(events.slice(0, middle), readAfterLocking);
    const second = await applyOrBisect(events.slice(middle), readAfterLocking);
    return { outcomes: [...first.outcomes, ...second.outcomes], changes: [...first.changes, ...second.changes] };
  }
}

/**
 * Charges up to 1,000 usage reports in a handful of statements, each answered exactly as the single route
 * would answer it. Balance changes reach the listeners as one change per organization and transaction.
 */
export async function deductUsageBatch(events: UsageDeduction[], options: { defer?: Defer } = {}): Promise<UsageOutcome[]> {
  if (events.length === 0) return [];
  const { outcomes, changes } = await applyOrBisect(events, false);
  if (changes.length > 0) {
    if (options.defer) options.defer(() => notifyCreditsChanged(changes));
    else await notifyCreditsChanged(changes);
  }
  return outcomes;
}
