import { sql } from "drizzle-orm";
import Redis from "ioredis";
import { db, queryRows } from "@/db/client";
import { acknowledged, recordedDespite503, refusedUnavailable, type SentReport } from "./load";

/** The invariants every chaos scenario must keep, read from Postgres and Redis once the fault is over. */

export type Invariants = {
  /** Every report answered 200 is in the database exactly once; none answered only 503 is. */
  recorded: { ok: boolean; acknowledged: number; missing: number; refusedButRecorded: number; duplicated: number };
  /** Reports answered 503 whose retry came back `duplicate` (see recordedDespite503). */
  recordedDespite503: number;
  ledger: { ok: boolean; detail: string };
  redis: { ok: boolean; convergedMs: number | null };
  mail: { ok: boolean; queued: number; delivered: number };
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<number | null> {
  const started = Date.now();
  for (;;) {
    if (await check().catch(() => false)) return Date.now() - started;
    if (Date.now() - started > timeoutMs) return null;
    await sleep(1_000);
  }
}

async function checkRecorded(reports: SentReport[]) {
  const rows = await queryRows<{ request_id: string; copies: string }>(db, sql`
    select request_id, count(*) as copies from usage_events
    where request_id = any(${sql.param(reports.map((report) => report.requestId))}::text[]) group by request_id`);
  const copies = new Map(rows.map((row) => [row.request_id, Number(row.copies)]));
  const acked = reports.filter(acknowledged);
  const missing = acked.filter((report) => (copies.get(report.requestId) ?? 0) !== 1).length;
  const refusedButRecorded = reports.filter(refusedUnavailable).filter((report) => copies.has(report.requestId)).length;
  const duplicated = [...copies.values()].filter((count) => count > 1).length;
  return { ok: missing === 0 && refusedButRecorded === 0 && duplicated === 0, acknowledged: acked.length, missing, refusedButRecorded, duplicated };
}

async function balances(organizationIds: string[]) {
  return queryRows<{ id: string; balance: string; ledger: string }>(db, sql`
    select o.id, o.balance, (select coalesce(sum(delta), 0) from credit_ledger l where l.organization_id = o.id) as ledger
    from organizations o where o.id = any(${sql.param(organizationIds)}::uuid[])`);
}

export async function checkInvariants(input: {
  reports: SentReport[];
  organizationIds: string[];
  redisPrefix: string;
  since: Date;
  redisTimeoutMs: number;
  mailTimeoutMs: number;
}): Promise<Invariants> {
  const recorded = await checkRecorded(input.reports);
  const rows = await balances(input.organizationIds);
  const unequal = rows.filter((row) => row.balance !== row.ledger);
  const ledger = { ok: unequal.length === 0 && rows.length === input.organizationIds.length, detail: unequal.map((row) => `${row.id}: ${row.balance} ≠ ${row.ledger}`).join("; ") };

  const redis = new Redis("redis://127.0.0.1:6379", { maxRetriesPerRequest: 1 });
  const convergedMs = await eventually(async () => {
    const current = await balances(input.organizationIds);
    const mirrored = await redis.mget(...current.map((row) => `${input.redisPrefix}org:${row.id}:credits`));
    return current.every((row, index) => mirrored[index] === row.balance);
  }, input.redisTimeoutMs);
  redis.disconnect();

  const mailCounts = async () => {
    const [row] = await queryRows<{ queued: string; delivered: string }>(db, sql`
      select count(*) as queued, count(*) filter (where status = 'sent') as delivered
      from email_outbox where created_at >= ${input.since.toISOString()}::timestamptz`);
    return { queued: Number(row?.queued ?? 0), delivered: Number(row?.delivered ?? 0) };
  };
  await eventually(async () => {
    const counts = await mailCounts();
    return counts.queued === counts.delivered;
  }, input.mailTimeoutMs);
  const mail = await mailCounts();
  return {
    recorded,
    recordedDespite503: input.reports.filter(recordedDespite503).length,
    ledger,
    redis: { ok: convergedMs !== null, convergedMs },
    mail: { ok: mail.queued === mail.delivered, ...mail },
  };
}
