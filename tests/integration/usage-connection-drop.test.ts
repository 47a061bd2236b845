import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, describe, expect, inject, it } from "vitest";
import { closeDatabase, db } from "@/db/client";
import { usageEvents } from "@/db/schema";
import { getBalance, sumLedger } from "@/lib/credits";
import { usageGroupStats } from "@/lib/credits/usage-group";
import { startTcpProxy, type CutMoment } from "../helpers/tcp-proxy";
import { createOrganizationWithKey } from "../helpers/usage";

// The app reaches the test database through a proxy that cuts one connection in the middle of a report.
const direct = new URL(inject("databaseUrl"));
const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
const proxied = new URL(direct);
proxied.port = String(proxy.port);
process.env.DATABASE_URL = proxied.toString();
process.env.USAGE_SERVICE_TOKENS = "connection-drop-test-token";

const { POST: reportRoute } = await import("@/app/api/usage/route");
const { POST: batchRoute } = await import("@/app/api/usage/batch/route");

async function post(route: (request: Request) => Promise<Response>, body: unknown) {
  const response = await route(
    new Request("http://portal.test/api/usage", {
      method: "POST",
      headers: { authorization: "Bearer connection-drop-test-token", "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

type Result = { success: boolean; duplicate?: boolean; usageId?: string; remainingCredits?: number };
const opening = 10_000;

async function recordedIds(organizationId: string, requestIds: string[]) {
  return db
    .select({ id: usageEvents.id, requestId: usageEvents.requestId })
    .from(usageEvents)
    .where(and(eq(usageEvents.organizationId, organizationId), inArray(usageEvents.requestId, requestIds)));
}

/**
 * What a 503 promises, whichever side of the commit the connection broke on: the report was recorded at
 * most once, and a retry with the same requestId makes it exactly once. Returns the usage rows.
 */
async function expectRecordedOnce(organizationId: string, requestIds: string[], credits: number) {
  const rows = await recordedIds(organizationId, requestIds);
  expect(rows.map((row) => row.requestId).sort()).toEqual([...requestIds].sort());
  expect(await getBalance(organizationId)).toBe(opening - credits * requestIds.length);
  expect(await sumLedger(organizationId)).toBe(opening - credits * requestIds.length);
  return rows;
}

const cases: Array<[CutMoment, string]> = [
  ["before-delivery", "Postgres never receives the statement: 503, nothing recorded; the retry charges it once"],
  ["after-answer", "Postgres committed, the answer is lost: 503; the retry answers duplicate and charges nothing more"],
];

// Far above the low-credit threshold, so no alert email is part of these tests.
const newFixture = () => createOrganizationWithKey(opening);

describe("a usage report whose database connection is cut mid-statement", () => {
  afterAll(async () => {
    await closeDatabase();
    await proxy.close();
  });

  it.each(cases)("single report, cut %s: %s", async (when) => {
    const { organization, key } = await newFixture();
    const report = { apiKey: key, requestId: randomUUID(), credits: 5 };
    // The deduction's parameters carry the requestId: the cut falls on the deduction itself.
    const cut = proxy.cutConnection({ arm: (sent) => sent.includes(report.requestId), when });
    const answer = await post(reportRoute, report);
    await cut;
    expect(answer).toMatchObject({ status: 503, body: { success: false, error: "unavailable" } });
    const committed = when === "after-answer";
    expect(await recordedIds(organization.id, [report.requestId])).toHaveLength(committed ? 1 : 0);
    expect(await getBalance(organization.id)).toBe(opening - (committed ? 5 : 0));

    const retried = await post(reportRoute, report);
    expect(retried).toMatchObject({ status: 200, body: { success: true, duplicate: committed, remainingCredits: opening - 5 } });
    const [row] = await expectRecordedOnce(organization.id, [report.requestId], 5);
    expect(retried.body.usageId).toBe(row!.id);
    expect((await post(reportRoute, report)).body).toMatchObject({ duplicate: true, usageId: row!.id });
    await expectRecordedOnce(organization.id, [report.requestId], 5);
  });

  // A batch whose events all fit goes as one statement on its own; one with a refused event is decided in a
  // transaction (lib/credits/usage-batch.ts). Each is cut at its write (before delivery), or after Postgres
  // committed it: the single statement's answer, or the transaction's COMMIT.
  const batchCases = cases.flatMap(([when, what]): Array<[CutMoment, string, boolean]> => [
    [when, `${what} (one statement)`, false],
    [when, `${what} (a refused event: a transaction)`, true],
  ]);

  it.each(batchCases)("batch, cut %s: %s", async (when, _what, withRefusal) => {
    const { organization, key } = await newFixture();
    const events = Array.from({ length: 3 }, () => ({ apiKey: key, requestId: randomUUID(), credits: 2 }));
    const requestIds = events.map((event) => event.requestId);
    const refused = { apiKey: key, requestId: randomUUID(), credits: 2 * opening };
    const sent = withRefusal ? [...events, refused] : events;
    // Armed by the batch's first statement that names its requestIds: the one statement itself (a named
    // statement, whose text is not sent again on a connection that ran it before), or the transaction's read
    // of earlier reports, cut later at its write or its COMMIT.
    const at = (bytes: string) => (when === "after-answer" ? /\bcommit\b/i.test(bytes) : bytes.includes("insert into usage_events"));
    const cut = proxy.cutConnection({ arm: (bytes) => bytes.includes(requestIds[0]!), ...(withRefusal ? { at } : {}), when });
    const answer = await post(batchRoute, { events: sent });
    await cut;
    expect(answer).toMatchObject({ status: 503, body: { success: false, error: "unavailable" } });
    const committed = when === "after-answer";
    expect(await recordedIds(organization.id, requestIds)).toHaveLength(committed ? 3 : 0);
    expect(await getBalance(organization.id)).toBe(opening - (committed ? 6 : 0));

    const retried = await post(batchRoute, { events: sent });
    expect(retried.status).toBe(200);
    const results = retried.body.results as Result[];
    expect(results.slice(0, 3).map((result) => [result.success, result.duplicate])).toEqual(Array(3).fill([true, committed]));
    expect(results[2]!.remainingCredits).toBe(opening - 6);
    if (withRefusal) expect(results[3]).toMatchObject({ success: false, error: "insufficient_credits", remainingCredits: opening - 6 });
    const rows = await expectRecordedOnce(organization.id, requestIds, 2);
    expect(results.slice(0, 3).map((result) => result.usageId).sort()).toEqual(rows.map((row) => row.id).sort());
  });

  it("grouped single reports, cut before their combined statement is delivered: 503 for each of them, none recorded; the retries charge each once", async () => {
    const { organization, key } = await newFixture();
    const [first, ...grouped] = Array.from({ length: 4 }, () => ({ apiKey: key, requestId: randomUUID(), credits: 3 }));
    const groupedIds = grouped.map((report) => report.requestId);
    // The first bytes that name them are their combined statement's.
    const cut = proxy.cutConnection({ arm: (sent) => sent.includes(groupedIds[0]!), when: "before-delivery" });
    // The first goes out alone; the three sent while it is in flight go together once it returns.
    const groupsBefore = usageGroupStats.groups;
    const answers = await Promise.all([first!, ...grouped].map((report) => post(reportRoute, report)));
    await cut;
    expect(usageGroupStats.groups - groupsBefore).toBe(1);
    expect(answers[0]).toMatchObject({ status: 200, body: { success: true, duplicate: false } });
    for (const answer of answers.slice(1)) expect(answer).toMatchObject({ status: 503, body: { success: false, error: "unavailable" } });
    expect(await recordedIds(organization.id, groupedIds)).toHaveLength(0);
    expect(await getBalance(organization.id)).toBe(opening - 3);

    for (const report of grouped) expect((await post(reportRoute, report)).body).toMatchObject({ success: true, duplicate: false });
    await expectRecordedOnce(organization.id, [first!.requestId, ...groupedIds], 3);
  });
});
