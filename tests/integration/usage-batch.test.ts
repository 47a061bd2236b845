import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { apiKeys, usageEvents } from "@/db/schema";
import { getBalance, sumLedger } from "@/lib/credits";
import { usageDeductionStats } from "@/lib/credits/usage-deduction";
import { revokeApiKey } from "@/lib/keys";
import { reportUsage, reportUsageBatch, type UsageAnswer } from "@/lib/usage/report";
import { startUsageWorkers } from "@/lib/usage/workers";
import { holdOrganizationRow, onServerDatabase } from "../helpers/row-lock";
import { createOrganizationWithKey, reportUsageFromAnotherInstance } from "../helpers/usage";

beforeAll(() => startUsageWorkers({ sweep: false }));

type Result = { index: number; success: boolean; error?: string; remainingCredits?: number; duplicate?: boolean; usageId?: string };
// The app's pool (db/client.ts): the number of statements that can queue at the row lock at once.
const poolSize = 10;

/**
 * An answer as a client compares it: usage ids become the order in which they first appear (each path
 * makes its own), and the time a report was received is left out (the batch's is one for all its events).
 */
function comparable(answers: Array<Record<string, unknown>>) {
  const ids = new Map<unknown, string>();
  return answers.map(({ index: _index, usageDateTime, usageId, ...rest }) => {
    if (usageId !== undefined && !ids.has(usageId)) ids.set(usageId, `usage #${ids.size + 1}`);
    expect(usageDateTime === undefined || !Number.isNaN(Date.parse(usageDateTime as string))).toBe(true);
    return { ...rest, ...(usageId === undefined ? {} : { usageId: ids.get(usageId) }) };
  });
}

async function twinOrganizations() {
  return { a: await createOrganizationWithKey(100), b: await createOrganizationWithKey(10) };
}

function eventsFor({ a, b }: Awaited<ReturnType<typeof twinOrganizations>>) {
  return [
    { apiKey: a.key, requestId: "1", credits: 30 },
    { apiKey: b.key, requestId: "1", credits: 8 },
    { apiKey: a.key, requestId: "2", credits: 70 }, // 65 left: refused
    { apiKey: b.key, requestId: "2", credits: 8 }, // 2 left: refused
    { apiKey: a.key, requestId: "3", credits: 65 }, // fits exactly
    { apiKey: a.key, requestId: "1", credits: 30 }, // duplicate within the batch
    { apiKey: a.key, requestId: "earlier", credits: 5 }, // duplicate of an earlier report
    { apiKey: a.key, requestId: "earlier", credits: 6 }, // same requestId, other body
    { apiKey: "dz_live_" + "x".repeat(40), requestId: "1", credits: 1 },
    { apiKey: a.key, requestId: "", credits: 1 },
  ];
}

describe("POST /api/usage/batch semantics", () => {
  it("answers each event as the single route would, in order, per organization", async () => {
    // The same reports on twin organizations: one by one through the single route, and in one batch.
    const single = await twinOrganizations();
    const batched = await twinOrganizations();
    await reportUsage({ apiKey: single.a.key, requestId: "earlier", credits: 5 });
    const first = await reportUsage({ apiKey: batched.a.key, requestId: "earlier", credits: 5 });
    const one: UsageAnswer[] = [];
    for (const event of eventsFor(single)) one.push(await reportUsage(event));
    const answer = await reportUsageBatch({ events: eventsFor(batched) });
    expect(answer.status).toBe(200);
    const results = (answer.body as { results: Result[] }).results;
    expect(results.map((result) => result.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

    expect(comparable(results)).toEqual(comparable(one.map((reply) => reply.body)));
    expect(one.map((reply) => reply.status)).toEqual([200, 200, 402, 402, 200, 200, 200, 409, 403, 400]);
    for (const [twin, organization] of [[single.a, batched.a], [single.b, batched.b]] as const) {
      expect(await getBalance(organization.organization.id)).toBe(await getBalance(twin.organization.id));
      expect(await sumLedger(organization.organization.id)).toBe(await sumLedger(twin.organization.id));
    }

    // And what both answered, spelled out.
    expect(results.map((result) => (result.success ? (result.duplicate ? "dup" : "ok") : result.error))).toEqual([
      "ok", "ok", "insufficient_credits", "insufficient_credits", "ok", "dup", "dup",
      "idempotency_conflict", "invalid_api_key", "invalid_request",
    ]);
    expect(results[0]!.remainingCredits).toBe(65);
    expect(results[2]!.remainingCredits).toBe(65);
    expect(results[3]!.remainingCredits).toBe(2);
    expect(results[4]!.remainingCredits).toBe(0);
    expect(results[5]).toMatchObject({ usageId: results[0]!.usageId, remainingCredits: 65 });
    expect(results[6]).toMatchObject({ usageId: first.body.usageId, remainingCredits: 95 });
    expect(await getBalance(batched.a.organization.id)).toBe(0);
    expect(await sumLedger(batched.a.organization.id)).toBe(0);
    expect(await getBalance(batched.b.organization.id)).toBe(2);
    expect(await sumLedger(batched.b.organization.id)).toBe(2);
  });

  it("a key revoked or expired after a batch used it is refused in the next batch, and nothing is charged", async () => {
    const { organization, key, apiKey } = await createOrganizationWithKey(100);
    const other = await createOrganizationWithKey(100);
    const batch = (prefix: string) => ({ events: [{ apiKey: key, requestId: `${prefix}-1`, credits: 5 }, { apiKey: other.key, requestId: `${prefix}-2`, credits: 5 }] });
    const results = async (answer: UsageAnswer) => (answer.body as { results: Result[] }).results.map((result) => (result.success ? "ok" : result.error));
    expect(await results(await reportUsageBatch(batch("before")))).toEqual(["ok", "ok"]);

    await revokeApiKey({ organizationId: organization.id, keyId: apiKey.id, actorUserId: null });
    expect(await results(await reportUsageBatch(batch("revoked")))).toEqual(["revoked_api_key", "ok"]);
    expect(await getBalance(organization.id)).toBe(95);
    expect(await sumLedger(organization.id)).toBe(95);

    // Expiry is a moment, not a write: nothing tells this process it has passed.
    await db.update(apiKeys).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiKeys.id, other.apiKey.id));
    expect(await results(await reportUsageBatch(batch("expired")))).toEqual(["revoked_api_key", "expired_api_key"]);
    expect(await getBalance(other.organization.id)).toBe(90);
    expect(await sumLedger(other.organization.id)).toBe(90);
  });

  // PGlite is one session: nothing races there (tests/helpers/row-lock.ts).
  it.skipIf(!onServerDatabase)("never double-charges when batches and single reports race on the same requestIds (server database only: PGlite is one session)", async () => {
    const { organization, key, apiKey } = await createOrganizationWithKey(10_000);
    const events = Array.from({ length: 200 }, (_, index) => ({ apiKey: key, requestId: `race-${index}`, credits: 3 }));
    const retriesBefore = usageDeductionStats.batchUniqueViolationRetries;
    // Everything is in flight before anything commits: both batches have read the earlier reports and wait
    // for the organization's lock, and the single reports wait at its row; then they are let go together.
    const lock = await holdOrganizationRow(organization.id);
    let settled;
    try {
      const racing = Promise.all([
        reportUsageBatch({ events }),
        reportUsageBatch({ events: events.slice(100) }),
        Promise.all(events.slice(0, 50).map((event) => reportUsageFromAnotherInstance(event))),
      ]);
      await lock.waitForWaiters(poolSize);
      await lock.release();
      settled = await racing;
    } finally {
      await lock.release();
    }
    const [whole, secondHalf, singles] = settled;

    expect([whole.status, secondHalf.status, ...singles.map((answer) => answer.status)]).toEqual(Array(52).fill(200));
    const batchAnswers = [whole, secondHalf].flatMap((answer) => (answer.body as { results: Result[] }).results);
    expect(batchAnswers.every((result) => result.success)).toBe(true);
    const answers = [...batchAnswers, ...singles.map((answer) => answer.body as Result)];
    const byUsage = new Map<string | undefined, Result[]>();
    for (const answer of answers) byUsage.set(answer.usageId, [...(byUsage.get(answer.usageId) ?? []), answer]);
    // Each requestId charged once: one answer duplicate: false, and every repeat returns that first answer.
    expect(byUsage.size).toBe(200);
    for (const group of byUsage.values()) {
      expect(group.filter((answer) => answer.duplicate === false)).toHaveLength(1);
      expect(new Set(group.map((answer) => answer.remainingCredits)).size).toBe(1);
    }
    const original = answers.filter((answer) => answer.duplicate === false).map((answer) => answer.remainingCredits!);
    expect(original.sort((x, y) => y - x)).toEqual(Array.from({ length: 200 }, (_, index) => 10_000 - 3 * (index + 1)));
    // The batch that took the lock second had read the earlier reports before it: its write failed on the
    // unique index and it was decided again after locking.
    expect(usageDeductionStats.batchUniqueViolationRetries - retriesBefore).toBeGreaterThan(0);

    const [rows] = await db.select({ count: sql<number>`count(*)::int` }).from(usageEvents).where(eq(usageEvents.apiKeyId, apiKey.id));
    expect(rows!.count).toBe(200);
    expect(await getBalance(organization.id)).toBe(10_000 - 600);
    expect(await sumLedger(organization.id)).toBe(10_000 - 600);
  });

  it.skipIf(!onServerDatabase)("a batch event racing a single report of the same requestId for the last credits answers duplicate, never 402 (server database only: PGlite is one session)", async () => {
    const { organization, key } = await createOrganizationWithKey(30);
    const event = { apiKey: key, requestId: "last-credits", credits: 30 };
    // The single report reaches the row lock first; the batch has read the earlier reports (none yet) before
    // it queues for the lock, and finds the credits spent once it has it.
    const lock = await holdOrganizationRow(organization.id);
    let answers;
    try {
      const single = reportUsageFromAnotherInstance(event);
      await lock.waitForWaiters(1);
      const batch = reportUsageBatch({ events: [event] });
      await lock.waitForWaiters(2);
      await lock.release();
      answers = [(await single).body, ((await batch).body as { results: Result[] }).results[0]!];
    } finally {
      await lock.release();
    }
    expect(answers).toMatchObject([
      { success: true, duplicate: false, remainingCredits: 0 },
      { success: true, duplicate: true, remainingCredits: 0, usageId: answers[0]!.usageId },
    ]);
    expect(await getBalance(organization.id)).toBe(0);
    expect(await sumLedger(organization.id)).toBe(0);
  });
});
