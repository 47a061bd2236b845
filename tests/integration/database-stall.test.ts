import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { closeDatabase, createDatabase, db, queryRows } from "@/db/client";
import { usageEvents } from "@/db/schema";
import { getBalance, sumLedger } from "@/lib/credits";
import { isUnavailableError } from "@/lib/service-api/errors";
import { createOrganizationWithKey } from "../helpers/usage";
import { startTcpProxy } from "../helpers/tcp-proxy";

// The app reaches the test database through a proxy that the test stalls: connections stay open and bytes
// are accepted, but nothing comes back, as when the server is SIGSTOPped. The timeouts are the defaults
// (DATABASE_STATEMENT_TIMEOUT_MS 5000, DATABASE_CONNECT_TIMEOUT_MS 3000).
const direct = new URL(inject("databaseUrl"));
const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
const proxied = new URL(direct);
proxied.port = String(proxy.port);
process.env.DATABASE_URL = proxied.toString();
process.env.USAGE_SERVICE_TOKENS = "stall-test-token";
delete process.env.DATABASE_STATEMENT_TIMEOUT_MS;
delete process.env.DATABASE_CONNECT_TIMEOUT_MS;

const { POST: reportUsage } = await import("@/app/api/usage/route");
const { POST: reportBatch } = await import("@/app/api/usage/batch/route");
const { measureDatabaseClock } = await import("@/db/clock");

async function timed<T>(work: () => Promise<T>) {
  const started = Date.now();
  const result = await work();
  return { result, ms: Date.now() - started };
}

async function post(route: (request: Request) => Promise<Response>, body: unknown) {
  const response = await route(
    new Request("http://portal.test/api/usage", {
      method: "POST",
      headers: { authorization: "Bearer stall-test-token", "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const failure = (work: () => Promise<unknown>) => timed(() => work().then(() => undefined, (error: unknown) => error));

describe("the usage routes while Postgres stalls", () => {
  let fixture: Awaited<ReturnType<typeof createOrganizationWithKey>>;
  beforeAll(async () => {
    // Far above the low-credit threshold, so no alert email is part of this test.
    fixture = await createOrganizationWithKey(10_000);
    // Pooled connections open and idle (two; one on PGlite's single connection), like a warm instance's.
    await Promise.all([db.execute(sql`select pg_sleep(0.05)`), db.execute(sql`select pg_sleep(0.05)`)]);
  });
  // A test that fails midway must not leave the next one stalled.
  afterEach(() => proxy.setStalled(false));
  afterAll(async () => {
    await closeDatabase();
    await proxy.close();
  });

  // Embedded PGlite ignores startup parameters; the client's own timeouts below still hold there.
  const onPostgres = inject("databaseKind") !== "pglite";

  it.runIf(onPostgres)("tell Postgres to cancel slow statements and to end sessions left idle in a transaction", async () => {
    const [settings] = await queryRows<{ statement: string; idle: string }>(
      db,
      sql`select current_setting('statement_timeout') as statement, current_setting('idle_in_transaction_session_timeout') as idle`,
    );
    expect(settings).toEqual({ statement: "4750ms", idle: "10s" });
  });

  it("answer 503 within 6 s and record nothing; the same reports succeed once it resumes", async () => {
    const report = { apiKey: fixture.key, requestId: randomUUID(), credits: 5 };
    const batch = { events: [{ ...report, requestId: randomUUID() }, { ...report, requestId: randomUUID(), credits: 7 }] };
    proxy.setStalled(true);
    const [single, batched, again] = await Promise.all([
      timed(() => post(reportUsage, report)),
      timed(() => post(reportBatch, batch)),
      // One more than the idle connections: it needs a new one (on PGlite, the one in use), which never comes.
      timed(() => post(reportUsage, { ...report, requestId: randomUUID() })),
    ]);
    for (const answer of [single, batched, again]) {
      expect(answer.result.status).toBe(503);
      expect(answer.result.body).toMatchObject({ success: false, error: "unavailable" });
      expect(answer.ms).toBeLessThan(6_000);
    }
    // The stall outlasts the requests a little, as real ones do; then the held bytes are delivered to the
    // connections still open, and none of those may carry one of the statements answered 503.
    await new Promise((resolve) => setTimeout(resolve, 500));
    proxy.setStalled(false);

    expect(await getBalance(fixture.organization.id)).toBe(10_000);
    expect(await sumLedger(fixture.organization.id)).toBe(10_000);
    expect(await db.select().from(usageEvents).where(eq(usageEvents.organizationId, fixture.organization.id))).toEqual([]);

    const retried = await post(reportUsage, report);
    expect(retried).toMatchObject({ status: 200, body: { success: true, remainingCredits: 9_995, duplicate: false } });
    const retriedBatch = await post(reportBatch, batch);
    expect(retriedBatch.status).toBe(200);
    expect((retriedBatch.body.results as Array<{ success: boolean }>).every((result) => result.success)).toBe(true);
    // No connection that timed out was lent out again: a burst right after the stall is served at once.
    const burst = await timed(() =>
      Promise.all(Array.from({ length: 20 }, () => post(reportUsage, { ...report, requestId: randomUUID(), credits: 1 }))),
    );
    expect(burst.result.every((answer) => answer.status === 200)).toBe(true);
    expect(burst.ms).toBeLessThan(3_000);
    expect(await getBalance(fixture.organization.id)).toBe(10_000 - 5 - 12 - 20);
    expect(await sumLedger(fixture.organization.id)).toBe(10_000 - 5 - 12 - 20);
  });

  it.runIf(onPostgres)("change nothing when a stalled server resumes and runs a report its client gave up on", async () => {
    // As the server's start does: the deadline each report carries is on the database's own clock.
    expect(await measureDatabaseClock()).not.toBeNull();
    const organization = await createOrganizationWithKey(1_000);
    const report = { apiKey: organization.key, requestId: randomUUID(), credits: 9 };
    // A SIGSTOPped server: the statement's bytes are in its socket, and it runs them when it resumes.
    proxy.setStalled(true, { deliverAfterClose: true });
    const answer = await timed(() => post(reportUsage, report));
    expect(answer.result).toMatchObject({ status: 503, body: { error: "unavailable" } });
    proxy.setStalled(false);
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    expect(await db.select().from(usageEvents).where(eq(usageEvents.organizationId, organization.organization.id))).toEqual([]);
    expect(await getBalance(organization.organization.id)).toBe(1_000);
    expect(await sumLedger(organization.organization.id)).toBe(1_000);
    const retried = await post(reportUsage, report);
    expect(retried).toMatchObject({ status: 200, body: { remainingCredits: 991, duplicate: false } });
  });

  it("end a transaction that stalls midway in one timeout, not two (its ROLLBACK does not wait again)", async () => {
    let stalledMidway = false;
    const outcome = await failure(() =>
      db.transaction(async (tx) => {
        await tx.execute(sql`select 1`);
        proxy.setStalled(true);
        stalledMidway = true;
        await tx.execute(sql`select 2`);
      }),
    );
    proxy.setStalled(false);
    expect(stalledMidway).toBe(true);
    expect(isUnavailableError(outcome.result)).toBe(true);
    expect(outcome.ms).toBeGreaterThan(4_500);
    expect(outcome.ms).toBeLessThan(6_000);
    expect(await queryRows(db, sql`select 1 as one`)).toEqual([{ one: 1 }]);
  });

  it.runIf(onPostgres)("answer a statement that Postgres cancels (statement_timeout, 57014) as unavailable", async () => {
    // Straight to the server, not through the proxy: the server itself cancels the statement.
    const straight = createDatabase(direct.toString(), "pg");
    const cancelled = await failure(() => straight.db.execute(sql`select pg_sleep(10)`));
    await straight.close();
    expect((cancelled.result as { cause?: { code?: string } }).cause?.code).toBe("57014");
    expect(cancelled.ms).toBeLessThan(5_500);
    expect(isUnavailableError(cancelled.result)).toBe(true);
  });

  it("answer a connection that cannot be made in time as unavailable", async () => {
    // A fresh pool through the stalled proxy: the TCP connection opens, the start-up gets no answer.
    const fresh = createDatabase(proxied.toString(), "pg");
    proxy.setStalled(true);
    const unconnected = await failure(() => fresh.db.execute(sql`select 1`));
    proxy.setStalled(false);
    await fresh.close();
    expect(String((unconnected.result as { cause?: Error }).cause?.message ?? unconnected.result)).toMatch(/timeout/i);
    expect(unconnected.ms).toBeLessThan(4_000);
    expect(isUnavailableError(unconnected.result)).toBe(true);
  });
});
