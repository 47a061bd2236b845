import type { TestProject } from "vitest/node";
import { deleteRedisKeys, testRedisPrefix } from "./redis-keys";
import { startWebSocketProxy } from "./ws-proxy";
import { createPgliteTestDatabase, createPostgresTestDatabase, testDatabaseServerUrl, type TestDatabase } from "./test-database";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseKind: "postgres" | "pglite" | "neon";
    neonWsProxy: string;
    redisPrefix: string;
  }
}

/**
 * Vitest global setup, chosen per project by the `DRIVER` in its name: a fresh database for the run, on the
 * real Postgres server when TEST_DATABASE_URL is set and on embedded PGlite otherwise; the `neon` project
 * reaches the same Postgres through the Neon driver and a local WebSocket proxy.
 */
export default async function setup(project: TestProject) {
  const name = project.name;
  const serverUrl = testDatabaseServerUrl();
  const disposers: Array<() => Promise<void>> = [];
  let database: TestDatabase;
  if (name.endsWith("pglite") || !serverUrl) {
    database = await createPgliteTestDatabase();
    project.provide("databaseKind", "pglite");
  } else {
    database = await createPostgresTestDatabase(serverUrl, name.replace(/\W/g, "_"));
    project.provide("databaseKind", name.endsWith("neon") ? "neon" : "postgres");
  }
  disposers.push(database.dispose);
  const redisPrefix = testRedisPrefix(name.replace(/\W/g, "-"));
  project.provide("redisPrefix", redisPrefix);
  disposers.push(() => deleteRedisKeys(redisPrefix));
  project.provide("databaseUrl", database.url);
  project.provide("neonWsProxy", "");
  if (name.endsWith("neon") && serverUrl) {
    const proxy = await startWebSocketProxy();
    disposers.unshift(proxy.close);
    project.provide("neonWsProxy", proxy.url);
  }
  return async () => {
    for (const dispose of disposers) await dispose();
  };
}
