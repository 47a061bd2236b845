import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, queryRows } from "@/db/client";
import { plainArrayLiteral, textArrayLiteral } from "@/db/array-literal";

// What the usage batch sends as array parameters comes back from Postgres exactly as it was.
describe("array literals", () => {
  it("keeps every string a client may send, and null, as they were", async () => {
    const values = ["plain", "", "a,b", "{braces}", '"quoted"', "back\\slash", '\\"both\\"', "  spaced  ", "NULL", "null", "tab\tnew\nline", "ü ✓ 😀", null];
    const [row] = await queryRows<{ values: Array<string | null> }>(db, sql`select ${textArrayLiteral(values)}::text[] as values`);
    expect(row!.values).toEqual(values);
  });

  it("keeps JSON documents with quotes and backslashes as jsonb", async () => {
    const documents = [{ q: 'say "hi"' }, { path: "C:\\dir\\file", nested: { list: [1, "two", null] } }, null];
    const [row] = await queryRows<{ documents: unknown[] }>(db, sql`
      select array_agg(d order by n) as documents from unnest(${textArrayLiteral(documents.map((document) => (document ? JSON.stringify(document) : null)))}::jsonb[]) with ordinality as t(d, n)`);
    expect(row!.documents).toEqual(documents);
  });

  it("keeps ids, numbers and times", async () => {
    const ids = [randomUUID(), randomUUID()];
    const times = ["2026-12-01T10:00:00.123Z", "2020-01-01T00:00:00.000Z"];
    const [row] = await queryRows<{ ids: string[]; numbers: string[]; times: string[] }>(db, sql`
      select ${plainArrayLiteral(ids)}::uuid[] as ids, ${plainArrayLiteral([1, 9_007_199_254_740_991, -5])}::bigint[]::text[] as numbers,
             array(select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') from unnest(${plainArrayLiteral(times)}::timestamptz[]) t) as times`);
    expect(row!.ids).toEqual(ids);
    expect(row!.numbers).toEqual(["1", "9007199254740991", "-5"]);
    expect(row!.times).toEqual(times);
  });
});
