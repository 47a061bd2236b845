import { spawn } from "node:child_process";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, queryRows, type Database } from "@/db/client";
import { users } from "@/db/schema";
import { SeedRefusedError, seedUsage, usageDemoAdminEmail, usageDemoOrganizationName, type SeedUsageResult } from "@/db/seed-usage";
import { verifyPassword } from "@/lib/auth/password";
import { getBurnForecast } from "@/lib/usage/forecast-query";
import { createTestOrganization } from "../helpers/organizations";

/**
 * `npm run db:seed -- --usage N` on a real database: what it writes must look, to every reader, like
 * usage that went through the usage routes (balances, ledger, rollups, balance_after), spread the way the
 * dashboard and the explorer need to show something.
 */

const root = path.resolve(import.meta.dirname, "../..");
const now = new Date();
const dayMs = 86_400_000;
// Small slices, so that days are split across statements as they are at a million events.
const chunkSize = 7_000;
let seeding: { db: Database; close: () => Promise<void> };

beforeAll(() => {
  // The seed's own connection, as the script makes it: no request-sized read timeout on its long statements.
  process.env.DATABASE_STATEMENT_TIMEOUT_MS = "0";
  seeding = createDatabase(process.env.DATABASE_URL);
  delete process.env.DATABASE_STATEMENT_TIMEOUT_MS;
});
afterAll(() => seeding.close());

const rows = <Row>(query: ReturnType<typeof sql>) => queryRows<Row>(seeding.db, query);

async function snapshot(organizationId: string) {
  const [row] = await rows<Record<string, string>>(sql`
    select (select balance from organizations where id = ${organizationId}) as balance,
           (select count(*) from usage_events where organization_id = ${organizationId}) as events,
           (select count(*) from credit_ledger where organization_id = ${organizationId}) as ledger,
           (select coalesce(sum(requests), 0) from usage_daily where organization_id = ${organizationId}) as rolled_up,
           (select count(*) from api_keys where organization_id = ${organizationId}) as keys`);
  return row!;
}

async function expectInvariants(organizationId: string, result: SeedUsageResult, openingBalance: number) {
  const mismatched = await rows<{ id: string }>(sql`
    select o.id from organizations o left join credit_ledger l on l.organization_id = o.id
    group by o.id having o.balance <> coalesce(sum(l.delta), 0)`);
  expect(mismatched).toEqual([]);
  const rollupDifferences = await rows<Record<string, unknown>>(sql`
    with sums as (
      select (occurred_at at time zone 'UTC')::date as day, api_key_id, coalesce(endpoint, '') as endpoint, count(*) as requests, sum(credits) as credits
      from usage_events where organization_id = ${organizationId} group by 1, 2, 3
    )
    select * from sums full join (select * from usage_daily where organization_id = ${organizationId}) d using (day, api_key_id, endpoint)
    where sums.requests is distinct from d.requests or sums.credits is distinct from d.credits`);
  expect(rollupDifferences).toEqual([]);
  // Every event's balance_after is the balance before it minus its credits, starting from the balance after the grant.
  const [chain] = await rows<{ broken: string; first_ok: boolean; last: string }>(sql`
    with ordered as (
      select credits, balance_after, lag(balance_after) over w as previous, row_number() over w as position, count(*) over () as total
      from usage_events where organization_id = ${organizationId} window w as (order by occurred_at, id)
    )
    select count(*) filter (where position > 1 and balance_after <> previous - credits) as broken,
           bool_and(balance_after = ${openingBalance + result.granted}::bigint - credits) filter (where position = 1) as first_ok,
           max(balance_after) filter (where position = total) as last
    from ordered`);
  expect(chain).toEqual({ broken: "0", first_ok: true, last: String(result.balance) });
  const [ledger] = await rows<{ grants: string; usage: string; usage_rows: string; credits: string }>(sql`
    select sum(delta) filter (where reason = 'grant' and reference like 'seed-usage:%') as grants,
           sum(delta) filter (where reason = 'usage') as usage, count(*) filter (where reason = 'usage') as usage_rows,
           (select sum(credits) from usage_events where organization_id = ${organizationId}) as credits
    from credit_ledger where organization_id = ${organizationId}`);
  expect(Number(ledger!.grants)).toBe(result.granted);
  expect(-Number(ledger!.usage)).toBe(Number(ledger!.credits));
  expect(Number(ledger!.credits)).toBe(result.credits);
  expect(Number(ledger!.usage_rows)).toBe(result.ledgerRows - 1);
}

describe("npm run db:seed -- --usage N", () => {
  it("writes N events over 90 days, several keys and endpoints, with their ledger rows and rollups", async () => {
    const organization = await createTestOrganization(500);
    const result = await seedUsage(seeding.db, { events: 20_000, organizationId: organization.id, now, chunkSize });
    expect(result).toMatchObject({ organizationId: organization.id, organizationCreated: false, events: 20_000, ledgerRows: 91 });
    await expectInvariants(organization.id, result, 500);

    const [spread] = await rows<Record<string, string | number>>(sql`
      select count(*)::int as events, count(distinct (api_key_id, request_id))::int as request_ids,
             count(distinct (occurred_at at time zone 'UTC')::date)::int as days, min(occurred_at) as first, max(occurred_at) as last,
             count(distinct endpoint)::int as endpoints, count(*) filter (where endpoint is null)::int as without_endpoint
      from usage_events where organization_id = ${organization.id}`);
    expect(spread).toMatchObject({ events: 20_000, request_ids: 20_000, days: 90, endpoints: 6 });
    expect(new Date(spread!.first as string).getTime()).toBeGreaterThanOrEqual(now.getTime() - 90 * dayMs);
    expect(new Date(spread!.last as string).getTime()).toBeLessThanOrEqual(now.getTime());
    expect(spread!.without_endpoint).toBeGreaterThan(20_000 * 0.04);
    expect(spread!.without_endpoint).toBeLessThan(20_000 * 0.15);

    const keys = await rows<{ revoked_at: string | null; events: number; after_revocation: number; last_used_at: string; last_event: string }>(sql`
      select k.revoked_at, k.last_used_at, count(e.id)::int as events, max(e.occurred_at) as last_event,
             count(e.id) filter (where e.occurred_at >= k.revoked_at)::int as after_revocation
      from api_keys k left join usage_events e on e.api_key_id = k.id
      where k.organization_id = ${organization.id} group by k.id`);
    expect(keys).toHaveLength(5);
    expect(keys.filter((key) => key.revoked_at !== null)).toHaveLength(1);
    for (const key of keys) {
      expect(key.events).toBeGreaterThan(500);
      expect(key.after_revocation).toBe(0);
      // last_used_at went through a JS Date: milliseconds, where the event's time has microseconds.
      expect(Math.abs(new Date(key.last_used_at).getTime() - new Date(key.last_event).getTime())).toBeLessThan(1);
    }
  });

  it("refuses an organization that already has usage, and changes nothing", async () => {
    const organization = await createTestOrganization();
    await seedUsage(seeding.db, { events: 300, organizationId: organization.id, now });
    const before = await snapshot(organization.id);
    await expect(seedUsage(seeding.db, { events: 300, organizationId: organization.id, now })).rejects.toThrow(SeedRefusedError);
    expect(await snapshot(organization.id)).toEqual(before);
    await expect(seedUsage(seeding.db, { events: 1, organizationId: "00000000-0000-4000-8000-000000000000" })).rejects.toThrow(/no organization has the id/);
  });

  it("by default creates the usage demo organization with a client admin and about three weeks of credits left", async () => {
    const result = await seedUsage(seeding.db, { events: 5_000, now, chunkSize });
    expect(result).toMatchObject({ organizationName: usageDemoOrganizationName, organizationCreated: true, events: 5_000 });
    await expectInvariants(result.organizationId, result, 0);
    const [admin] = await seeding.db.select().from(users).where(eq(users.email, usageDemoAdminEmail));
    expect(admin).toMatchObject({ id: result.admin!.userId, role: "client_admin", organizationId: result.organizationId });
    expect(admin!.emailVerified).not.toBeNull();
    expect(await verifyPassword(result.admin!.password!, admin!.passwordHash!)).toBe(true);
    const forecast = await getBurnForecast(result.organizationId, now);
    expect(forecast).toMatchObject({ state: "runs_out", daysLeft: expect.any(Number) });
    const { daysLeft } = forecast as { daysLeft: number };
    expect(daysLeft).toBeGreaterThan(15);
    expect(daysLeft).toBeLessThan(28);
    await expect(seedUsage(seeding.db, { events: 10, now })).rejects.toThrow(/already has usage events/);
  });

  it.concurrent.each(["abc", "-5", "50000001"])("refuses --usage %s in one line with exit code 2", async (value) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/seed.ts", "--usage", value], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "test", DATABASE_URL: process.env.DATABASE_URL },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr.trim()).toBe(`error: --usage must be a whole number from 1 to 50,000,000, got "${value}"`);
    expect(stdout).toBe("");
    expect(code).toBe(2);
  });
});
