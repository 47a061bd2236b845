import { sql } from "drizzle-orm";
import type { Segment } from "./seed-usage-plan";

/**
 * The SQL that writes seeded usage, set-based: one statement per slice of the plan generates its events
 * with generate_series, inserts them with their balance_after (a running sum), and adds them to the daily
 * rollups. What an event is (its endpoint, credits, key) is a pure function of its index, through Postgres's
 * hashint8extended, so the credits of the whole run can be summed before any row is written.
 */

export const seedEndpoints = [
  "/v1/companies/search",
  "/v1/companies/lookup",
  "/v1/people/search",
  "/v1/people/enrich",
  "/v1/news",
  "/v1/exports/bulk",
] as const;

/**
 * An array as one parameter, in Postgres's array literal form: drizzle spreads a JS array into a list of
 * parameters, which is not an array to Postgres, and the literal reads the same through every driver.
 */
function arrayParam(values: Array<string | number>) {
  return `{${values.map((value) => `"${String(value).replace(/["\\]/g, "\\$&")}"`).join(",")}}`;
}

/** Shares in percent of the keys, in the order of the key ids passed; the last is the revoked key. */
const keyShares = [38, 24, 16, 12, 10];

function cumulativeCases(shares: number[], column: string) {
  let bound = 0;
  const cases = shares.map((share, index) => {
    bound += share;
    return `when ${column} < ${bound} then ${index + 1}`;
  });
  return sql.raw(`case ${cases.join(" ")} else ${shares.length + 1} end`);
}

/**
 * Joined to a row source `gen(i)`: the rolls of event i, its endpoint slot (1..6, or 7 for "no endpoint",
 * which indexes past the array and so is null) and its credits: searches and lookups cost 1, people search
 * and news 2, enrichment 3 to 7, a bulk export 10 to 40, a report without an endpoint 1.
 */
const eventTraits = sql`
  cross join lateral (
    select abs(hashint8extended(gen.i, 11) % 100) as endpoint_roll,
           abs(hashint8extended(gen.i, 12) % 1000) as cost_roll,
           abs(hashint8extended(gen.i, 13) % 100) as key_roll
  ) roll
  cross join lateral (select ${cumulativeCases([30, 20, 15, 15, 8, 4], "roll.endpoint_roll")} as endpoint_slot) slot
  cross join lateral (
    select case slot.endpoint_slot when 3 then 2 when 4 then 3 + roll.cost_roll % 5 when 5 then 2 when 6 then 10 + roll.cost_roll % 31 else 1 end
      as credits
  ) cost`;

/** The credits of events first..last, and of those from `recentFrom` on (the last week, for the forecast). */
export function creditSumStatement(first: number, last: number, recentFrom: number) {
  return sql`
    select coalesce(sum(cost.credits), 0)::bigint as total,
           coalesce(sum(cost.credits) filter (where gen.i >= ${recentFrom}::bigint), 0)::bigint as recent
    from generate_series(${first}::bigint, ${last}::bigint) as gen(i) ${eventTraits}`;
}

export type ChunkInput = {
  organizationId: string;
  /** The seeded keys, the revoked one last; it takes its share only before `revokedAt`. */
  keyIds: string[];
  revokedAt: Date;
  /** Six hex digits that set this run's event ids and request ids apart from any other run's. */
  runTag: string;
  /** The balance right before the chunk's first event. */
  balanceBefore: number;
  segments: Segment[];
};

export type ChunkDayRow = { day: string; api_key_id: string; requests: number; credits: string | number; last_at: Date | string };

/**
 * One slice: the events, their rollups, and per day and key what was written (for the ledger rows and
 * the keys' last use). Ids are version-7-shaped UUIDs from the event's time (ordered like the events,
 * so the primary key grows at its end instead of at random places) with the run tag and the index after it.
 */
export function chunkStatement(input: ChunkInput) {
  const { segments, keyIds, runTag } = input;
  const revokedSlot = keyIds.length;
  const column = (pick: (segment: Segment) => string | number) => arrayParam(segments.map(pick));
  return sql`
    with seg as (
      select * from unnest(
        ${column((s) => new Date(s.day.startMs).toISOString())}::timestamptz[], ${column((s) => s.day.spanMs)}::float8[],
        ${column((s) => s.day.count)}::int[], ${column((s) => s.day.firstIndex)}::bigint[],
        ${column((s) => s.offset)}::int[], ${column((s) => s.count)}::int[]
      ) as s(day_start, span_ms, day_count, first_index, day_offset, n)
    ),
    gen as (
      select s.first_index + s.day_offset + g.k as i,
             s.day_start + make_interval(secs => s.span_ms * (s.day_offset + g.k + 0.5) / s.day_count / 1000.0) as occurred_at
      from seg s cross join lateral generate_series(0, s.n - 1) as g(k)
    ),
    events as materialized (
      select gen.i, gen.occurred_at, cost.credits,
             (${arrayParam(keyIds)}::uuid[])[case when key_slot.n = ${revokedSlot} and gen.occurred_at >= ${input.revokedAt.toISOString()}::timestamptz then 1 else key_slot.n end] as api_key_id,
             (${arrayParam([...seedEndpoints])}::text[])[slot.endpoint_slot] as endpoint,
             'req_' || ${runTag}::text || '_' || lpad(gen.i::text, 8, '0') as request_id,
             ${input.balanceBefore}::bigint - sum(cost.credits) over (order by gen.i rows between unbounded preceding and current row) as balance_after
      from gen ${eventTraits}
      cross join lateral (select ${cumulativeCases(keyShares.slice(0, -1), "roll.key_roll")} as n) key_slot
    ),
    inserted as (
      insert into usage_events (id, organization_id, api_key_id, request_id, credits, endpoint, body_hash, balance_after, occurred_at)
      select (substr(hex.ms, 1, 8) || '-' || substr(hex.ms, 9, 4) || '-7' || substr(${runTag}::text, 1, 3) || '-8'
                || substr(${runTag}::text, 4, 3) || '-' || lpad(to_hex(e.i), 12, '0'))::uuid,
             ${input.organizationId}::uuid, e.api_key_id, e.request_id, e.credits, e.endpoint,
             encode(sha256(convert_to(e.request_id || ':' || e.credits || ':' || coalesce(e.endpoint, ''), 'UTF8')), 'hex'),
             e.balance_after, e.occurred_at
      from events e
      cross join lateral (select lpad(to_hex(floor(extract(epoch from e.occurred_at) * 1000)::bigint), 12, '0') as ms) hex
    ),
    rollup as (
      insert into usage_daily (organization_id, day, api_key_id, endpoint, requests, credits)
      select ${input.organizationId}::uuid, (occurred_at at time zone 'UTC')::date, api_key_id, coalesce(endpoint, ''), count(*), sum(credits)
      from events group by 2, 3, 4
      on conflict (organization_id, day, api_key_id, endpoint)
      do update set requests = usage_daily.requests + excluded.requests, credits = usage_daily.credits + excluded.credits
    )
    select (occurred_at at time zone 'UTC')::date::text as day, api_key_id, count(*)::int as requests, sum(credits)::bigint as credits,
           max(occurred_at) as last_at
    from events group by 1, 2 order by 1`;
}
