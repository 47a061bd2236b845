import { and, asc, desc, eq, gte, lt, lte, sql, type SQL } from "drizzle-orm";
import { db } from "@/db/client";
import { apiKeys, usageDaily, usageEvents } from "@/db/schema";
import {
  addDays,
  unknownKeyMessage,
  type SortDirection,
  type UsageCursor,
  type UsageFilter,
  type UsageSort,
  type UsageView,
  type UsageViewIssues,
} from "./explorer-params";

export const usagePageSize = 50;
// A select of a few hundred endpoints is already more than a person can scan; the rest stay reachable by URL.
const maxEndpointOptions = 500;

// The time as Postgres holds it, to the microsecond: a JS Date would round it and a cursor would skip rows.
const exactOccurredAt = sql<string>`to_char(${usageEvents.occurredAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function eventConditions(organizationId: string, filter: UsageFilter) {
  return [
    eq(usageEvents.organizationId, organizationId),
    gte(usageEvents.occurredAt, new Date(`${filter.from}T00:00:00Z`)),
    lt(usageEvents.occurredAt, new Date(`${addDays(filter.to, 1)}T00:00:00Z`)),
    filter.keyId ? eq(usageEvents.apiKeyId, filter.keyId) : undefined,
    filter.endpoint ? eq(usageEvents.endpoint, filter.endpoint) : undefined,
  ];
}

/** Rows past the cursor in the order being read: a row comparison, which the (org, value, id) index answers. */
function pastCursor(sort: UsageSort, cursor: UsageCursor, ascending: boolean): SQL {
  const value = sort === "time" ? sql`${cursor.value}::timestamptz` : sql`${cursor.value}::integer`;
  const column = sort === "time" ? usageEvents.occurredAt : usageEvents.credits;
  return ascending
    ? sql`(${column}, ${usageEvents.id}) > (${value}, ${cursor.id}::uuid)`
    : sql`(${column}, ${usageEvents.id}) < (${value}, ${cursor.id}::uuid)`;
}

export type UsageEventRow = Awaited<ReturnType<typeof selectEvents>>[number];

function selectEvents(organizationId: string, where: SQL | undefined, order: SQL[], limit: number) {
  return db
    .select({
      id: usageEvents.id,
      occurredAt: usageEvents.occurredAt,
      exactOccurredAt,
      requestId: usageEvents.requestId,
      apiKeyId: usageEvents.apiKeyId,
      apiKeyName: apiKeys.name,
      endpoint: usageEvents.endpoint,
      credits: usageEvents.credits,
      balanceAfter: usageEvents.balanceAfter,
    })
    .from(usageEvents)
    .innerJoin(apiKeys, and(eq(apiKeys.id, usageEvents.apiKeyId), eq(apiKeys.organizationId, organizationId)))
    .where(where)
    .orderBy(...order)
    .limit(limit);
}

export type UsageEventsPage = { events: UsageEventRow[]; next?: UsageCursor; previous?: UsageCursor };

/**
 * One page of an organization's usage events in the filter, by keyset (never OFFSET): sorted by time or by
 * credits with the id breaking ties, so rows that share a time or a credit count are neither skipped nor
 * repeated. A `before` cursor reads the previous page backwards and turns it around.
 */
export async function listUsageEvents(
  organizationId: string,
  filter: UsageFilter,
  options: { sort: UsageSort; dir: SortDirection; cursor?: UsageCursor; limit?: number },
): Promise<UsageEventsPage> {
  const limit = Math.min(Math.max(options.limit ?? usagePageSize, 1), 200);
  const { sort, cursor } = options;
  const backwards = cursor?.side === "before";
  const ascending = (options.dir === "asc") !== backwards;
  const column = sort === "time" ? usageEvents.occurredAt : usageEvents.credits;
  const by = ascending ? asc : desc;
  const rows = await selectEvents(
    organizationId,
    and(...eventConditions(organizationId, filter), cursor ? pastCursor(sort, cursor, ascending) : undefined),
    [by(column), by(usageEvents.id)],
    limit + 1,
  );
  const more = rows.length > limit;
  const events = rows.slice(0, limit);
  if (backwards) events.reverse();
  const first = events[0];
  const last = events.at(-1);
  const cursorOf = (side: UsageCursor["side"], row: UsageEventRow): UsageCursor => ({
    side,
    value: sort === "time" ? row.exactOccurredAt : String(row.credits),
    id: row.id,
  });
  return {
    events,
    next: last && (backwards || more) ? cursorOf("after", last) : undefined,
    previous: first && (backwards ? more : Boolean(cursor)) ? cursorOf("before", first) : undefined,
  };
}

/** Requests and credits in the filter, from the daily rollups: exact, since the filter is by whole UTC days. */
export async function getUsageTotals(organizationId: string, filter: UsageFilter) {
  const [row] = await db
    .select({
      requests: sql<string>`coalesce(sum(${usageDaily.requests}), 0)`,
      credits: sql<string>`coalesce(sum(${usageDaily.credits}), 0)`,
    })
    .from(usageDaily)
    .where(
      and(
        eq(usageDaily.organizationId, organizationId),
        gte(usageDaily.day, filter.from),
        lte(usageDaily.day, filter.to),
        filter.keyId ? eq(usageDaily.apiKeyId, filter.keyId) : undefined,
        filter.endpoint ? eq(usageDaily.endpoint, filter.endpoint) : undefined,
      ),
    );
  return { requests: Number(row?.requests ?? 0), credits: Number(row?.credits ?? 0) };
}

/**
 * What the filters offer: every key of the organization (revoked ones too, their usage stays), and the
 * endpoints its rollups have seen. `hasUsage` tells "no usage yet" from "nothing matches".
 */
export async function listUsageFilterOptions(organizationId: string) {
  const [keys, endpointRows] = await Promise.all([
    db
      .select({ id: apiKeys.id, name: apiKeys.name, revokedAt: apiKeys.revokedAt })
      .from(apiKeys)
      .where(eq(apiKeys.organizationId, organizationId))
      .orderBy(asc(apiKeys.name), asc(apiKeys.createdAt)),
    db
      .selectDistinct({ endpoint: usageDaily.endpoint })
      .from(usageDaily)
      .where(eq(usageDaily.organizationId, organizationId))
      .orderBy(asc(usageDaily.endpoint))
      .limit(maxEndpointOptions + 1),
  ]);
  return {
    keys,
    // Reports without an endpoint roll up under '': they are listed in the table, not offered as a filter.
    endpoints: endpointRows.map((row) => row.endpoint).filter((endpoint) => endpoint !== "").slice(0, maxEndpointOptions),
    hasUsage: endpointRows.length > 0,
  };
}

export type UsageFilterOptions = Awaited<ReturnType<typeof listUsageFilterOptions>>;

/**
 * Everything the explorer page shows for a parsed view. A key id that is not one of the organization's keys
 * is dropped with the same message whether or not it exists elsewhere, so the page reveals nothing.
 */
export async function loadUsageExplorer(organizationId: string, parsed: { view: UsageView; issues: UsageViewIssues }) {
  let { view } = parsed;
  const issues = { ...parsed.issues };
  const [options, filteredTotals] = await Promise.all([
    listUsageFilterOptions(organizationId),
    getUsageTotals(organizationId, view.filter),
  ]);
  let totals = filteredTotals;
  if (view.filter.keyId && !options.keys.some((key) => key.id === view.filter.keyId)) {
    view = { ...view, filter: { ...view.filter, keyId: undefined }, cursor: undefined };
    issues.keyId = unknownKeyMessage;
    totals = await getUsageTotals(organizationId, view.filter);
  }
  // The rollups are exact: when nothing matches, reading the events would only walk the index to its end.
  const page: UsageEventsPage =
    totals.requests > 0 ? await listUsageEvents(organizationId, view.filter, { sort: view.sort, dir: view.dir, cursor: view.cursor }) : { events: [] };
  return { view, issues, options, totals, page };
}
