import { neonConfig, Pool as NeonPool } from "@neondatabase/serverless";
import type { ExtractTablesWithRelations, SQL } from "drizzle-orm";
import { drizzle as drizzleNeon } from "drizzle-orm/neon-serverless";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { PgDialect, type PgDatabase, type PgQueryResultHKT, type PgTransaction } from "drizzle-orm/pg-core";
import pg from "pg";
import ws from "ws";
import { env } from "@/lib/env";
import { ensureEmbeddedDatabase, isEmbeddedDatabaseUrl } from "./embedded";
import * as schema from "./schema";

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything a query can run on: the database itself or an open transaction. */
export type Executor = Database | Transaction;

export type Driver = "pg" | "neon";

export function isNeonHost(url: string) {
  const host = new URL(url).hostname;
  return host.endsWith(".neon.tech") || host.endsWith(".neon.build");
}

type NamedQuery = { name: string; text: string; values: unknown[] };
type Handle = { db: Database; query: (query: NamedQuery) => Promise<{ rows: unknown[] }>; close: () => Promise<void> };

function createPgHandle(config: pg.PoolConfig, options: { embedded: boolean; ready?: Promise<string> }): Handle {
  // PGlite is one Postgres session behind its socket server, whatever the number of connections: with more
  // than one, two transactions of this process would interleave in it, and named statements would collide.
  const { embedded, ready } = options;
  const pool = new pg.Pool({ max: embedded ? 1 : 10, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000, ...config });
  pool.on("error", (error) => console.error("[db] idle client error:", error.message));
  if (ready) {
    // The embedded server may still be starting: every checkout (queries use one too) waits for it.
    const connect = pool.connect.bind(pool) as (callback?: unknown) => unknown;
    Object.assign(pool, {
      connect: (callback?: (error: Error | undefined, ...rest: unknown[]) => void) => {
        const started = ready.then((url) => {
          pool.options.connectionString = url;
        });
        if (callback) {
          started.then(() => connect(callback), (error: Error) => callback(error));
          return undefined;
        }
        return started.then(() => connect());
      },
    });
  }
  return {
    db: drizzlePg(pool, { schema }) as unknown as Database,
    query: ({ name, ...query }) => pool.query(embedded ? query : { name, ...query }),
    close: () => pool.end(),
  };
}

function createNeonHandle(url: string): Handle {
  neonConfig.webSocketConstructor = ws;
  const proxy = env().NEON_WS_PROXY;
  if (proxy) {
    // A local WebSocket-to-TCP proxy (tests, or local development against a plain Postgres).
    neonConfig.wsProxy = (host, port) => `${proxy}/v2?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
  const pool = new NeonPool({ connectionString: url, max: 10 });
  pool.on("error", (error: Error) => console.error("[db] idle client error:", error.message));
  return {
    db: drizzleNeon(pool, { schema }) as unknown as Database,
    query: (query) => pool.query(query),
    close: () => pool.end(),
  };
}

export function createDatabase(url: string | undefined, driver?: Driver): Handle {
  if (!url) {
    return createPgHandle({}, { embedded: true, ready: ensureEmbeddedDatabase(env().EMBEDDED_DB_PORT) });
  }
  const chosen = driver ?? (env().DATABASE_DRIVER === "neon" || isNeonHost(url) ? "neon" : "pg");
  return chosen === "neon"
    ? createNeonHandle(url)
    : createPgHandle({ connectionString: url }, { embedded: isEmbeddedDatabaseUrl(url) });
}

const globalForDb = globalThis as typeof globalThis & { __database?: Handle };

function handle(): Handle {
  globalForDb.__database ??= createDatabase(env().DATABASE_URL);
  return globalForDb.__database;
}

/** The application's database. Created on first use, one per process (dev reloads reuse it). */
export const db: Database = new Proxy({} as Database, {
  // Libraries that detect the dialect with drizzle's `is()` (Auth.js's adapter) read the prototype.
  getPrototypeOf() {
    return Object.getPrototypeOf(handle().db);
  },
  get(_target, property) {
    const target = handle().db as unknown as Record<PropertyKey, unknown>;
    const value = target[property];
    return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
  },
});

export async function closeDatabase() {
  const current = globalForDb.__database;
  globalForDb.__database = undefined;
  await current?.close();
}

const dialect = new PgDialect();

/**
 * Runs a hot-path statement as a named prepared statement, so Postgres plans it once per connection
 * instead of on every call: planning the usage deduction costs more than executing it. The statement's
 * text must not vary between calls (values go in parameters), since the name stands for that text.
 */
export async function queryPrepared<Row>(name: string, query: SQL): Promise<Row[]> {
  const { sql: text, params } = dialect.sqlToQuery(query);
  const result = await handle().query({ name, text, values: params });
  return result.rows as Row[];
}

/** Runs raw SQL and returns its rows; every driver we use answers `execute` with `{ rows }`. */
export async function queryRows<Row>(executor: Executor, query: SQL): Promise<Row[]> {
  const result = (await executor.execute(query)) as unknown as { rows: Row[] };
  return result.rows;
}
