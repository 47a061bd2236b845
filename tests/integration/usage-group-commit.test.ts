import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { usageEvents } from "@/db/schema";
import { getBalance, sumLedger } from "@/lib/credits";
import { usageGroupStats } from "@/lib/credits/usage-group";
import { revokeApiKey } from "@/lib/keys";
import { reportUsage, reportUsageBatch, type UsageAnswer } from "@/lib/usage/report";
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
      const [original, repeated] = [answers[position - 1]!, answers[position]!];
      const label = `req-${retry.index} (${retry.retry} body): ${JSON.stringify([original.body, repeated.body])}`;
      if (original.status === 402) {
        expect(repeated.status, label).toBe(402);
      } else if (retry.retry === "same") {
        expect(repeated.body, label).toEqual({ ...original.body, duplicate: true });
      } else {
        expect([original.status, repeated.status, repeated.body.error], label).toEqual([200, 409, "idempotency_conflict"]);
      }
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
      // The first report goes out alone and waits at the held row; the next five queue behind it.
      const lock = await holdOrganizationRow(organization.id);
      const groupsBefore = usageGroupStats.groups;
      const groupedBefore = usageGroupStats.groupedReports;
      let answers: UsageAnswer[];
      try {
        const first = reportUsage({ apiKey: key, requestId: "first", credits: 10 });
        await lock.waitForWaiters(1);
        const queued = [
          reportUsage({ apiKey: key, requestId: "ok-1", credits: 20 }),
          reportUsage({ apiKey: `dz_live_${"1".repeat(40)}`, requestId: "unknown", credits: 1 }),
          reportUsage({ apiKey: revoked.key, requestId: "revoked", credits: 1 }),
          reportUsage({ apiKey: key, requestId: "too-much", credits: 500 }),
          reportUsage({ apiKey: key, requestId: "ok-2", credits: 30 }),
        ];
        await lock.release();
        answers = await Promise.all([first, ...queued]);
      } finally {
        await lock.release();
      }
      expect(usageGroupStats.groups - groupsBefore).toBe(1);
      expect(usageGroupStats.groupedReports - groupedBefore).toBe(5);
      expect(answers.map((answer) => [answer.status, answer.body.error ?? answer.body.remainingCredits])).toEqual([
        [200, 90],
        [200, 70],
        [403, "invalid_api_key"],
        [403, "revoked_api_key"],
        [402, "insufficient_credits"],
        [200, 40],
      ]);
      expect(answers[4]!.body.remainingCredits).toBe(70);
      expect(await getBalance(organization.id)).toBe(40);
      expect(await sumLedger(organization.id)).toBe(40);
      expect(await getBalance(revoked.organization.id)).toBe(100);
      const [count] = await db.select({ count: sql<number>`count(*)::int` }).from(usageEvents).where(eq(usageEvents.organizationId, organization.id));
      expect(count!.count).toBe(3);
    },
  );

  it.skipIf(!onServerDatabase)(
    "a large batch does not wait behind another organization's batch that is held at its row lock (server database only: PGlite is one session)",
    async () => {
      const held = await createOrganizationWithKey(10_000);
      const free = await createOrganizationWithKey(10_000);
      const events = (key: string, prefix: string) => Array.from({ length: 500 }, (_, index) => ({ apiKey: key, requestId: `${prefix}-${index}`, credits: 1 }));
      const lock = await holdOrganizationRow(held.organization.id);
      try {
        const stuck = reportUsageBatch({ events: events(held.key, "held") });
        await lock.waitForWaiters(1);
        // Sent while the first is in flight, and answered while it still waits at the lock.
        const answer = await reportUsageBatch({ events: events(free.key, "free") });
        const results = (answer.body as { results: Array<{ success: boolean }> }).results;
        expect(results.every((result) => result.success)).toBe(true);
        expect(await getBalance(free.organization.id)).toBe(9_500);
        expect(await getBalance(held.organization.id)).toBe(10_000);
        await lock.release();
        await stuck;
      } finally {
        await lock.release();
      }
      expect(await getBalance(held.organization.id)).toBe(9_500);
      expect(await sumLedger(held.organization.id)).toBe(9_500);
      expect(await sumLedger(free.organization.id)).toBe(9_500);
    },
  );
});
