import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { emailOutbox, usageEvents } from "@/db/schema";
import { cacheKeys, flushMirror } from "@/lib/cache";
import { getBalance, sumLedger } from "@/lib/credits";
import { reportUsage } from "@/lib/usage/report";
import { createOrganizationWithKey, setUpRedisMirror } from "../helpers/usage";

const mirror = setUpRedisMirror();

describe("300 concurrent reports of 7 credits against 1,000", () => {
  it("charges exactly 142, leaves 6, never goes negative, and sends one low-credit email", async () => {
    const { organization, admin, key, apiKey } = await createOrganizationWithKey(1000);
    const report = (index: number) => reportUsage({ apiKey: key, requestId: `req-${index}`, credits: 7, endpoint: "/v1/query" });
    // Every fifth report is also sent again at the same time with the same requestId, as a retrying client would.
    const retried = Array.from({ length: 60 }, (_, index) => index * 5);
    const answers = await Promise.all([...Array.from({ length: 300 }, (_, index) => report(index)), ...retried.map(report)]);

    const statuses = answers.map((answer) => answer.status);
    expect(statuses.every((status) => status === 200 || status === 402)).toBe(true);
    const charged = answers.filter((answer) => answer.status === 200 && answer.body.duplicate === false);
    expect(charged).toHaveLength(142);
    const remaining = answers.filter((answer) => answer.status === 200).map((answer) => answer.body.remainingCredits as number);
    expect(Math.min(...remaining)).toBe(6);

    expect(await getBalance(organization.id)).toBe(6);
    expect(await sumLedger(organization.id)).toBe(6);
    const [events] = await db.select({ count: sql<number>`count(*)::int` }).from(usageEvents).where(eq(usageEvents.apiKeyId, apiKey.id));
    expect(events!.count).toBe(142);

    const emails = await db
      .select()
      .from(emailOutbox)
      .where(and(eq(emailOutbox.toAddress, admin.email), eq(emailOutbox.template, "low-credits")));
    expect(emails).toHaveLength(1);

    await flushMirror();
    expect(await mirror.redis.get(cacheKeys.credits(organization.id))).toBe("6");
  });
});
