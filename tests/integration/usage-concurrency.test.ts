import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { emailOutbox, usageEvents } from "@/db/schema";
import { cacheKeys, flushMirror } from "@/lib/cache";
import { getBalance, sumLedger } from "@/lib/credits";
import { usageDeductionStats } from "@/lib/credits/usage-deduction";
import type { UsageAnswer } from "@/lib/usage/report";
import { holdOrganizationRow, onServerDatabase } from "../helpers/row-lock";
import { createOrganizationWithKey, reportUsageFromAnotherInstance, rollupsAndEventSums, setUpRedisMirror } from "../helpers/usage";

const mirror = setUpRedisMirror();
// The app's pool (db/client.ts): this many statements can be in flight, and so queue at the row lock, at once.
const poolSize = 10;

async function usageRowCount(apiKeyId: string) {
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(usageEvents).where(eq(usageEvents.apiKeyId, apiKeyId));
  return row!.count;
}

/**
 * Sends the reports while another transaction holds the organization's row, and releases it once the first
 * `poolSize` statements queue behind it: those were all planned before any of them committed, so a retry
 * sent beside its original meets it at the lock, and the later one fails on the unique index.
 */
async function sendTogether(organizationId: string, reports: Array<() => Promise<UsageAnswer>>) {
  const lock = await holdOrganizationRow(organizationId);
  try {
    const answers = Promise.all(reports.map((report) => report()));
    await lock.waitForWaiters(Math.min(poolSize, reports.length));
    await lock.release();
    return await answers;
  } finally {
    await lock.release();
  }
}

// PGlite is one session with a pool of one: nothing can race there, so these run on a server database only.
// The reports come as from separate instances, each its own statement: one instance groups its concurrent
// reports into one (tests/integration/usage-group-commit.test.ts), so they race only across instances.
describe.skipIf(!onServerDatabase)("concurrent usage reports (server database only: PGlite is one session)", () => {
  it("300 reports of 7 credits against 1,000, every fifth retried beside its original: 142 charged, 6 left, one email", async () => {
    const { organization, admin, key, apiKey } = await createOrganizationWithKey(1000);
    const report = (index: number) => () => reportUsageFromAnotherInstance({ apiKey: key, requestId: `req-${index}`, credits: 7, endpoint: "/v1/query" });
    // A retrying client sends the same requestId again while the first is still in flight: each retry sits
    // right after its original, so the two are in flight together.
    const order = Array.from({ length: 300 }, (_, index) => (index % 5 === 0 ? [index, index] : [index])).flat();
    const retriesBefore = usageDeductionStats.uniqueViolationRetries;
    const answers = await sendTogether(organization.id, order.map(report));

    expect(answers.every((answer) => answer.status === 200 || answer.status === 402)).toBe(true);
    const charged = answers.filter((answer) => answer.status === 200 && answer.body.duplicate === false);
    expect(charged).toHaveLength(142);
    expect(new Set(charged.map((answer) => answer.body.remainingCredits)).size).toBe(142);
    const remaining = answers.filter((answer) => answer.status === 200).map((answer) => answer.body.remainingCredits as number);
    expect(Math.min(...remaining)).toBe(6);
    // A refusal says how much is left, and that is less than the 7 asked for (the balance when it was decided).
    const refused = answers.filter((answer) => answer.status === 402).map((answer) => answer.body.remainingCredits as number);
    expect(refused.filter((balance) => balance >= 7)).toEqual([]);
    // Each retried pair: both refused, or one charge and one duplicate answer that repeats it exactly.
    for (let position = 0; position < order.length; position++) {
      if (order[position] !== order[position + 1]) continue;
      const [one, other] = [answers[position]!, answers[position + 1]!];
      const label = `req-${order[position]}: ${JSON.stringify([one.body, other.body])}`;
      expect([one.status, other.status], label).toSatisfy(([x, y]: number[]) => x === y);
      if (one.status === 402) continue;
      expect([one.body.duplicate, other.body.duplicate].sort(), label).toEqual([false, true]);
      expect(other.body.usageId, label).toBe(one.body.usageId);
      expect(other.body.remainingCredits, label).toBe(one.body.remainingCredits);
    }
    // At least one retry met its original at the lock and took the unique-violation branch.
    expect(usageDeductionStats.uniqueViolationRetries - retriesBefore).toBeGreaterThan(0);

    expect(await getBalance(organization.id)).toBe(6);
    expect(await sumLedger(organization.id)).toBe(6);
    expect(await usageRowCount(apiKey.id)).toBe(142);
    const { rollups, eventSums } = await rollupsAndEventSums(organization.id);
    expect(rollups).toEqual(eventSums);
    expect(rollups).toMatchObject([{ requests: "142", credits: String(142 * 7), endpoint: "/v1/query" }]);
    const emails = await db
      .select()
      .from(emailOutbox)
      .where(and(eq(emailOutbox.toAddress, admin.email), eq(emailOutbox.template, "low-credits")));
    expect(emails).toHaveLength(1);

    await flushMirror();
    expect(await mirror.redis.get(cacheKeys.credits(organization.id))).toBe("6");
  });

  it("20 identical reports fired together charge once; the other 19 answer duplicate with the same usage", async () => {
    const { organization, key, apiKey } = await createOrganizationWithKey(1000);
    const report = () => reportUsageFromAnotherInstance({ apiKey: key, requestId: "same-request", credits: 30, endpoint: "/v1/query" });
    const retriesBefore = usageDeductionStats.uniqueViolationRetries;
    const answers = await sendTogether(organization.id, Array.from({ length: 20 }, () => report));

    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    expect(answers.filter((answer) => answer.body.duplicate === false)).toHaveLength(1);
    expect(new Set(answers.map((answer) => answer.body.usageId)).size).toBe(1);
    expect(new Set(answers.map((answer) => answer.body.remainingCredits))).toEqual(new Set([970]));
    // The statements that queued at the lock with the original all saw no earlier report when they were
    // planned, so all but one of them failed on the unique index and were retried.
    expect(usageDeductionStats.uniqueViolationRetries - retriesBefore).toBeGreaterThanOrEqual(poolSize - 1);

    expect(await usageRowCount(apiKey.id)).toBe(1);
    expect(await getBalance(organization.id)).toBe(970);
    expect(await sumLedger(organization.id)).toBe(970);
  });

  it("a retry that races its original for the last credits answers duplicate, never 402", async () => {
    // The retry's statement was planned before the original committed, so it saw no earlier report; after
    // the lock it finds the balance spent. SPEC section 2: a repeat gets the first answer, and 402 would say
    // that nothing was deducted, although the original was charged.
    const { organization, key, apiKey } = await createOrganizationWithKey(30);
    const report = () => reportUsageFromAnotherInstance({ apiKey: key, requestId: "last-credits", credits: 30 });
    const answers = await sendTogether(organization.id, [report, report]);

    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(answers.map((answer) => answer.body.duplicate).sort()).toEqual([false, true]);
    expect(answers[1]!.body.usageId).toBe(answers[0]!.body.usageId);
    expect(answers.map((answer) => answer.body.remainingCredits)).toEqual([0, 0]);
    expect(await usageRowCount(apiKey.id)).toBe(1);
    expect(await getBalance(organization.id)).toBe(0);
    expect(await sumLedger(organization.id)).toBe(0);
  });
});
