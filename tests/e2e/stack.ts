import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { closeDatabase, createDatabase } from "@/db/client";
import { seedDatabase } from "@/db/seed";
import {
  createPgliteTestDatabase,
  createPostgresTestDatabase,
  testDatabaseServerUrl,
} from "../setup/test-database";
import { startUpstashRestServer } from "../fakes/upstash-rest-server";
import { e2eEnvFile, type StackEnv } from "./support/stack-env";

/**
 * Playwright's web server: a fresh seeded database (real Postgres when TEST_DATABASE_URL is set, PGlite
 * otherwise), the local fakes of external services, then the built app under `next start`. The environment
 * it used is written to test-results/e2e-env.json so the specs can reach the same database.
 */

const port = Number(process.env.E2E_PORT ?? 3100);
const cleanups: Array<() => Promise<unknown>> = [];

async function main() {
  const serverUrl = testDatabaseServerUrl();
  const database = serverUrl ? await createPostgresTestDatabase(serverUrl, "e2e") : await createPgliteTestDatabase();
  cleanups.push(database.dispose);

  const seeding = createDatabase(database.url, "pg");
  await seedDatabase(seeding.db);
  await seeding.close();

  // Upstash's REST protocol over the local redis-server, under a prefix of this run's own.
  const upstash = await startUpstashRestServer();
  cleanups.push(upstash.close);

  const stackEnv: StackEnv = {
    NODE_ENV: "production",
    DATABASE_URL: database.url,
    AUTH_SECRET: "e2e-secret-that-is-long-enough-for-auth-js",
    AUTH_URL: `http://localhost:${port}`,
    AUTH_TRUST_HOST: "true",
    USAGE_SERVICE_TOKENS: "e2e-service-token,e2e-second-token",
    UPSTASH_REDIS_REST_URL: upstash.url,
    UPSTASH_REDIS_REST_TOKEN: upstash.token,
    REDIS_PREFIX: `e2e-${process.pid}-${Date.now()}:`,
  };
  mkdirSync(path.dirname(e2eEnvFile), { recursive: true });
  writeFileSync(e2eEnvFile, JSON.stringify(stackEnv, null, 2));

  const app = spawn(path.join("node_modules", ".bin", "next"), ["start", "-p", String(port)], {
    env: { ...process.env, ...stackEnv },
    stdio: "inherit",
  });
  cleanups.unshift(async () => {
    if (app.exitCode === null) {
      app.kill("SIGTERM");
      await new Promise((resolve) => app.once("exit", resolve));
    }
  });
  app.once("exit", (code) => void shutdown(code ?? 1));
}

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  for (const cleanup of cleanups) await cleanup().catch((error) => console.error("[stack] cleanup failed:", error));
  await closeDatabase().catch(() => undefined);
  process.exit(code);
}

process.on("SIGTERM", () => void shutdown(0));
process.on("SIGINT", () => void shutdown(0));

main().catch(async (error) => {
  console.error("[stack] failed to start:", error);
  await shutdown(1);
});
