import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import os from "node:os";
import { anyFreePort } from "@/db/embedded";
import { createPostgresTestDatabase, testDatabaseServerUrl } from "../tests/setup/test-database";
import { runPgbench } from "./pgbench";
import { checkTargets, formatLedgerCheck, formatTable, formatTargets } from "./report";
import { runScenario, scenarios, type Measurement } from "./scenarios";
import { deleteRedisPrefix, ensureBuilt, runScript, startApp, startUpstash, stopProcess, type Cleanup } from "./stack";

/**
 * `npm run bench`: the service routes under `next start` on a fresh Postgres database and real Redis,
 * loaded with autocannon at 1 and 32 connections, next to pgbench running the same deduction on the same
 * database. Prints the figures as ratios of the no-work liveness route, then checks balance = Σ ledger.
 * Not part of `npm test`: it takes minutes and its figures depend on the machine.
 */

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

async function main() {
  await ensureBuilt();
  const database = await createPostgresTestDatabase(testDatabaseServerUrl() ?? "postgres://postgres@127.0.0.1:5432/postgres", "bench");
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
  for (const clients of connectionCounts) {
    measurements.push(await runPgbench(database.url, keys.length, clients, durationSeconds));
  }

  const ledger = await checkLedger();
  // Other work on the machine skews every figure; the load shows whether this run had it to itself.
  const load = os.loadavg().map((value) => value.toFixed(2)).join(" ");
  console.log(`\nload average at the end (1, 5, 15 min): ${load} on ${os.cpus().length} cores`);
  console.log(`\n${formatTable(measurements)}\n\n${formatTargets(checkTargets(measurements))}\n\n${formatLedgerCheck(ledger)}`);
  return ledger.ok ? 0 : 1;
}

runScript("bench", main, cleanups);
