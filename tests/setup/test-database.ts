import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createDatabase } from "@/db/client";
import { anyFreePort, startEmbeddedServer } from "@/db/embedded";
import { migrateDatabase } from "@/db/migrate";

export type TestDatabase = { url: string; kind: "postgres" | "pglite"; dispose: () => Promise<void> };

function withDatabase(serverUrl: string, name: string) {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A fresh, migrated database on the real Postgres server named by TEST_DATABASE_URL; dropped on dispose. */
export async function createPostgresTestDatabase(serverUrl: string, label: string): Promise<TestDatabase> {
  const name = `test_${label}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = withDatabase(serverUrl, name);
  const migrator = createDatabase(url, "pg");
  await migrateDatabase(migrator.db);
  await migrator.close();
  return {
    url,
    kind: "postgres",
    dispose: async () => {
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/** A fresh embedded PGlite in a temporary directory, served over the wire like the dev default. */
export async function createPgliteTestDatabase(): Promise<TestDatabase> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "portal-pglite-"));
  const server = await startEmbeddedServer({ port: await anyFreePort(), dataDir });
  return {
    url: server.url,
    kind: "pglite",
    dispose: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function testDatabaseServerUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || undefined;
}
