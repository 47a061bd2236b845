import { beforeAll, describe, expect, it } from "vitest";
import { getBalance, sumLedger } from "@/lib/credits";
import { reportUsage, reportUsageBatch } from "@/lib/usage/report";
import { startUsageWorkers } from "@/lib/usage/workers";
import { createOrganizationWithKey } from "../helpers/usage";

beforeAll(() => startUsageWorkers({ sweep: false }));

type Result = { index: number; success: boolean; error?: string; remainingCredits?: number; duplicate?: boolean; usageId?: string };

describe("POST /api/usage/batch semantics", () => {
  it("answers each event as the single route would, in order, per organization", async () => {
    const a = await createOrganizationWithKey(100);
    const b = await createOrganizationWithKey(10);
    const first = await reportUsage({ apiKey: a.key, requestId: "earlier", credits: 5 });
    const answer = await reportUsageBatch({
      events: [
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
      ],
    });
    expect(answer.status).toBe(200);
    const results = (answer.body as { results: Result[] }).results;
    expect(results.map((result) => result.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
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
    expect(await getBalance(a.organization.id)).toBe(0);
    expect(await sumLedger(a.organization.id)).toBe(0);
    expect(await getBalance(b.organization.id)).toBe(2);
    expect(await sumLedger(b.organization.id)).toBe(2);
  });

  it("never double-charges when batches and single reports race on the same requestIds", async () => {
    const { organization, key } = await createOrganizationWithKey(10_000);
    const events = Array.from({ length: 200 }, (_, index) => ({ apiKey: key, requestId: `race-${index}`, credits: 3 }));
    await Promise.all([
      reportUsageBatch({ events }),
      reportUsageBatch({ events: events.slice(100) }),
      ...events.slice(0, 50).map((event) => reportUsage(event)),
    ]);
    expect(await getBalance(organization.id)).toBe(10_000 - 600);
    expect(await sumLedger(organization.id)).toBe(10_000 - 600);
  });
});
