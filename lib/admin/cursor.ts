import { sql, type AnyColumn, type SQL } from "drizzle-orm";

/**
 * A position in a newest-first list ordered by (created_at, id): the last row's creation time to the
 * microsecond (Postgres's precision; a millisecond cursor would skip rows that share its millisecond) and
 * its id. Lists page by keyset, never OFFSET, so a page costs the same however deep it is.
 */
export type TimeCursor = { at: string; id: string };

const cursorPattern = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)_([0-9A-Za-z-]{1,64})$/;

export function encodeTimeCursor(cursor: TimeCursor) {
  return `${cursor.at}_${cursor.id}`;
}

/** The cursor, or undefined for anything that is not one (a mangled URL falls back to the first page). */
export function decodeTimeCursor(value: string | undefined): TimeCursor | undefined {
  const match = value ? cursorPattern.exec(value) : null;
  if (!match || Number.isNaN(Date.parse(match[1]!))) return undefined;
  return { at: match[1]!, id: match[2]! };
}

/** The column as the cursor stores it. */
export function exactTime(column: AnyColumn) {
  return sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** Rows strictly after the cursor in (created_at desc, id desc) order. */
export function olderThan(createdAt: AnyColumn, id: AnyColumn, cursor: TimeCursor | undefined, idType: "uuid" | "text"): SQL | undefined {
  if (!cursor) return undefined;
  const idValue = idType === "uuid" ? sql`${cursor.id}::uuid` : sql`${cursor.id}::text`;
  return sql`(${createdAt}, ${id}) < (${cursor.at}::timestamptz, ${idValue})`;
}

/** Splits `limit + 1` rows into the page and the next page's cursor. */
export function pageOf<Row>(rows: Row[], limit: number, cursorOf: (row: Row) => TimeCursor) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, next: rows.length > limit && last ? encodeTimeCursor(cursorOf(last)) : undefined };
}

/** `%text%` for ILIKE, with the pattern characters the operator typed matched literally. */
export function containsPattern(text: string) {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

export const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
