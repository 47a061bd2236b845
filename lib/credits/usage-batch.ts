import { randomUUID } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { plainArrayLiteral, textArrayLiteral } from "@/db/array-literal";
import { statementDeadline } from "@/db/clock";
import { queryPrepared, queryRows, type Transaction } from "@/db/client";
import { withTransaction } from "@/db/transaction";
import { isUniqueViolation } from "./errors";
import { notifyCreditsChanged, type CreditChange } from "./hooks";
import { dataError, StatementDeadlineError, usageDeductionStats, type Defer, type UsageDeduction, type UsageOutcome } from "./usage-deduction";

type KeyRow = { id: string; key_hash: string; organization_id: string; revoked: boolean; expired: boolean };
type ExistingRow = { api_key_id: string; request_id: string; id: string; body_hash: string; balance_after: string; occurred_at: string | Date };
/** An event to charge; `spent` is what the batch takes from its organization up to and including it. */
type Applied = { usage: UsageDeduction; usageId: string; keyId: string; organizationId: string; spent: number };
type Decision = { outcome: UsageOutcome } | { applied: number } | { repeatOf: number };
type OrgState = { balance: number; threshold: number };
type BatchResult = { outcomes: UsageOutcome[]; changes: CreditChange[] };

const pairKey = (keyId: string, requestId: string) => `${keyId}\u0000${requestId}`;

/**
 * Decides every event in request order, per organization, the way the single route would answer them one by
 * one: against the balances `available` gives (locked for the transaction, or unlimited when guessing) and
 * the earlier reports in `existing`. `blocked` says an event was refused for a reason that an earlier report
 * of its requestId would override (a duplicate is answered as such even once its key is revoked).
 */
function decide(events: UsageDeduction[], keys: Map<string, KeyRow>, existing: Map<string, ExistingRow>, available: (organizationId: string) => number) {
  const spentBy = new Map<string, number>();
  const firstInBatch = new Map<string, { bodyHash: string; applied: number }>();
  const applied: Applied[] = [];
  let blocked = false;
  const decisions = events.map((usage): Decision => {
    const key = keys.get(usage.keyHash);
    if (!key) return { outcome: { status: "invalid_api_key" } };
    const ids = { keyId: key.id, organizationId: key.organization_id };
    const pair = pairKey(key.id, usage.requestId);
    const earlier = existing.get(pair);
    if (earlier) {
      if (earlier.body_hash !== usage.bodyHash) return { outcome: { status: "idempotency_conflict" } };
      return { outcome: { status: "duplicate", usageId: earlier.id, balance: Number(earlier.balance_after), occurredAt: new Date(earlier.occurred_at), ...ids } };
    }
    const inBatch = firstInBatch.get(pair);
    if (inBatch) return inBatch.bodyHash === usage.bodyHash ? { repeatOf: inBatch.applied } : { outcome: { status: "idempotency_conflict" } };
    if (key.revoked || key.expired) {
      blocked = true;
      return { outcome: { status: key.revoked ? "revoked_api_key" : "expired_api_key" } };
    }
    const spentBefore = spentBy.get(key.organization_id) ?? 0;
    const left = available(key.organization_id) - spentBefore;
    if (left < usage.credits) {
      blocked = true;
      return { outcome: { status: "insufficient_credits", balance: left } };
    }
    const spent = spentBefore + usage.credits;
    spentBy.set(key.organization_id, spent);
    applied.push({ usage, usageId: randomUUID(), ...ids, spent });
    firstInBatch.set(pair, { bodyHash: usage.bodyHash, applied: applied.length - 1 });
    return { applied: applied.length - 1 };
  });
  return { decisions, applied, blocked, spentBy };
}

/** The answers, once each organization's balance before the batch is known. */
function outcomesOf(decisions: Decision[], applied: Applied[], balanceBefore: (organizationId: string) => number): UsageOutcome[] {
  const appliedOutcome = (row: Applied, status: "applied" | "duplicate"): UsageOutcome => ({
    status,
    usageId: row.usageId,
    balance: balanceBefore(row.organizationId) - row.spent,
    occurredAt: row.usage.occurredAt,
    keyId: row.keyId,
    organizationId: row.organizationId,
  });
  return decisions.map((decision) => {
    if ("outcome" in decision) return decision.outcome;
    if ("applied" in decision) return appliedOutcome(applied[decision.applied]!, "applied");
    return appliedOutcome(applied[decision.repeatOf]!, "duplicate");
  });
}

// The batch's columns as array parameters: `plain` for what this process made or read (ids, numbers, times),
// `text` for what a client sent.
const plain = <Row>(rows: Row[], pick: (row: Row) => string | number) => sql.param(plainArrayLiteral(rows.map(pick)));
const text = <Row>(rows: Row[], pick: (row: Row) => string | null) => sql.param(textArrayLiteral(rows.map(pick)));

type DailyRollup = { organizationId: string; day: string; keyId: string; endpoint: string; requests: number; credits: number };

/** The batch's applied events summed per rollup row: an upsert may touch each row only once per statement. */
function dailyRollups(applied: Applied[]): DailyRollup[] {
  const rollups = new Map<string, DailyRollup>();
  // The events of a batch fall on a day or two: each UTC day is formatted once.
  const days = new Map<number, string>();
  for (const row of applied) {
    const dayNumber = Math.floor(row.usage.occurredAt.getTime() / 86_400_000);
    let day = days.get(dayNumber);
    if (day === undefined) days.set(dayNumber, (day = row.usage.occurredAt.toISOString().slice(0, 10)));
    const endpoint = row.usage.endpoint ?? "";
    const id = `${row.organizationId}\u0000${day}\u0000${row.keyId}\u0000${endpoint}`;
    const rollup = rollups.get(id) ?? { organizationId: row.organizationId, day, keyId: row.keyId, endpoint, requests: 0, credits: 0 };
    rollup.requests += 1;
    rollup.credits += row.usage.credits;
    rollups.set(id, rollup);
  }
  return [...rollups.values()];
}

/**
 * The usage rows, each with its balance after: the organization's balance in `balances` less what it spent.
 * Reports without occurredAt share the time they were received, so a time equal to the first row's is sent
 * once, not once per row (parsing 500 timestamps was a tenth of the statement's bind).
 */
function insertUsageEvents(applied: Applied[], balances: SQL, condition: SQL) {
  const common = applied[0]!.usage.occurredAt;
  const occurredAt = (row: Applied) => (row.usage.occurredAt.getTime() === common.getTime() ? null : row.usage.occurredAt.toISOString());
  return sql`
    insert into usage_events (id, organization_id, api_key_id, request_id, credits, endpoint, metadata, body_hash, balance_after, occurred_at)
    select e.id, e.organization_id, e.api_key_id, e.request_id, e.credits, e.endpoint, e.metadata, e.body_hash, b.balance - e.spent,
           coalesce(e.occurred_at, (select ${common.toISOString()}::timestamptz))
    from unnest(
      ${plain(applied, (row) => row.usageId)}::uuid[], ${plain(applied, (row) => row.organizationId)}::uuid[],
      ${plain(applied, (row) => row.keyId)}::uuid[], ${text(applied, (row) => row.usage.requestId)}::text[],
      ${plain(applied, (row) => row.usage.credits)}::int[], ${text(applied, (row) => row.usage.endpoint)}::text[],
      ${text(applied, (row) => (row.usage.metadata ? JSON.stringify(row.usage.metadata) : null))}::jsonb[],
      ${plain(applied, (row) => row.usage.bodyHash)}::text[], ${plain(applied, (row) => row.spent)}::bigint[],
      ${text(applied, occurredAt)}::timestamptz[]
    ) as e(id, organization_id, api_key_id, request_id, credits, endpoint, metadata, body_hash, spent, occurred_at)
    join ${balances} b on b.id = e.organization_id
    where ${condition}`;
}

function upsertRollups(applied: Applied[], condition: SQL) {
  const rollups = dailyRollups(applied);
  return sql`
    insert into usage_daily (organization_id, day, api_key_id, endpoint, requests, credits)
    select * from unnest(
      ${plain(rollups, (row) => row.organizationId)}::uuid[], ${plain(rollups, (row) => row.day)}::date[],
      ${plain(rollups, (row) => row.keyId)}::uuid[], ${text(rollups, (row) => row.endpoint)}::text[],
      ${plain(rollups, (row) => row.requests)}::bigint[], ${plain(rollups, (row) => row.credits)}::bigint[]
    ) where ${condition}
    on conflict (organization_id, day, api_key_id, endpoint)
    do update set requests = usage_daily.requests + excluded.requests, credits = usage_daily.credits + excluded.credits`;
}

/** What each organization's ledger row says: one row per organization for the batch (usage_events keeps each request). */
function perOrganization(spentBy: Map<string, number>, applied: Applied[]) {
  const eventCounts = new Map<string, number>();
  for (const row of applied) eventCounts.set(row.organizationId, (eventCounts.get(row.organizationId) ?? 0) + 1);
  const ids = [...spentBy.keys()].sort();
  return {
    sortedIds: ids,
    ids: sql.param(ids),
    spent: sql.param(ids.map((id) => spentBy.get(id)!)),
    metadata: sql.param(ids.map((id) => JSON.stringify({ events: eventCounts.get(id) }))),
  };
}

// Evaluated once (clock_timestamp() is volatile, so this is never inlined): all of a statement or none of it.
const onTime = (deadline: string | null) =>
  sql`select (${deadline}::timestamptz is null or clock_timestamp() <= ${deadline}::timestamptz) as ok`;

const selectKeys = (events: UsageDeduction[]) => sql`
  select id, key_hash, organization_id, revoked_at is not null as revoked, coalesce(expires_at <= now(), false) as expired
  from api_keys where key_hash = any(${sql.param(plainArrayLiteral([...new Set(events.map((event) => event.keyHash))]))}::text[])`;

const keysByHash = (rows: KeyRow[]) => new Map(rows.map((row) => [row.key_hash, row]));

type GuessRow = { id: string | null; balance: string | null; threshold: string | null; entry_id: string | null; fits: boolean | null; on_time: boolean };

/**
 * The common case, one statement on its own (autocommit): every event's key is usable and every
 * organization has the credits for all of its events. The decisions then do not depend on the exact
 * balances, so they are made before any lock is taken, and the statement locks the organizations in id
 * order, checks that each balance covers the batch, and writes the balances, ledger rows, usage rows and
 * rollups, holding the locks for its own execution only. An earlier report of one of these requestIds makes
 * the insert fail on the unique index; a balance that does not cover the batch writes nothing. Either way,
 * and whenever an event is refused, the batch is decided again by the transaction below.
 */
async function applyGuessing(events: UsageDeduction[]): Promise<BatchResult | null> {
  const deadline = statementDeadline();
  const keys = keysByHash(await queryPrepared<KeyRow>("usage_batch_keys", selectKeys(events)));
  const { decisions, applied, blocked, spentBy } = decide(events, keys, new Map(), () => Number.POSITIVE_INFINITY);
  if (blocked) return null;
  if (applied.length === 0) return { outcomes: outcomesOf(decisions, applied, () => 0), changes: [] };
  const organizations = perOrganization(spentBy, applied);
  const fits = sql`(select ok from fits)`;
  const rows = await queryPrepared<GuessRow>("usage_batch_guessing", sql`
    with go as (${onTime(deadline)}),
    locked as (
      select o.id, o.balance, o.low_credit_threshold as threshold from organizations o
      where o.id = any(${organizations.ids}::uuid[]) and (select ok from go) order by o.id for update
    ),
    need as (
      select * from unnest(${organizations.ids}::uuid[], ${organizations.spent}::bigint[], ${organizations.metadata}::jsonb[]) as n(id, spent, metadata)
    ),
    fits as (
      select count(*) = (select count(*) from need) and coalesce(bool_and(l.balance >= n.spent), false) as ok
      from locked l join need n on n.id = l.id
    ),
    balances as (
      update organizations o set balance = l.balance - n.spent, updated_at = now()
      from locked l join need n on n.id = l.id
      where o.id = l.id and ${fits}
      returning o.id
    ),
    ledger as (
      insert into credit_ledger (organization_id, delta, balance_after, reason, reference, metadata)
      select l.id, -n.spent, l.balance - n.spent, 'usage', ${`usage-batch:${randomUUID()}`}::text, n.metadata
      from locked l join need n on n.id = l.id join balances b on b.id = l.id
      returning id, organization_id
    ),
    events as (${insertUsageEvents(applied, sql`locked`, fits)}),
    rollup as (${upsertRollups(applied, fits)})
    select l.id, l.balance, l.threshold, ledger.id as entry_id, (select ok from fits) as fits, go.ok as on_time
    from go left join (locked l left join ledger on ledger.organization_id = l.id) on true`);
  if (!rows[0]!.on_time) throw new StatementDeadlineError();
  if (!rows[0]!.fits) return null;
  const before = new Map(rows.map((row) => [row.id!, { balance: Number(row.balance), threshold: Number(row.threshold), entryId: Number(row.entry_id) }]));
  const changes = [...spentBy].map(([organizationId, spent]): CreditChange => {
    const org = before.get(organizationId)!;
    return { organizationId, entryId: org.entryId, delta: -spent, previousBalance: org.balance, balance: org.balance - spent, reason: "usage", lowCreditThreshold: org.threshold };
  });
  return { outcomes: outcomesOf(decisions, applied, (id) => before.get(id)!.balance), changes };
}

/**
 * Writes every applied event set-based, in one statement, under the organization locks the transaction
 * holds: the balances, one ledger row per organization, the usage rows and their daily rollups.
 */
function writeStatement(applied: Applied[], spentBy: Map<string, number>, orgs: Map<string, OrgState>, deadline: string | null) {
  const organizations = perOrganization(spentBy, applied);
  const ok = sql`(select ok from go)`;
  const before = organizations.sortedIds.map((id) => orgs.get(id)!.balance);
  return sql`
    with go as (${onTime(deadline)}),
    f as (
      select t.* from unnest(${organizations.ids}::uuid[], ${sql.param(before)}::bigint[], ${organizations.spent}::bigint[], ${organizations.metadata}::jsonb[])
        as t(id, balance, spent, metadata)
      where ${ok}
    ),
    balances as (
      update organizations o set balance = f.balance - f.spent, updated_at = now() from f where o.id = f.id returning o.id
    ),
    ledger as (
      insert into credit_ledger (organization_id, delta, balance_after, reason, reference, metadata)
      select id, -spent, balance - spent, 'usage', ${`usage-batch:${randomUUID()}`}::text, metadata from f
      returning id, organization_id
    ),
    events as (${insertUsageEvents(applied, sql`f`, ok)}),
    rollup as (${upsertRollups(applied, ok)})
    select organization_id, id as entry_id from ledger`;
}

type LockedOrgRow = { id: string; balance: string; threshold: string };

async function readEarlierReports(tx: Transaction, events: UsageDeduction[], keys: Map<string, KeyRow>) {
  const known = events.filter((event) => keys.has(event.keyHash));
  if (known.length === 0) return new Map<string, ExistingRow>();
  // One index probe per event: a hash join would read the whole table.
  const rows = await queryRows<ExistingRow>(tx, sql`
    select p.key_id as api_key_id, p.request_id, e.id, e.body_hash, e.balance_after, e.occurred_at
    from unnest(${sql.param(known.map((event) => keys.get(event.keyHash)!.id))}::uuid[], ${sql.param(known.map((event) => event.requestId))}::text[]) as p(key_id, request_id)
    cross join lateral (
      select id, body_hash, balance_after, occurred_at from usage_events
      where api_key_id = p.key_id and request_id = p.request_id limit 1
    ) e`);
  return new Map(rows.map((row) => [pairKey(row.api_key_id, row.request_id), row]));
}

/** Locks the organizations in id order (no deadlock between batches); the balances read with them are final. */
async function lockOrganizations(tx: Transaction, keys: Map<string, KeyRow>) {
  const organizationIds = [...new Set([...keys.values()].map((key) => key.organization_id))];
  const rows = await queryRows<LockedOrgRow>(tx, sql`
    select id, balance, low_credit_threshold as threshold from organizations
    where id = any(${sql.param(organizationIds)}::uuid[]) order by id for update`);
  return new Map(rows.map((row) => [row.id, { balance: Number(row.balance), threshold: Number(row.threshold) }]));
}

/**
 * The general case, in a transaction. Concurrent batches queue on the organization locks, so by default the
 * earlier reports are read before taking them, and the locks are held for the write alone. A report with
 * one of our requestIds that commits in between makes the write fail on the unique index; the retry then
 * reads after locking, which no report for these organizations can slip past (every usage write holds its
 * organization's lock).
 */
async function applyLocked(events: UsageDeduction[], readAfterLocking: boolean): Promise<BatchResult> {
  const deadline = statementDeadline();
  return withTransaction(async ({ tx }) => {
    const keys = keysByHash(await queryRows<KeyRow>(tx, selectKeys(events)));
    let existing: Map<string, ExistingRow>;
    let orgs: Map<string, OrgState>;
    if (readAfterLocking) {
      orgs = await lockOrganizations(tx, keys);
      existing = await readEarlierReports(tx, events, keys);
    } else {
      existing = await readEarlierReports(tx, events, keys);
      orgs = await lockOrganizations(tx, keys);
    }
    const available = (id: string) => orgs.get(id)!.balance;
    let decided = decide(events, keys, existing, available);
    if (!readAfterLocking && decided.decisions.some((decision) => "outcome" in decision && decision.outcome.status === "insufficient_credits")) {
      // A single report that committed between the read and the lock spent these credits, and may carry one
      // of these requestIds: its event is a duplicate, never a 402. Under the locks nothing more can slip in.
      existing = await readEarlierReports(tx, events, keys);
      decided = decide(events, keys, existing, available);
    }
    const { decisions, applied, spentBy } = decided;
    const changes: CreditChange[] = [];
    if (applied.length > 0) {
      const entries = await queryRows<{ organization_id: string; entry_id: string }>(tx, writeStatement(applied, spentBy, orgs, deadline));
      // The write began after its deadline, so it wrote nothing: the transaction rolls back and its callers, who
      // may have been answered 503 already, find nothing recorded.
      if (entries.length === 0) throw new StatementDeadlineError();
      for (const entry of entries) {
        const org = orgs.get(entry.organization_id)!;
        const spent = spentBy.get(entry.organization_id)!;
        changes.push({
          organizationId: entry.organization_id,
          entryId: Number(entry.entry_id),
          delta: -spent,
          previousBalance: org.balance,
          balance: org.balance - spent,
          reason: "usage",
          lowCreditThreshold: org.threshold,
        });
      }
    }
    return { outcomes: outcomesOf(decisions, applied, available), changes };
  });
}

type Mode = "guessing" | "read-first" | "read-after-locking";

async function apply(events: UsageDeduction[], mode: Mode): Promise<BatchResult> {
  if (mode === "guessing") return (await applyGuessing(events)) ?? apply(events, "read-first");
  return applyLocked(events, mode === "read-after-locking");
}

/**
 * Validation keeps out every value we know Postgres refuses, but one statement writes the whole batch, so a
 * value we did not foresee would fail all of it. When Postgres refuses the batch on its data, it is split in
 * two and each half applied in turn, down to the events that fail alone: those are answered invalid_request,
 * every other event is applied exactly once. A failed attempt rolls back whole, and the halves run one after
 * the other in request order, so each organization's events are still decided in order, as the single route
 * would decide them one by one.
 */
async function applyOrBisect(events: UsageDeduction[], mode: Mode): Promise<BatchResult> {
  try {
    return await apply(events, mode);
  } catch (error) {
    // A report with one of these requestIds committed before the write; decided again, it is a duplicate.
    if (mode !== "read-after-locking" && isUniqueViolation(error)) {
      usageDeductionStats.batchUniqueViolationRetries += 1;
      return applyOrBisect(events, mode === "guessing" ? "read-first" : "read-after-locking");
    }
    const refused = dataError(error);
    if (!refused) throw error;
    if (events.length === 1) {
      console.warn(`[usage] the database refused a batch event that passed validation (SQLSTATE ${refused.sqlState}): ${refused.message}`);
      return { outcomes: [{ status: "invalid_request", sqlState: refused.sqlState }], changes: [] };
    }
    const middle = Math.ceil(events.length / 2);
    const first = await applyOrBisect(events.slice(0, middle), mode);
    const second = await applyOrBisect(events.slice(middle), mode);
    return { outcomes: [...first.outcomes, ...second.outcomes], changes: [...first.changes, ...second.changes] };
  }
}

/**
 * Charges up to 1,000 usage reports in a handful of statements, each answered exactly as the single route
 * would answer it. Balance changes reach the listeners as one change per organization and statement.
 */
export async function deductUsageBatch(events: UsageDeduction[], options: { defer?: Defer } = {}): Promise<UsageOutcome[]> {
  if (events.length === 0) return [];
  const { outcomes, changes } = await applyOrBisect(events, "guessing");
  if (changes.length > 0) {
    if (options.defer) options.defer(() => notifyCreditsChanged(changes));
    else await notifyCreditsChanged(changes);
  }
  return outcomes;
}
