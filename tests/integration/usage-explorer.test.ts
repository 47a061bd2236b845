import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, queryRows } from "@/db/client";
import { usageEvents } from "@/db/schema";
import { createApiKey, revokeApiKey } from "@/lib/keys";
import { getUsageTotals, listUsageEvents, listUsageFilterOptions, loadUsageExplorer } from "@/lib/usage/explorer";
import { parseUsageView, unknownKeyMessage, type SortDirection, type UsageCursor, type UsageFilter, type UsageSort } from "@/lib/usage/explorer-params";
import { reportUsageBatch } from "@/lib/usage/report";
import { startUsageWorkers } from "@/lib/usage/workers";
import { createOrganizationWithKey } from "../helpers/usage";

beforeAll(() => startUsageWorkers({ sweep: false }));

type Row = { id: string; time: string; credits: number; key: string; endpoint: string | null; day: string };

// Three UTC days, four instants that many events share, three credit values: ties on both sort keys.
const instants = ["2026-03-01T23:59:59.999Z", "2026-03-02T00:00:00.000Z", "2026-03-02T12:00:00.000Z", "2026-03-03T08:00:00.000Z"];
const endpoints = ["/v1/query", "/v1/search", undefined];
const wholeRange: UsageFilter = { from: "2026-03-01", to: "2026-03-03" };

let org: Awaited<ReturnType<typeof createOrganizationWithKey>>;
let other: Awaited<ReturnType<typeof createOrganizationWithKey>>;
let secondKeyId: string;
let all: Row[];

beforeAll(async () => {
  org = await createOrganizationWithKey(100_000);
  other = await createOrganizationWithKey(100_000);
  const second = await createApiKey({ organizationId: org.organization.id, createdByUserId: org.admin.id, name: "second key", scopes: ["query"] });
  secondKeyId = second.apiKey.id;
  const events = Array.from({ length: 47 }, (_, i) => ({
    apiKey: i % 3 === 0 ? second.key : org.key,
    requestId: `explorer-${i}`,
    credits: 1 + (i % 3),
    endpoint: endpoints[i % endpoints.length],
    occurredAt: instants[i % instants.length],
  }));
  const answer = await reportUsageBatch({ events });
  expect((answer.body.results as Array<{ success: boolean }>).every((result) => result.success)).toBe(true);
  await reportUsageBatch({ events: [{ apiKey: other.key, requestId: "other", credits: 5, endpoint: "/v1/query", occurredAt: instants[1] }] });
  // Two events one microsecond apart, inside one millisecond: a cursor that went through a JS Date would lose one.
  await db.execute(sql`update usage_events set occurred_at = occurred_at + interval '1 microsecond'
    where organization_id = ${org.organization.id} and request_id in ('explorer-0', 'explorer-8')`);
  // Revoked keys keep their usage and stay in the filter.
  await revokeApiKey({ organizationId: org.organization.id, keyId: secondKeyId, actorUserId: org.admin.id });
  all = await queryRows<Row>(db, sql`
    select id::text, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as time, credits,
           api_key_id::text as key, endpoint, (occurred_at at time zone 'UTC')::date::text as day
    from usage_events where organization_id = ${org.organization.id}`);
  expect(all).toHaveLength(47);
});

/** The filtered rows in the order the explorer promises: the sort value, then the id, in one direction. */
function expectedOrder(rows: Row[], sort: UsageSort, dir: SortDirection) {
  const value = (row: Row) => (sort === "time" ? row.time : String(row.credits).padStart(10, "0"));
  const sorted = [...rows].sort((a, b) => (value(a) === value(b) ? (a.id < b.id ? -1 : 1) : value(a) < value(b) ? -1 : 1));
  return (dir === "asc" ? sorted : sorted.reverse()).map((row) => row.id);
}

async function walk(filter: UsageFilter, sort: UsageSort, dir: SortDirection, limit: number) {
  const pages: string[][] = [];
  let cursor: UsageCursor | undefined;
  let last: Awaited<ReturnType<typeof listUsageEvents>>;
  do {
    last = await listUsageEvents(org.organization.id, filter, { sort, dir, cursor, limit });
    pages.push(last.events.map((event) => event.id));
    cursor = last.next;
  } while (cursor && pages.length < 100);
  // And back again from the last page, with the previous cursors.
  const back: string[][] = [];
  let page = last;
  while (page.previous && back.length < 100) {
    page = await listUsageEvents(org.organization.id, filter, { sort, dir, cursor: page.previous, limit });
    back.unshift(page.events.map((event) => event.id));
  }
  return { pages, back, firstPageHasPrevious: back.length > 0 };
}

describe("usage explorer pages", () => {
  const orders = (["time", "credits"] as const).flatMap((sort) => (["desc", "asc"] as const).map((dir) => [sort, dir] as const));

  it.each(orders)("walk the whole filtered set exactly once, sorted by %s %s, forwards and back", async (sort, dir) => {
    const { pages, back } = await walk(wholeRange, sort, dir, 5);
    expect(pages.flat()).toEqual(expectedOrder(all, sort, dir));
    expect(pages.slice(0, -1).every((page) => page.length === 5)).toBe(true);
    // Previous from the last page returns the same pages, down to the first one, which has no previous.
    expect(back).toEqual(pages.slice(0, -1));
  });

  it("keeps the microsecond apart events apart in the cursor", async () => {
    const { pages } = await walk(wholeRange, "time", "desc", 1);
    expect(pages.flat()).toEqual(expectedOrder(all, "time", "desc"));
  });

  it.each<[string, UsageFilter, (row: Row) => boolean]>([
    ["a key (revoked)", { ...wholeRange, keyId: "" }, (row) => row.key === secondKeyId],
    ["an endpoint", { ...wholeRange, endpoint: "/v1/search" }, (row) => row.endpoint === "/v1/search"],
    ["one day", { from: "2026-03-02", to: "2026-03-02" }, (row) => row.day === "2026-03-02"],
    ["a key, an endpoint and a day", { from: "2026-03-01", to: "2026-03-01", keyId: "", endpoint: "/v1/query" }, (row) => row.key === secondKeyId && row.endpoint === "/v1/query" && row.day === "2026-03-01"],
  ])("filters by %s, with totals equal to the sum of its events", async (_name, template, matches) => {
    const filter = { ...template, keyId: template.keyId === "" ? secondKeyId : template.keyId };
    const wanted = all.filter(matches);
    expect(wanted.length).toBeGreaterThan(0);
    const { pages } = await walk(filter, "credits", "desc", 4);
    expect(pages.flat()).toEqual(expectedOrder(wanted, "credits", "desc"));
    expect(await getUsageTotals(org.organization.id, filter)).toEqual({
      requests: wanted.length,
      credits: wanted.reduce((sum, row) => sum + row.credits, 0),
    });
  });

  it("shows the key's name and the event's balance", async () => {
    const page = await listUsageEvents(org.organization.id, wholeRange, { sort: "time", dir: "asc", limit: 1 });
    const [stored] = await db.select().from(usageEvents).where(eq(usageEvents.id, page.events[0]!.id));
    expect(page.events[0]).toMatchObject({ balanceAfter: stored!.balanceAfter, requestId: stored!.requestId, apiKeyName: expect.any(String) });
    expect(page.previous).toBeUndefined();
  });

  it("gives nothing for another organization's key, and never its events", async () => {
    const foreign = { ...wholeRange, keyId: other.apiKey.id };
    expect((await listUsageEvents(org.organization.id, foreign, { sort: "time", dir: "desc" })).events).toEqual([]);
    expect(await getUsageTotals(org.organization.id, foreign)).toEqual({ requests: 0, credits: 0 });
    const otherPage = await listUsageEvents(other.organization.id, wholeRange, { sort: "time", dir: "desc" });
    expect(otherPage.events.map((event) => event.requestId)).toEqual(["other"]);
  });

  it("answers another organization's key id as it answers a made-up one: dropped, with the same message", async () => {
    const now = new Date("2026-03-03T12:00:00Z");
    for (const keyId of [other.apiKey.id, "00000000-0000-4000-8000-000000000000"]) {
      const loaded = await loadUsageExplorer(org.organization.id, parseUsageView({ keyId, from: "2026-03-01" }, now));
      expect(loaded.issues).toEqual({ keyId: unknownKeyMessage });
      expect(loaded.view.filter.keyId).toBeUndefined();
      expect(loaded.totals.requests).toBe(47);
      expect(loaded.page.events).toHaveLength(47);
    }
    const own = await loadUsageExplorer(org.organization.id, parseUsageView({ keyId: secondKeyId, from: "2026-03-01" }, now));
    expect([own.issues, own.totals.requests]).toEqual([{}, all.filter((row) => row.key === secondKeyId).length]);
  });

  it("offers every key of the organization, revoked ones too, and the endpoints it has used", async () => {
    const options = await listUsageFilterOptions(org.organization.id);
    expect(options.keys.map((key) => key.id).sort()).toEqual([org.apiKey.id, secondKeyId].sort());
    expect(options.keys.find((key) => key.id === secondKeyId)?.revokedAt).toBeInstanceOf(Date);
    expect(options.endpoints).toEqual(["/v1/query", "/v1/search"]);
    expect(options.hasUsage).toBe(true);
    const fresh = await createOrganizationWithKey(0);
    expect(await listUsageFilterOptions(fresh.organization.id)).toMatchObject({ endpoints: [], hasUsage: false });
  });
});
