import { z } from "zod";

/**
 * The usage explorer's view as it lives in the URL (`?from=&to=&keyId=&endpoint=&sort=&dir=&cursor=`), parsed
 * without trusting any of it: a value that does not parse falls back to its default and, where the person
 * chose it, says why next to the filter. Pure, so the page, the tests and the export button agree.
 */

export type UsageSort = "time" | "credits";
export type SortDirection = "desc" | "asc";

/** The UTC days `from` and `to`, both inclusive, as `YYYY-MM-DD`. */
export type UsageFilter = { from: string; to: string; keyId?: string; endpoint?: string };

/**
 * A keyset position: the sort value of a row (its time as Postgres's exact microsecond text, or its credits)
 * and its id. `after` reads on past the row in the sort order, `before` reads back towards the first page.
 */
export type UsageCursor = { side: "after" | "before"; value: string; id: string };

export type UsageView = { filter: UsageFilter; sort: UsageSort; dir: SortDirection; cursor?: UsageCursor };

export type UsageViewIssues = Partial<Record<"from" | "to" | "keyId" | "endpoint" | "cursor", string>>;

export const earliestUsageDay = "2020-01-01";
export const defaultRangeDays = 30;
export const maxEndpointLength = 200;

const dayMs = 86_400_000;

export function utcDayOf(instant: Date) {
  return instant.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number) {
  return utcDayOf(new Date(Date.parse(`${day}T00:00:00Z`) + days * dayMs));
}

/** The default view's range: the last 30 UTC days, today included. */
export function defaultRange(now: Date) {
  const to = utcDayOf(now);
  return { from: addDays(to, 1 - defaultRangeDays), to };
}

const noNul = (text: string) => !text.includes("\0");

// A real calendar day: `2026-02-30` matches the pattern but not its own round trip through Date.
const daySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((day) => !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && utcDayOf(new Date(`${day}T00:00:00Z`)) === day);

const uuidSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);

const endpointSchema = z.string().min(1).max(maxEndpointLength).refine(noNul);

const timeValue = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
// Credits are a Postgres integer: anything longer cannot be a row's value.
const creditsValue = /^[1-9]\d{0,9}$/;
const maxCredits = 2_147_483_647;

export function encodeUsageCursor(cursor: UsageCursor) {
  return `${cursor.side === "after" ? "a" : "b"}_${cursor.value}_${cursor.id.toLowerCase()}`;
}

/** The cursor a page link carries, or undefined for anything that is not one of this sort's cursors. */
export function decodeUsageCursor(text: string | undefined, sort: UsageSort): UsageCursor | undefined {
  const match = text && text.length <= 80 ? /^([ab])_([^_]+)_([^_]+)$/.exec(text) : null;
  if (!match || !uuidSchema.safeParse(match[3]).success) return undefined;
  const [, side, value, id] = match as unknown as [string, string, string, string];
  if (sort === "time") {
    if (!timeValue.test(value) || Number.isNaN(Date.parse(value)) || !daySchema.safeParse(value.slice(0, 10)).success) return undefined;
  } else if (!creditsValue.test(value) || Number(value) > maxCredits) {
    return undefined;
  }
  return { side: side === "a" ? "after" : "before", value, id: id.toLowerCase() };
}

export type SearchParams = Record<string, string | string[] | undefined>;

function first(params: SearchParams, name: string) {
  const value = params[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Reads a view from search params; `issues` holds a message per filter that was refused. */
export function parseUsageView(params: SearchParams, now: Date): { view: UsageView; issues: UsageViewIssues } {
  const issues: UsageViewIssues = {};
  const defaults = defaultRange(now);
  const latest = addDays(utcDayOf(now), 1);
  const inRange = (day: string) => day >= earliestUsageDay && day <= latest;
  const readDay = (name: "from" | "to") => {
    const raw = first(params, name);
    if (!raw) return defaults[name];
    const day = daySchema.safeParse(raw);
    if (!day.success) issues[name] = "Enter a date as YYYY-MM-DD.";
    else if (!inRange(day.data)) issues[name] = `Choose a day from ${earliestUsageDay} to ${latest}.`;
    else return day.data;
    return defaults[name];
  };
  let from = readDay("from");
  let to = readDay("to");
  if (from > to) {
    issues.to = "The end date is before the start date; showing the last 30 days.";
    ({ from, to } = defaults);
  }

  const filter: UsageFilter = { from, to };
  const keyId = first(params, "keyId");
  if (keyId) {
    if (uuidSchema.safeParse(keyId).success) filter.keyId = keyId.toLowerCase();
    else issues.keyId = unknownKeyMessage;
  }
  const endpoint = first(params, "endpoint");
  if (endpoint) {
    if (endpointSchema.safeParse(endpoint).success) filter.endpoint = endpoint;
    else issues.endpoint = "That endpoint cannot exist; showing every endpoint.";
  }

  const sort: UsageSort = first(params, "sort") === "credits" ? "credits" : "time";
  const dir: SortDirection = first(params, "dir") === "asc" ? "asc" : "desc";
  const rawCursor = first(params, "cursor");
  const cursor = decodeUsageCursor(rawCursor, sort);
  if (rawCursor && !cursor) issues.cursor = "That page link is not valid; showing the first page.";
  return { view: { filter, sort, dir, cursor }, issues };
}

/** Said of any key id that is not one of the viewer's organization's keys, whether or not it exists. */
export const unknownKeyMessage = "No API key of your organization has this id; showing every key.";

/** The URL of a view; the defaults are left out, so that a shared link stays short. */
export function usageViewHref(view: UsageView, defaults: { from: string; to: string }) {
  const query = new URLSearchParams();
  if (view.filter.from !== defaults.from || view.filter.to !== defaults.to) {
    query.set("from", view.filter.from);
    query.set("to", view.filter.to);
  }
  if (view.filter.keyId) query.set("keyId", view.filter.keyId);
  if (view.filter.endpoint) query.set("endpoint", view.filter.endpoint);
  if (view.sort !== "time") query.set("sort", view.sort);
  if (view.dir !== "desc") query.set("dir", view.dir);
  if (view.cursor) query.set("cursor", encodeUsageCursor(view.cursor));
  const search = query.toString();
  return `/usage${search ? `?${search}` : ""}`;
}

/** The export route's query for a view (SPEC section 8): instants, `from` inclusive and `to` exclusive. */
export function usageExportHref(filter: UsageFilter) {
  const query = new URLSearchParams({ from: `${filter.from}T00:00:00Z`, to: `${addDays(filter.to, 1)}T00:00:00Z` });
  if (filter.keyId) query.set("keyId", filter.keyId);
  if (filter.endpoint) query.set("endpoint", filter.endpoint);
  return `/api/usage/export?${query.toString()}`;
}
