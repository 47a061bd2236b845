import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { db, queryRows } from "@/db/client";
import { users, type Role } from "@/db/schema";
import { createSessionRow } from "@/lib/auth/sessions";
import { createApiKey } from "@/lib/keys";
import { usageCsvStream, usageExportBatches, type UsageExportRow } from "@/lib/usage/export";
import { createTestOrganization } from "../helpers/organizations";

// The route reads the session through Auth.js's `auth()`, which cannot load outside Next. This stand-in
// resolves the request's session cookie against the real sessions table through the real adapter, and
// shapes the session as auth.ts's session callback does.
const incoming = vi.hoisted(() => ({ sessionToken: undefined as string | undefined }));
vi.mock("@/auth", async () => {
  const { createAuthAdapter } = await import("@/lib/auth/adapter");
  return {
    auth: async () => {
      const found = incoming.sessionToken ? await createAuthAdapter().getSessionAndUser!(incoming.sessionToken) : null;
      if (!found) return null;
      const user = found.user as unknown as { id: string; email: string; role: Role; organizationId: string | null; emailVerified: Date | null; disabledAt: Date | null };
      return {
        sessionId: (found.session as unknown as { id: string }).id,
        user: { ...user, emailVerified: Boolean(user.emailVerified), disabled: Boolean(user.disabledAt) },
      };
    },
  };
});

const { GET: exportRoute } = await import("@/app/api/usage/export/route");

type Member = { cookie: string; organizationId: string };

async function signedIn(organizationId: string, role: Role): Promise<Member> {
  const [user] = await db
    .insert(users)
    .values({ email: `export-${randomUUID().slice(0, 8)}@example.test`, role, organizationId, emailVerified: new Date() })
    .returning();
  const token = await createSessionRow(user!.id, { ipAddress: "198.51.100.7", userAgent: "vitest" });
  return { cookie: `authjs.session-token=${token}`, organizationId };
}

async function exportAs(member: Member | null, query: Record<string, string> | string = {}) {
  const search = typeof query === "string" ? query : new URLSearchParams(query).toString();
  const request = new Request(`http://portal.test/api/usage/export?${search}`, { headers: member ? { cookie: member.cookie } : {} });
  incoming.sessionToken = member?.cookie.split("=")[1];
  const response = await exportRoute(request, { params: Promise.resolve({}) });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** RFC 4180 records, for asserting what a spreadsheet would read back. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  const pattern = /("(?:[^"]|"")*"|[^",\r\n]*)(,|\r\n|$)/gy;
  let record: string[] = [];
  while (pattern.lastIndex < text.length) {
    const [, raw, separator] = pattern.exec(text)!;
    record.push(raw!.startsWith('"') ? raw!.slice(1, -1).replaceAll('""', '"') : raw!);
    if (separator !== ",") {
      records.push(record);
      record = [];
    }
  }
  return records;
}

const header = "occurred_at,request_id,api_key_id,api_key_name,endpoint,credits,balance_after";

type EventSpec = { at: string; endpoint?: string | null; credits?: number; keyId: string; requestId?: string; id?: string };

async function insertEvents(organizationId: string, events: EventSpec[]) {
  for (const event of events) {
    await db.execute(sql`
      insert into usage_events (id, organization_id, api_key_id, request_id, credits, endpoint, body_hash, balance_after, occurred_at)
      values (${event.id ?? randomUUID()}, ${organizationId}, ${event.keyId}, ${event.requestId ?? randomUUID()}, ${event.credits ?? 1},
              ${event.endpoint === undefined ? "/v1/query" : event.endpoint}, 'test', 1000, ${event.at}::timestamptz)`);
  }
}

async function organizationWithKeys(keyNames: string[]) {
  const organization = await createTestOrganization();
  const keys = [];
  for (const name of keyNames) keys.push((await createApiKey({ organizationId: organization.id, createdByUserId: null, name, scopes: ["query"] })).apiKey);
  return { organization, keys };
}

let acme: Awaited<ReturnType<typeof organizationWithKeys>>;
let rival: Awaited<ReturnType<typeof organizationWithKeys>>;
const rivalSecret = `rival-secret-${randomUUID()}`;

beforeAll(async () => {
  acme = await organizationWithKeys(["Production", '=HYPERLINK("http://evil.test","open")']);
  rival = await organizationWithKeys([`Rival key ${rivalSecret}`]);
  const [production, hostile] = [acme.keys[0]!, acme.keys[1]!];
  // Two events in the same microsecond are ordered by id: the lower id was inserted second on purpose.
  await insertEvents(acme.organization.id, [
    { at: "2025-03-01T10:00:00.000003Z", keyId: production.id, requestId: "third", endpoint: "/v1/a" },
    { at: "2025-03-01T10:00:00.000001Z", keyId: production.id, requestId: "first", endpoint: "/v1/a", credits: 2 },
    { at: "2025-03-01T10:00:00.000002Z", keyId: production.id, requestId: "tie-b", id: "ffffffff-0000-4000-8000-000000000000" },
    { at: "2025-03-01T10:00:00.000002Z", keyId: production.id, requestId: "tie-a", id: "00000000-0000-4000-8000-000000000000" },
    { at: "2025-03-02T00:00:00Z", keyId: hostile.id, requestId: "midnight", endpoint: "=1+1" },
    { at: "2025-03-02T12:00:00Z", keyId: hostile.id, requestId: "@SUM(A1:A9)", endpoint: "@SUM(A1:A9)" },
    { at: "2025-03-03T12:00:00Z", keyId: hostile.id, requestId: "minus", endpoint: "-2" },
    { at: "2025-03-04T12:00:00Z", keyId: hostile.id, requestId: "tab", endpoint: "\tcmd" },
    { at: "2025-03-05T12:00:00Z", keyId: production.id, requestId: 'say "hi", twice', endpoint: "line one\nline two" },
    { at: "2025-03-06T12:00:00Z", keyId: production.id, requestId: "no endpoint", endpoint: null },
  ]);
  await insertEvents(rival.organization.id, [{ at: "2025-03-01T11:00:00Z", keyId: rival.keys[0]!.id, requestId: rivalSecret }]);
});

const requestIds = (text: string) => parseCsv(text).slice(1).map((record) => record[1]);

describe("GET /api/usage/export", () => {
  it("streams the header and every event of the organization, oldest first, ties by id, microseconds as stored", async () => {
    const member = await signedIn(acme.organization.id, "user");
    const { status, headers, text } = await exportAs(member);
    expect(status).toBe(200);
    expect(headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(headers.get("content-disposition")).toMatch(/^attachment; filename="usage-start-to-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(text.split("\r\n")[0]).toBe(header);
    expect(requestIds(text)).toEqual(["first", "tie-a", "tie-b", "third", "midnight", "'@SUM(A1:A9)", "minus", "tab", 'say "hi", twice', "no endpoint"]);
    expect(text.split("\r\n")[1]).toBe(`2025-03-01T10:00:00.000001Z,first,${acme.keys[0]!.id},Production,/v1/a,2,1000`);
    expect(text).not.toContain(rivalSecret);
  });

  it("guards formulas in key names, endpoints and request ids, and quotes commas, quotes and line breaks", async () => {
    const { text } = await exportAs(await signedIn(acme.organization.id, "client_admin"));
    expect(text).toContain(`,midnight,${acme.keys[1]!.id},"'=HYPERLINK(""http://evil.test"",""open"")",'=1+1,1,1000\r\n`);
    expect(text).toContain(",'@SUM(A1:A9),");
    expect(text).toContain(",'@SUM(A1:A9),1,1000\r\n");
    expect(text).toContain(",'-2,1,1000\r\n");
    expect(text).toContain(",'\tcmd,1,1000\r\n");
    expect(text).toContain(`,"say ""hi"", twice",${acme.keys[0]!.id},Production,"line one\nline two",1,1000\r\n`);
    const records = parseCsv(text);
    expect(records.every((record) => record.length === 7)).toBe(true);
    expect(records.find((record) => record[1] === "no endpoint")![4]).toBe("");
  });

  it("includes `from` and excludes `to`, to the microsecond; a bare date is midnight UTC", async () => {
    const member = await signedIn(acme.organization.id, "user");
    const ties = await exportAs(member, { from: "2025-03-01T10:00:00.000002Z", to: "2025-03-01T10:00:00.000003Z" });
    expect(requestIds(ties.text)).toEqual(["tie-a", "tie-b"]);
    const offset = await exportAs(member, { from: "2025-03-01T12:00:00.000002+02:00", to: "2025-03-02" });
    expect(requestIds(offset.text)).toEqual(["tie-a", "tie-b", "third"]);
    const days = await exportAs(member, { from: "2025-03-02", to: "2025-03-03" });
    expect(requestIds(days.text)).toEqual(["midnight", "'@SUM(A1:A9)"]);
    expect(days.headers.get("content-disposition")).toBe('attachment; filename="usage-2025-03-02-to-2025-03-03.csv"');
  });

  it("filters by API key and by endpoint", async () => {
    const member = await signedIn(acme.organization.id, "user");
    expect(requestIds((await exportAs(member, { keyId: acme.keys[1]!.id })).text)).toEqual(["midnight", "'@SUM(A1:A9)", "minus", "tab"]);
    expect(requestIds((await exportAs(member, { endpoint: "/v1/a" })).text)).toEqual(["first", "third"]);
    expect(requestIds((await exportAs(member, { endpoint: "/v1/a", keyId: acme.keys[1]!.id })).text)).toEqual([]);
  });

  it("answers 404 for another organization's key or id and shows nothing of it; a business admin may name any organization", async () => {
    for (const role of ["user", "client_admin"] as const) {
      const member = await signedIn(acme.organization.id, role);
      const foreign: Array<Record<string, string>> = [{ keyId: rival.keys[0]!.id }, { organizationId: rival.organization.id }, { keyId: randomUUID() }, { organizationId: randomUUID() }];
      for (const query of foreign) {
        const answer = await exportAs(member, query);
        expect(answer.status).toBe(404);
        expect(JSON.parse(answer.text)).toMatchObject({ success: false, error: "not_found" });
        expect(answer.text).not.toContain(rivalSecret);
      }
      const own = await exportAs(member, { organizationId: acme.organization.id });
      expect(own.status).toBe(200);
      expect(requestIds(own.text)).toHaveLength(10);
    }
    const staff = await signedIn((await createTestOrganization()).id, "business_admin");
    const rivals = await exportAs(staff, { organizationId: rival.organization.id });
    expect(rivals.status).toBe(200);
    expect(requestIds(rivals.text)).toEqual([rivalSecret]);
    expect((await exportAs(staff, { organizationId: rival.organization.id, keyId: acme.keys[0]!.id })).status).toBe(404);
  });

  it("answers 401 when signed out, or with a session that has ended", async () => {
    const signedOut = await exportAs(null);
    expect(signedOut.status).toBe(401);
    expect(JSON.parse(signedOut.text)).toMatchObject({ success: false, error: "unauthorized" });
    const member = await signedIn(acme.organization.id, "user");
    await db.execute(sql`delete from sessions where session_token = ${member.cookie.split("=")[1]}`);
    expect((await exportAs(member)).status).toBe(401);
  });

  it.each([
    ["from=yesterday", "from"],
    ["from=2025-02-30", "from"],
    ["from=2025-03-01T10:00:00", "from"],
    ["from=2025-03-01T10:00:00.1234567Z", "from"],
    ["from=2019-12-31", "from"],
    [`to=${new Date(Date.now() + 3 * 86_400_000).toISOString()}`, "to"],
    ["from=2025-03-02&to=2025-03-02", "to"],
    ["from=2025-03-01T10:00:00.000002Z&to=2025-03-01T10:00:00.000001Z", "to"],
    ["keyId=not-a-uuid", "keyId"],
    ["organizationId=1%20or%201%3D1", "organizationId"],
    [`endpoint=${"x".repeat(201)}`, "endpoint"],
    ["endpoint=%00", "endpoint"],
    ["from=2025-03-01&from=2025-03-02", "from"],
  ])("refuses %s with 400 invalid_request and an issue on %s", async (query, field) => {
    const answer = await exportAs(await signedIn(acme.organization.id, "user"), query);
    expect(answer.status).toBe(400);
    const body = JSON.parse(answer.text);
    expect(body).toMatchObject({ success: false, error: "invalid_request" });
    expect(body.issues.map((issue: { path: string[] }) => issue.path[0])).toContain(field);
  });
});

describe("the export's batches and stream", () => {
  let big: Awaited<ReturnType<typeof organizationWithKeys>>;
  const total = 20_000;

  beforeAll(async () => {
    big = await organizationWithKeys(["bulk"]);
    // Every 3rd event shares its microsecond with the next one, so ties straddle batch boundaries too.
    // In slices, so that each statement stays well inside the statement timeout on embedded PGlite.
    for (let first = 1; first <= total; first += 2_000) {
      await db.execute(sql`
        insert into usage_events (organization_id, api_key_id, request_id, credits, endpoint, body_hash, balance_after, occurred_at)
        select ${big.organization.id}, ${big.keys[0]!.id}, 'bulk-' || n, 1 + n % 7, '/v1/bulk', 'test', ${total} - n,
               timestamptz '2025-04-01T00:00:00Z' + make_interval(secs => (n - n % 3) * 0.000123)
        from generate_series(${first}::int, ${first + 1_999}::int) as n`);
    }
  });

  /** Wraps the batches so a test sees every query (one per batch asked for) and whether the generator ended. */
  function counted(batches: AsyncGenerator<UsageExportRow[]>) {
    const seen = { queries: 0, finished: false, largestBatch: 0 };
    async function* wrapper() {
      try {
        for await (const batch of batches) {
          seen.queries += 1;
          seen.largestBatch = Math.max(seen.largestBatch, batch.length);
          yield batch;
        }
      } finally {
        seen.finished = true;
      }
    }
    return { batches: wrapper(), seen };
  }

  it("reads every row exactly once, in order, never more than one batch at a time", async () => {
    const keys: Array<[string, string]> = [];
    let batches = 0;
    for await (const batch of usageExportBatches({ organizationId: big.organization.id }, { batchSize: 700 })) {
      batches += 1;
      expect(batch.length).toBeLessThanOrEqual(700);
      for (const row of batch) keys.push([row.occurredAt, row.id]);
    }
    expect(batches).toBe(Math.ceil(total / 700));
    expect(keys).toHaveLength(total);
    expect(new Set(keys.map(([, id]) => id)).size).toBe(total);
    const sorted = [...keys].sort(([a, idA], [b, idB]) => (a === b ? (idA < idB ? -1 : 1) : a < b ? -1 : 1));
    expect(keys).toEqual(sorted);
  });

  it("queries through the (organization_id, occurred_at, id) index, cursor included", async () => {
    const plan = await queryRows<{ "QUERY PLAN": string }>(db, sql`
      explain select id from usage_events
      where organization_id = ${big.organization.id} and (occurred_at, id) > (${"2025-04-01T00:00:01.000000Z"}::timestamptz, ${randomUUID()}::uuid)
      order by occurred_at, id limit 700`);
    expect(plan.map((row) => row["QUERY PLAN"]).join("\n")).toContain("usage_events_organization_time_idx");
  });

  it("streams a large export completely through the route", async () => {
    const member = await signedIn(big.organization.id, "user");
    const { text } = await exportAs(member);
    const lines = text.split("\r\n").filter(Boolean);
    expect(lines).toHaveLength(total + 1);
    expect(lines[1]).toMatch(/^2025-04-01T00:00:00\.000000Z,bulk-[12],/);
    expect(lines.at(-1)).toMatch(/^2025-04-01T00:00:02\.459754Z,bulk-(19998|19999|20000),/);
    expect(new Set(requestIds(text)).size).toBe(total);
  });

  it("asks for the next batch only when the reader takes the previous one, and stops when the reader cancels", async () => {
    const { batches, seen } = counted(usageExportBatches({ organizationId: big.organization.id }, { batchSize: 100 }));
    const reader = usageCsvStream(batches).getReader();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen.queries).toBe(0);
    await reader.read();
    await reader.read();
    // Long enough for an eager stream to run far ahead (a batch of 100 takes about a millisecond).
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The chunk read, and at most the one the stream holds ready for the reader.
    expect(seen.queries).toBeLessThanOrEqual(2);
    await reader.cancel();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen.finished).toBe(true);
    const after = seen.queries;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen.queries).toBe(after);
    expect(after).toBeLessThan(total / 100);
  });

  it("stops issuing queries when the request is aborted", async () => {
    const { batches, seen } = counted(usageExportBatches({ organizationId: big.organization.id }, { batchSize: 100 }));
    const client = new AbortController();
    const reader = usageCsvStream(batches, { signal: client.signal }).getReader();
    await reader.read();
    await reader.read();
    client.abort();
    await expect(reader.read()).rejects.toThrow(/went away/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen.finished).toBe(true);
    expect(seen.queries).toBeLessThanOrEqual(2);
  });
});
