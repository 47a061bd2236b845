import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { createDatabase, queryRows } from "@/db/client";
import { seedUsage } from "@/db/seed-usage";
import { createSessionRow } from "@/lib/auth/sessions";
import { createPostgresTestDatabase } from "../tests/setup/test-database";
import { measureExport, timePage, type ExportRun, type PageTiming } from "./analytics/measure";
import { startApp, stopProcess, type Cleanup } from "./stack";

/**
 * The analytics section of `npm run bench`: for each size, a fresh Postgres database seeded with that
 * many usage events in one organization (the seed of `npm run db:seed -- --usage N`), the built app under
 * `next start`, a client admin of that organization signed in through a session row, then the response
 * times of /dashboard and /usage and the CSV export of (up to) its newest 1,000,000 events.
 */

export const defaultAnalyticsSizes = [1_000_000, 10_000_000];
export const analyticsPages = ["/dashboard", "/usage"];
const exportRows = 1_000_000;

export type AnalyticsResult = { events: number; seedSeconds: number; balanceMatchesLedger: boolean; pages: PageTiming[]; exported: ExportRun };

const count = (value: number) => value.toLocaleString("en-US");

/** Runs `work` with cleanups of its own, run in reverse when it ends; on Ctrl-C the bench's list runs them. */
async function withCleanups<T>(cleanups: Cleanup[], work: (push: (cleanup: Cleanup) => void) => Promise<T>) {
  const own: Cleanup[] = [];
  try {
    return await work((cleanup) => {
      own.push(cleanup);
      cleanups.push(cleanup);
    });
  } finally {
    for (const cleanup of own.reverse()) {
      cleanups.splice(cleanups.indexOf(cleanup), 1);
      await Promise.resolve(cleanup()).catch((error: unknown) => console.error("[bench] cleanup failed:", error));
    }
  }
}

async function seedDatabase(url: string, events: number) {
  // The seed's long statements must not meet the driver's request-sized read timeout; the app keeps its own.
  process.env.DATABASE_STATEMENT_TIMEOUT_MS = "0";
  const seeding = createDatabase(url, "pg");
  delete process.env.DATABASE_STATEMENT_TIMEOUT_MS;
  const started = performance.now();
  let reported = 0;
  const result = await seedUsage(seeding.db, {
    events,
    onProgress: (written) => {
      if (written < events && written - reported < events / 10) return;
      reported = written;
      console.log(`[bench] seeded ${count(written)} / ${count(events)} events (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    },
  });
  const seedSeconds = (performance.now() - started) / 1000;
  // Where autovacuum would have got to on a database that has lived with this data: statistics and the visibility map.
  await seeding.db.execute(sql`vacuum analyze usage_events`);
  await seeding.db.execute(sql`vacuum analyze usage_daily`);
  const [ledger] = await queryRows<{ ok: boolean }>(seeding.db, sql`
    select bool_and(o.balance = coalesce((select sum(delta) from credit_ledger l where l.organization_id = o.id), 0)) as ok from organizations o`);
  const sessionToken = await createSessionRow(result.admin!.userId, { ipAddress: null, userAgent: "bench" }, seeding.db);
  // The export's window: the newest `exportRows` events (all of them when there are fewer).
  const [oldest] = await queryRows<{ occurred_at: string }>(seeding.db, sql`
    select occurred_at from usage_events where organization_id = ${result.organizationId}
    order by occurred_at desc, id desc offset ${Math.min(events, exportRows) - 1} limit 1`);
  return { seeding, result, seedSeconds, balanceMatchesLedger: ledger!.ok, sessionToken, exportFrom: new Date(oldest!.occurred_at) };
}

async function measureSize(serverUrl: string, port: number, events: number, cleanups: Cleanup[]): Promise<AnalyticsResult> {
  return withCleanups(cleanups, async (push) => {
    const database = await createPostgresTestDatabase(serverUrl, "bench_analytics");
    push(database.dispose);
    console.log(`[bench] analytics: seeding ${count(events)} usage events`);
    const seeded = await seedDatabase(database.url, events);
    push(() => seeded.seeding.close());
    console.log(`[bench] seeded ${count(events)} events in ${seeded.seedSeconds.toFixed(1)} s; starting next start`);
    const app = await startApp(port, {
      NODE_ENV: "production",
      DATABASE_URL: database.url,
      AUTH_SECRET: randomBytes(32).toString("hex"),
      AUTH_URL: `http://localhost:${port}`,
      USAGE_SERVICE_TOKENS: `bench-${randomBytes(12).toString("hex")}`,
    });
    push(() => stopProcess(app.process));
    const cookie = `authjs.session-token=${seeded.sessionToken}`;
    const pages: PageTiming[] = [];
    for (const path of analyticsPages) {
      const timing = await timePage(app.url, path, cookie, seeded.result.admin!.email);
      console.log(`[bench] GET ${path} @${count(events)}: ${timing.note ?? `p50 ${timing.p50.toFixed(1)} ms, p95 ${timing.p95.toFixed(1)} ms`}`);
      pages.push(timing);
    }
    const query = new URLSearchParams({ from: seeded.exportFrom.toISOString(), to: new Date(Date.now() + 60_000).toISOString() });
    const exported = await measureExport(app.url, query, cookie, app.process.pid!);
    console.log(`[bench] GET /api/usage/export @${count(events)}: ${exported.status === "ok" ? `${count(exported.rows)} rows, ${count(Math.round(exported.rowsPerSecond))} rows/s` : `${exported.note} (${exported.httpStatus})`}`);
    return { events, seedSeconds: seeded.seedSeconds, balanceMatchesLedger: seeded.balanceMatchesLedger, pages, exported };
  });
}

/** Every size in turn, each on a database of its own that is dropped before the next one is seeded. */
export async function runAnalyticsSection(options: { sizes: number[]; serverUrl: string; port: number; cleanups: Cleanup[] }) {
  const results: AnalyticsResult[] = [];
  for (const events of options.sizes) results.push(await measureSize(options.serverUrl, options.port, events, options.cleanups));
  return results;
}
