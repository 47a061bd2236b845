import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import os from "node:os";
import { anyFreePort } from "@/db/embedded";
import { createPostgresTestDatabase, testDatabaseServerUrl } from "../tests/setup/test-database";
import { defaultAnalyticsSizes, runAnalyticsSection } from "./analytics";
import { runPgbench } from "./pgbench";
import { checkAnalyticsTargets, checkTargets, formatAnalyticsTable, formatLedgerCheck, formatTable, formatTargets } from "./report";
import { floorScenario, runScenario, scenarios, type Measurement, type ScenarioContext } from "./scenarios";
import { deleteRedisPrefix, ensureBuilt, runScript, startApp, startFloor, startUpstash, stopProcess, type Cleanup } from "./stack";

/**
 * `npm run bench`: the service routes under `next start` on a fresh Postgres database and real Redis,
 * loaded with autocannon at 1 and 32 connections, next to the same deduction behind plain node:http + pg
 * (bench/floor-server.ts) and run by pgbench, on the same database. Prints the figures as ratios of the
 * no-work liveness route, then checks balance = Σ ledger. Then the analytics section (bench/analytics.ts). `--only service` or `--only analytics` runs one section;
 * `--analytics-sizes 1000000,10000000` sets the seeded sizes.
 * Not part of `npm test`: it takes minutes and its figures depend on the machine.
 */

const sections = ["service", "analytics"] as const;
type Section = (typeof sections)[number];

function parseArguments(argv: string[]) {
  let only: Section | undefined;
  let sizes = defaultAnalyticsSizes;
  for (let index = 0; index < argv.length; index += 2) {
    const [flag, value = ""] = [argv[index], argv[index + 1]];
    if (flag === "--only" && (sections as readonly string[]).includes(value)) only = value as Section;
    else if (flag === "--analytics-sizes" && /^\d+(,\d+)*$/.test(value)) sizes = value.split(",").map(Number).filter((size) => size > 0 && size <= 50_000_000);
    else {
      console.error(`usage: npm run bench -- [--only ${sections.join("|")}] [--analytics-sizes N,N...] (got ${flag} ${value})`);
      process.exit(2);
    }
  }
  return { run: (section: Section) => only === undefined || only === section, sizes };
}

const options = parseArguments(process.argv.slice(2));

const connectionCounts = [1, 32];
const durationSeconds = Number(process.env.BENCH_DURATION_SECONDS ?? 10);
const warmUpSeconds = 3;
const serviceToken = `bench-${randomBytes(12).toString("hex")}`;
const runId = `bench-${process.pid}-${Date.now()}`;
const redisPrefix = `${runId}:`;

const cleanups: Cleanup[] = [];

function portIsFree(port: number) {
  return new Promise<boolean>((resolve) => {
    const probe = createServer().once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

async function choosePort() {
  const wanted = Number(process.env.BENCH_PORT ?? 3200);
  if (await portIsFree(wanted)) return wanted;
  const port = await anyFreePort();
  console.log(`[bench] port ${wanted} is taken; using ${port}`);
  return port;
}

const loadAverage = () => os.loadavg().map((value) => value.toFixed(2)).join(" ");
const serverUrl = () => testDatabaseServerUrl() ?? "postgres://postgres@127.0.0.1:5432/postgres";

async function main() {
  await ensureBuilt();
  const serviceOk = options.run("service") ? await serviceSection() : true;
  if (options.run("analytics")) {
    const results = await runAnalyticsSection({ sizes: options.sizes, serverUrl: serverUrl(), port: await choosePort(), cleanups });
    const ledgerOk = results.every((result) => result.balanceMatchesLedger);
    console.log(`\n${formatAnalyticsTable(results)}\n\n${formatTargets(checkAnalyticsTargets(results))}`);
    console.log(`\nbalance = Σ ledger after seeding: ${ledgerOk ? "holds for every organization" : "FAILS"}`);
    console.log(`load average at the end (1, 5, 15 min): ${loadAverage()} on ${os.cpus().length} cores`);
    return serviceOk && ledgerOk ? 0 : 1;
  }
  return serviceOk ? 0 : 1;
}

/** The floor without the framework: bench/floor-server.ts on the same database, warmed up as the routes are. */
async function measureFloor(databaseUrl: string, context: Omit<ScenarioContext, "tally">) {
  const floor = await startFloor(databaseUrl, serviceToken);
  cleanups.push(() => stopProcess(floor.process));
  try {
    await runScenario(floor.url, floorScenario, context, 4, warmUpSeconds);
    const measurements: Measurement[] = [];
    for (const connections of connectionCounts) {
      const measurement = await runScenario(floor.url, floorScenario, context, connections, durationSeconds);
      console.log(`[bench] ${floorScenario.name} @${connections}: ${Math.round(measurement.requestsPerSecond)} req/s`);
      measurements.push(measurement);
    }
    return measurements;
  } finally {
    await stopProcess(floor.process);
  }
}

/** The service routes under load; true when balance = Σ ledger still holds afterwards. */
async function serviceSection() {
  const database = await createPostgresTestDatabase(serverUrl(), "bench");
  cleanups.push(database.dispose);
  // lib/ reads DATABASE_URL once, on first use: set it before the fixtures module is loaded.
  process.env.DATABASE_URL = database.url;
  const { checkLedger, createFixtures } = await import("./fixtures");
  const { closeDatabase } = await import("@/db/client");
  cleanups.push(closeDatabase);
  const { keys } = await createFixtures();

  const upstash = await startUpstash();
  cleanups.push(() => stopProcess(upstash.process), () => deleteRedisPrefix(redisPrefix));
  const app = await startApp(await choosePort(), {
    NODE_ENV: "production",
    DATABASE_URL: database.url,
    AUTH_SECRET: randomBytes(32).toString("hex"),
    USAGE_SERVICE_TOKENS: serviceToken,
    UPSTASH_REDIS_REST_URL: upstash.url,
    UPSTASH_REDIS_REST_TOKEN: upstash.token,
    REDIS_PREFIX: redisPrefix,
    // The limiter still does its Redis call per request; the limit is only raised out of the way of the load.
    SERVICE_RATE_LIMIT_PER_SECOND: "1000000",
  });
  cleanups.push(() => stopProcess(app.process));

  const context = { keys, serviceToken, runId };
  console.log(`[bench] warming up every route for ${warmUpSeconds} s`);
  for (const scenario of scenarios) await runScenario(app.url, scenario, context, 4, warmUpSeconds);

  const measurements: Measurement[] = [];
  for (const connections of connectionCounts) {
    for (const scenario of scenarios) {
      const measurement = await runScenario(app.url, scenario, context, connections, durationSeconds);
      console.log(`[bench] ${scenario.name} @${connections}: ${Math.round(measurement.requestsPerSecond)} req/s`);
      measurements.push(measurement);
    }
  }
  measurements.push(...(await measureFloor(database.url, context)));
  for (const clients of connectionCounts) {
    measurements.push(await runPgbench(database.url, keys.length, clients, durationSeconds));
  }

  const ledger = await checkLedger();
  // The analytics section, if it follows, has the machine to itself (the cleanups stop them again harmlessly).
  await stopProcess(app.process);
  await stopProcess(upstash.process);
  // Other work on the machine skews every figure; the load shows whether this run had it to itself.
  console.log(`\nload average at the end (1, 5, 15 min): ${loadAverage()} on ${os.cpus().length} cores`);
  console.log(`\n${formatTable(measurements)}\n\n${formatTargets(checkTargets(measurements))}\n\n${formatLedgerCheck(ledger)}`);
  return ledger.ok;
}

runScript("bench", main, cleanups);
