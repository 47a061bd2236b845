import { randomBytes, randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { usageEvents } from "@/db/schema";
import { getBalance, sumLedger } from "@/lib/credits";
import { createOrganizationWithKey } from "../helpers/usage";

process.env.USAGE_SERVICE_TOKENS = "validation-test-token";
const { POST: reportRoute } = await import("@/app/api/usage/route");
const { POST: batchRoute } = await import("@/app/api/usage/batch/route");

type Result = { index: number; success: boolean; error?: string; duplicate?: boolean; usageId?: string; issues?: Array<{ message: string }> };

// 5,000 levels are more than JSON.stringify can write (it overflows the stack), so the body is spliced as text.
const deepMarker = "@@metadata nested 5,000 levels deep@@";
const deepMetadata = `${'{"a":'.repeat(5_000)}{"leaf":1}${"}".repeat(5_000)}`;

async function post(route: (request: Request) => Promise<Response>, body: unknown) {
  const response = await route(
    new Request("http://portal.test/api/usage", {
      method: "POST",
      headers: { authorization: "Bearer validation-test-token", "content-type": "application/json" },
      // JSON.stringify writes NUL and lone surrogates as \u escapes, which JSON.parse on the route turns back.
      body: JSON.stringify(body).replaceAll(JSON.stringify(deepMarker), deepMetadata),
    }),
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function recorded(apiKeyId: string) {
  return db.select().from(usageEvents).where(eq(usageEvents.apiKeyId, apiKeyId));
}

async function expectConsistent(organizationId: string, balance: number) {
  expect(await getBalance(organizationId)).toBe(balance);
  expect(await sumLedger(organizationId)).toBe(balance);
}

// Each of these made the single route answer 500 and the batch answer 500 for all of its events.
const invalidEvents: Array<[string, Record<string, unknown>]> = [
  ["a NUL in requestId", { requestId: "nul-\u0000" }],
  ["a NUL in endpoint", { endpoint: "/v1/\u0000query" }],
  ["a NUL in a metadata string", { metadata: { note: "a\u0000b" } }],
  ["a NUL in a metadata key inside an array", { metadata: { list: [{ ["k\u0000"]: 1 }] } }],
  ["an unpaired surrogate in metadata", { metadata: { note: "\ud800" } }],
  ["an unpaired surrogate in requestId", { requestId: "x-\udc00" }],
  ["occurredAt in year 0", { occurredAt: "0000-01-01T00:00:00Z" }],
  ["occurredAt past year 9999", { occurredAt: "9999-12-31T23:59:59-23:59" }],
  ["metadata nested 5,000 levels deep", { metadata: deepMarker }],
];

describe("invalid usage events (SPEC section 2)", () => {
  it.each(invalidEvents)("the single route answers %s with 400 and records nothing", async (_label, invalid) => {
    const { organization, apiKey, key } = await createOrganizationWithKey(1_000);
    const answer = await post(reportRoute, { apiKey: key, requestId: randomUUID(), credits: 5, ...invalid });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ success: false, error: "invalid_request" });
    expect((answer.body.issues as unknown[]).length).toBeGreaterThan(0);
    expect(await recorded(apiKey.id)).toEqual([]);
    await expectConsistent(organization.id, 1_000);
  });

  it.each(invalidEvents)("a 1,000-event batch answers %s alone with 400 and records the other 999", async (_label, invalid) => {
    const { organization, apiKey, key } = await createOrganizationWithKey(10_000);
    const poisoned = 1 + Math.floor(Math.random() * 998);
    const events = Array.from({ length: 1_000 }, (_, index) => ({
      apiKey: key,
      requestId: `event-${index}`,
      credits: 2,
      endpoint: "/v1/query",
      metadata: { index },
      ...(index === poisoned ? invalid : {}),
    }));
    const answer = await post(batchRoute, { events });
    expect(answer.status).toBe(200);
    const results = answer.body.results as Result[];
    expect(results.map((result) => result.index)).toEqual(events.map((_, index) => index));
    expect(results[poisoned]).toMatchObject({ success: false, error: "invalid_request" });
    expect(results.filter((result) => result.success)).toHaveLength(999);
    const rows = await recorded(apiKey.id);
    expect(rows).toHaveLength(999);
    expect(new Set(rows.map((row) => row.requestId)).size).toBe(999);
    expect(rows.some((row) => (row.metadata as { index: number }).index === poisoned)).toBe(false);
    await expectConsistent(organization.id, 10_000 - 999 * 2);
  });
});

describe("requestIds that Postgres would store alike", () => {
  it("refuses x-\\ud800 and x-\\ud801, and keeps x-\\ufffd as an id of its own", async () => {
    const { organization, apiKey, key } = await createOrganizationWithKey(1_000);
    for (const requestId of ["x-\ud800", "x-\ud801"]) {
      const answer = await post(reportRoute, { apiKey: key, requestId, credits: 3 });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: "invalid_request" });
    }
    const replacement = await post(reportRoute, { apiKey: key, requestId: "x-\ufffd", credits: 3 });
    expect(replacement.status).toBe(200);
    expect(replacement.body).toMatchObject({ success: true, duplicate: false, remainingCredits: 997 });
    const other = await post(reportRoute, { apiKey: key, requestId: "x-\ufffe", credits: 3 });
    expect(other.body).toMatchObject({ success: true, duplicate: false, remainingCredits: 994 });
    const rows = await recorded(apiKey.id);
    expect(rows.map((row) => row.requestId).sort()).toEqual(["x-\ufffd", "x-\ufffe"]);
    await expectConsistent(organization.id, 994);
  });
});

describe("an event that passes validation but that Postgres refuses", () => {
  // A CHECK constraint of this test run only: an event whose metadata has `poisonKey` fails in the database,
  // with 22P02 (not an integer) or 23514 (negative). Events of other test files never carry the key.
  const suffix = randomBytes(4).toString("hex");
  const poisonKey = `poison_${suffix}`;
  const constraint = `usage_events_test_poison_${suffix}`;
  beforeAll(async () => {
    await db.execute(sql.raw(`alter table usage_events add constraint ${constraint} check (coalesce((metadata->>'${poisonKey}')::int, 0) >= 0)`));
  });
  afterAll(async () => {
    await db.execute(sql.raw(`alter table usage_events drop constraint if exists ${constraint}`));
  });

  it("is answered 400 by the single route, and nothing is charged", async () => {
    const { organization, apiKey, key } = await createOrganizationWithKey(100);
    for (const value of ["not a number", -1]) {
      const answer = await post(reportRoute, { apiKey: key, requestId: randomUUID(), credits: 5, metadata: { [poisonKey]: value } });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ success: false, error: "invalid_request" });
    }
    expect(await recorded(apiKey.id)).toEqual([]);
    await expectConsistent(organization.id, 100);
  });

  it("is found by bisecting the batch; every other event is decided in request order and recorded once", async () => {
    const a = await createOrganizationWithKey(600);
    const b = await createOrganizationWithKey(300);
    const poison = new Map<number, unknown>([[0, "x"], [10, -1], [500, "y"], [501, -5], [999, "z"]]);
    const duplicateOf = new Map([[700, 3], [998, 11]]);
    const events = Array.from({ length: 1_000 }, (_, index) => {
      const source = duplicateOf.get(index) ?? index;
      const fixture = source % 3 === 0 ? b : a;
      const metadata = poison.has(index) ? { [poisonKey]: poison.get(index) } : { index: source };
      return { apiKey: fixture.key, requestId: `event-${source}`, credits: 1, metadata };
    });

    // What the single route would answer, event by event, in request order.
    const balances = new Map([[a.key, 600], [b.key, 300]]);
    const applied = new Set<string>();
    const expected = events.map((event, index) => {
      const id = `${event.apiKey}:${event.requestId}`;
      if (applied.has(id)) return "duplicate";
      const balance = balances.get(event.apiKey)!;
      if (balance < event.credits) return "insufficient_credits";
      // Only a write can fail: a poison event refused for want of credits is answered as such (index 999).
      if (poison.has(index)) return "invalid_request";
      balances.set(event.apiKey, balance - event.credits);
      applied.add(id);
      return "applied";
    });
    expect(expected.filter((outcome) => outcome === "insufficient_credits").length).toBeGreaterThan(0);
    const refused = [...poison.keys()].filter((index) => expected[index] === "invalid_request");
    expect(refused).toEqual([0, 10, 500, 501]);

    const answer = await post(batchRoute, { events });
    expect(answer.status).toBe(200);
    const results = answer.body.results as Result[];
    const outcomes = results.map((result) => (result.success ? (result.duplicate ? "duplicate" : "applied") : result.error));
    expect(outcomes).toEqual(expected);
    for (const index of refused) expect(results[index]!.issues![0]!.message).toMatch(/database/i);
    for (const [index, source] of duplicateOf) expect(results[index]!.usageId).toBe(results[source]!.usageId);

    const rows = [...(await recorded(a.apiKey.id)), ...(await recorded(b.apiKey.id))];
    expect(rows).toHaveLength(applied.size);
    expect(new Set(rows.map((row) => `${row.apiKeyId}:${row.requestId}`)).size).toBe(applied.size);
    await expectConsistent(a.organization.id, balances.get(a.key)!);
    await expectConsistent(b.organization.id, balances.get(b.key)!);

    // Sent again, nothing is charged twice: every recorded event is a duplicate, and with both balances spent
    // every other event (the poison included) is refused for want of credits.
    expect([balances.get(a.key), balances.get(b.key)]).toEqual([0, 0]);
    const again = (await post(batchRoute, { events })).body.results as Result[];
    again.forEach((result, index) => {
      if (expected[index] === "invalid_request" || expected[index] === "insufficient_credits") expect(result.error).toBe("insufficient_credits");
      else expect(result).toMatchObject({ success: true, duplicate: true, usageId: results[index]!.usageId });
    });
    await expectConsistent(a.organization.id, balances.get(a.key)!);
    await expectConsistent(b.organization.id, balances.get(b.key)!);
  });
});
