import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { usageEvents } from "@/db/schema";
import { getBalance, sumLedger } from "@/lib/credits";
import { maxStatementsInFlight, usageGroupStats } from "@/lib/credits/usage-group";
import { revokeApiKey } from "@/lib/keys";
import { reportUsage, type UsageAnswer } from "@/lib/usage/report";
import { holdOrganizationRow, onServerDatabase } from "../helpers/row-lock";
import { createOrganizationWithKey, rollupsAndEventSums } from "../helpers/usage";

async function recordedRequests(apiKeyId: string) {
  const rows = await db.select({ id: usageEvents.id, requestId: usageEvents.requestId }).from(usageEvents).where(eq(usageEvents.apiKeyId, apiKeyId));
  return new Map(rows.map((row) => [row.id, row.requestId]));
}

describe("group commit of single reports", () => {
  it("300 concurrent reports of 7 credits against 1,000 with 60 retries mixed in: 142 charges, 6 left, and each caller its own answer", async () => {
    const { organization, key, apiKey } = await createOrganizationWithKey(1000);
    const body = (index: number, variant = "") => ({ apiKey: key, requestId: `req-${index}`, credits: 7, endpoint: `/v1/query${variant}` });
    // Every fifth report is retried right after itself: two of three retries with the same body, the third
    // with another endpoint (an idempotency conflict, unless nothing was recorded for the original).
    const sends: Array<{ index: number; retry: "same" | "different" | null; body: ReturnType<typeof body> }> = [];
    for (let index = 0; index < 300; index++) {
      sends.push({ index, retry: null, body: body(index) });
      if (index % 5 === 0) {
        const retry = (index / 5) % 3 === 2 ? "different" : "same";
        sends.push({ index, retry, body: retry === "same" ? body(index) : body(index, "/other") });
      }
    }
    expect(sends).toHaveLength(360);
    const groupedBefore = usageGroupStats.groupedReports;
    const answers: UsageAnswer[] = await Promise.all(sends.map((send) => reportUsage(send.body)));
    // They went to the database in groups, not one statement each.
    expect(usageGroupStats.groupedReports - groupedBefore).toBeGreaterThan(300);

    const charged = answers.filter((answer) => answer.status === 200 && answer.body.duplicate === false);
    expect(charged).toHaveLength(142);
    expect(new Set(charged.map((answer) => answer.body.remainingCredits))).toEqual(new Set(Array.from({ length: 142 }, (_, n) => 1000 - 7 * (n + 1))));
    // Each charged answer is the charge of its caller's own requestId.
    const recorded = await recordedRequests(apiKey.id);
    expect(recorded.size).toBe(142);
    sends.forEach((send, position) => {
      const answer = answers[position]!;
      if (answer.status === 200) expect(recorded.get(answer.body.usageId as string), `req-${send.index}`).toBe(`req-${send.index}`);
    });
    for (let position = 0; position < sends.length; position++) {
      const retry = sends[position]!;
      if (!retry.retry) continue;
      // The pair was sent together, so either may be the one charged (statements in flight at once are
      // charged in the order of their row locks); the other answers as a repeat of it.
      const pair = [answers[position - 1]!, answers[position]!];
      const label = `req-${retry.index} (${retry.retry} body): ${JSON.stringify(pair.map((answer) => answer.body))}`;
      const chargedOne = pair.find((answer) => answer.status === 200 && answer.body.duplicate === false);
      if (!chargedOne) {
        expect(pair.map((answer) => answer.status), label).toEqual([402, 402]);
        continue;
      }
      const other = pair.find((answer) => answer !== chargedOne)!;
      if (retry.retry === "same") expect(other.body, label).toEqual({ ...chargedOne.body, duplicate: true });
      else expect([other.status, other.body.error], label).toEqual([409, "idempotency_conflict"]);
    }
    const refused = answers.filter((answer) => answer.status === 402);
    expect(refused.every((answer) => (answer.body.remainingCredits as number) < 7)).toBe(true);
    expect(await getBalance(organization.id)).toBe(6);
    expect(await sumLedger(organization.id)).toBe(6);
    const { rollups, eventSums } = await rollupsAndEventSums(organization.id);
    expect(rollups).toEqual(eventSums);
  });

  it.skipIf(!onServerDatabase)(
    "an unknown key, a revoked key and a report over the balance, in one combined statement, each get their own error while the others succeed (server database only: the group forms behind a held row lock)",
    async () => {
      const { organization, key } = await createOrganizationWithKey(100);
      const revoked = await createOrganizationWithKey(100);
      await revokeApiKey({ organizationId: revoked.organization.id, keyId: revoked.apiKey.id, actorUserId: null });
      // The first reports go out alone, as many as may be in flight, and wait at the held row; the next five
      // queue behind them.
      const lock = await holdOrganizationRow(organization.id);
      const groupsBefore = usageGroupStats.groups;
      const groupedBefore = usageGroupStats.groupedReports;
      let alone: UsageAnswer[];
      let answers: UsageAnswer[];
      try {
        const first = Array.from({ length: maxStatementsInFlight }, (_, index) => reportUsage({ apiKey: key, requestId: `first-${index}`, credits: 10 }));
        await lock.waitForWaiters(maxStatementsInFlight);
        const queued = [
          reportUsage({ apiKey: key, requestId: "ok-1", credits: 20 }),
          reportUsage({ apiKey: `dz_live_${"1".repeat(40)}`, requestId: "unknown", credits: 1 }),
          reportUsage({ apiKey: revoked.key, requestId: "revoked", credits: 1 }),
          reportUsage({ apiKey: key, requestId: "too-much", credits: 500 }),
          reportUsage({ apiKey: key, requestId: "ok-2", credits: 30 }),
        ];
        await lock.release();
        alone = await Promise.all(first);
        answers = await Promise.all(queued);
      } finally {
        await lock.release();
      }
      expect(usageGroupStats.groups - groupsBefore).toBe(1);
      expect(usageGroupStats.groupedReports - groupedBefore).toBe(5);
      // The ones sent alone were charged in the order of their row locks; the group after all of them.
      const afterAlone = 100 - 10 * maxStatementsInFlight;
      expect(alone.map((answer) => answer.body.remainingCredits).sort()).toEqual(Array.from({ length: maxStatementsInFlight }, (_, n) => 100 - 10 * (n + 1)).sort());
      expect(answers.map((answer) => [answer.status, answer.body.error ?? answer.body.remainingCredits])).toEqual([
        [200, afterAlone - 20],
        [403, "invalid_api_key"],
        [403, "revoked_api_key"],
        [402, "insufficient_credits"],
        [200, afterAlone - 50],
      ]);
      expect(answers[3]!.body.remainingCredits).toBe(afterAlone - 20);
      expect(await getBalance(organization.id)).toBe(afterAlone - 50);
      expect(await sumLedger(organization.id)).toBe(afterAlone - 50);
      expect(await getBalance(revoked.organization.id)).toBe(100);
      const [count] = await db.select({ count: sql<number>`count(*)::int` }).from(usageEvents).where(eq(usageEvents.organizationId, organization.id));
      expect(count!.count).toBe(maxStatementsInFlight + 2);
    },
  );
});
