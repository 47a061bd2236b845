import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { anyFreePort } from "@/db/embedded";
import { startSendGridFake, type SendGridFake } from "../tests/fakes/sendgrid";
import { createPostgresTestDatabase } from "../tests/setup/test-database";
import { checkInvariants } from "./chaos/checks";
import { createChaosCluster } from "./chaos/cluster";
import { runLoad } from "./chaos/load";
import { formatChaosTable, rowPasses, type ScenarioRow } from "./chaos/report";
import { deleteRedisPrefix, ensureBuilt, runScript, signalGroup, startApp, startUpstash, stopProcess, type Cleanup, type Upstash } from "./stack";

/**
 * `npm run chaos`: the production build under a bounded load of usage reports with retries, while one
 * dependency fails at a time: Postgres stopped, restarted and stalled (a cluster of this run's own, never the
 * machine's shared server), the Upstash REST server killed and hung, SendGrid refusing connections, and one
 * of two app instances killed. After each scenario it checks that every acknowledged report is recorded
 * once and nothing refused with 503 is, balance = Σ ledger, Redis equals Postgres within 60 s without a
 * resync, and queued mail is delivered. Prints one row per scenario; exits 1 when an invariant broke.
 */

const runId = `chaos-${process.pid}-${Date.now()}`;
const redisPrefix = `${runId}:`;
const serviceToken = `chaos-${randomBytes(12).toString("hex")}`;
const sendGridKey = "SG.chaos";
const loadMs = Number(process.env.CHAOS_LOAD_SECONDS ?? 25) * 1000;
const cleanups: Cleanup[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Stack = {
  cluster: Awaited<ReturnType<typeof createChaosCluster>>;
  upstash: Upstash;
  upstashPort: number;
  sendGrid: SendGridFake;
  sendGridPort: number;
  appUrl: string;
  appEnv: Record<string, string>;
};

type Scenario = { name: string; instances?: 2; fault: (stack: Stack, extra: { kill: () => Promise<void> }) => Promise<void> };

const scenarios: Scenario[] = [
  { name: "Postgres stopped 10 s", fault: async ({ cluster }) => { await sleep(5_000); cluster.stop(); await sleep(10_000); cluster.start(); } },
  { name: "Postgres restarted", fault: async ({ cluster }) => { await sleep(5_000); cluster.restart(); } },
  { name: "Postgres stalled 20 s (SIGSTOP)", fault: async ({ cluster }) => { await sleep(3_000); cluster.stall(true); await sleep(20_000); cluster.stall(false); } },
  {
    name: "Upstash REST killed",
    fault: async (stack) => {
      await sleep(5_000);
      if (stack.upstash.process.pid) signalGroup(stack.upstash.process.pid, "SIGKILL");
      await sleep(10_000);
      stack.upstash = await startUpstash(stack.upstashPort);
    },
  },
  {
    name: "Upstash REST hung (SIGSTOP)",
    fault: async ({ upstash }) => {
      await sleep(5_000);
      if (upstash.process.pid) signalGroup(upstash.process.pid, "SIGSTOP");
      await sleep(10_000);
      if (upstash.process.pid) signalGroup(upstash.process.pid, "SIGCONT");
    },
  },
  {
    name: "SendGrid refusing connections",
    fault: async (stack) => {
      await stack.sendGrid.close();
      await sleep(12_000);
      stack.sendGrid = await startSendGridFake(sendGridKey, stack.sendGridPort);
    },
  },
  { name: "one of two instances SIGKILLed", instances: 2, fault: async (_stack, { kill }) => { await sleep(5_000); await kill(); } },
];

/** Two funded organizations with an admin (the alert's recipient) and a key each. */
async function createTenants() {
  const { db } = await import("@/db/client");
  const { users } = await import("@/db/schema");
  const { createApiKey } = await import("@/lib/keys");
  const { createTestOrganization } = await import("../tests/helpers/organizations");
  const organizationIds: string[] = [];
  const keys: string[] = [];
  for (let index = 0; index < 2; index++) {
    const organization = await createTestOrganization(10_000_000);
    await db.insert(users).values({ email: `admin-${randomUUID()}@chaos.test`, role: "client_admin", organizationId: organization.id, emailVerified: new Date() });
    const { key } = await createApiKey({ organizationId: organization.id, createdByUserId: null, name: "chaos", scopes: ["query"] });
    organizationIds.push(organization.id);
    keys.push(key);
    // The first reports cross this threshold, so every scenario queues a low-credit email during its fault.
    await db.execute(sql`update organizations set low_credit_threshold = balance - 20 where id = ${organization.id}`);
  }
  return { organizationIds, keys };
}

async function runScenario(stack: Stack, scenario: Scenario): Promise<ScenarioRow> {
  console.log(`\n[chaos] ${scenario.name}`);
  const { organizationIds, keys } = await createTenants();
  const since = new Date(Date.now() - 1_000);
  const urls = [stack.appUrl];
  let second: Awaited<ReturnType<typeof startApp>> | undefined;
  if (scenario.instances === 2) {
    second = await startApp(await anyFreePort(), stack.appEnv);
    urls.push(second.url);
  }
  const kill = async () => {
    if (second?.process.pid) signalGroup(second.process.pid, "SIGKILL");
    await sleep(200);
  };
  const [reports] = await Promise.all([
    runLoad({ urls, token: serviceToken, keys, concurrency: 8, durationMs: loadMs, settleMs: 30_000 }),
    scenario.fault(stack, { kill }),
  ]);
  if (second) await stopProcess(second.process, 1_000);
  const invariants = await checkInvariants({ reports, organizationIds, redisPrefix, since, redisTimeoutMs: 60_000, mailTimeoutMs: 120_000 });
  const row = { name: scenario.name, reports, invariants };
  console.log(`[chaos] ${scenario.name}: ${rowPasses(row) ? "pass" : "FAIL"} (${reports.length} reports)`);
  return row;
}

async function main() {
  await ensureBuilt();
  const cluster = await createChaosCluster();
  cleanups.push(() => cluster.drop());
  const database = await createPostgresTestDatabase(cluster.url, "chaos");
  const upstashPort = await anyFreePort();
  const upstash = await startUpstash(upstashPort);
  const sendGridPort = await anyFreePort();
  const sendGrid = await startSendGridFake(sendGridKey, sendGridPort);
  const stack: Stack = { cluster, upstash, upstashPort, sendGrid, sendGridPort, appUrl: "", appEnv: {} };
  cleanups.push(() => stopProcess(stack.upstash.process), () => stack.sendGrid.close().catch(() => undefined), () => deleteRedisPrefix(redisPrefix));

  // This process writes the fixtures through lib/ on the same database and Redis as the app.
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    UPSTASH_REDIS_REST_URL: upstash.url,
    UPSTASH_REDIS_REST_TOKEN: upstash.token,
    REDIS_PREFIX: redisPrefix,
  });
  const { closeDatabase } = await import("@/db/client");
  cleanups.push(() => closeDatabase());

  stack.appEnv = {
    NODE_ENV: "production",
    DATABASE_URL: database.url,
    AUTH_SECRET: randomUUID(),
    USAGE_SERVICE_TOKENS: serviceToken,
    UPSTASH_REDIS_REST_URL: upstash.url,
    UPSTASH_REDIS_REST_TOKEN: upstash.token,
    REDIS_PREFIX: redisPrefix,
    SERVICE_RATE_LIMIT_PER_SECOND: "1000000",
    SENDGRID_API_KEY: sendGridKey,
    SENDGRID_API_BASE: `http://127.0.0.1:${sendGridPort}`,
    EMAIL_OUTBOX_INTERVAL_SECONDS: "2",
  };
  const app = await startApp(await anyFreePort(), stack.appEnv);
  stack.appUrl = app.url;
  cleanups.push(() => stopProcess(app.process));

  const only = process.env.CHAOS_SCENARIO?.toLowerCase();
  const rows: ScenarioRow[] = [];
  for (const scenario of scenarios) {
    if (only && !scenario.name.toLowerCase().includes(only)) continue;
    rows.push(await runScenario(stack, scenario));
  }
  console.log(`\n${formatChaosTable(rows)}\n`);
  const failed = rows.filter((row) => !rowPasses(row));
  console.log(failed.length === 0 ? "every invariant held" : `invariants broke in: ${failed.map((row) => row.name).join(", ")}`);
  return failed.length === 0 ? 0 : 1;
}

runScript("chaos", main, cleanups);
