import { neonConfig, Pool as NeonPool } from "@neondatabase/serverless";
import type { ExtractTablesWithRelations, SQL } from "drizzle-orm";
import { drizzle as drizzleNeon } from "drizzle-orm/neon-serverless";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { PgDialect, type PgDatabase, type PgQueryResultHKT, type PgTransaction } from "drizzle-orm/pg-core";
import pg from "pg";
import ws from "ws";
import { currentEnv, env } from "@/lib/env";
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

type CheckedOutClient = {
  on: (event: "error", listener: (error: Error) => void) => unknown;
  off: (event: "error", listener: (error: Error) => void) => unknown;
  release: () => void;
};

/**
 * Runs each transaction on a client checked out here rather than by drizzle, whose transaction (0.45) sends
 * BEGIN before its try/finally: a BEGIN that fails on a connection that died while idle (a network cut, a
 * database restart) never gave the client back, so every such failure held a pool slot for good and, after
 * `max` of them, every query timed out even with the database back. Here the client always goes back (the
 * pool discards a dead one), and the `error` that pg emits on a checked-out client whose socket dies is
 * logged instead of being an uncaught exception.
 */
function releaseEveryTransactionClient<Client extends CheckedOutClient>(
  database: Database,
  connect: () => Promise<Client>,
  bind: (client: Client) => Database,
): Database {
  // One drizzle instance per pooled connection, built on its first transaction.
  const bound = new WeakMap<Client, Database>();
  database.transaction = async (work, config) => {
    const client = await connect();
    const onError = (error: Error) => console.error("[db] connection lost during a transaction:", error.message);
    client.on("error", onError);
    try {
      let clientDatabase = bound.get(client);
      if (!clientDatabase) bound.set(client, (clientDatabase = bind(client)));
      return await clientDatabase.transaction(work, config);
    } finally {
      client.release();
      client.off("error", onError);
    }
  };
  return database;
}

/**
 * Timeouts for every driver, so that a stalled database costs a request seconds, not the stall's length.
 * Postgres cancels a statement past DATABASE_STATEMENT_TIMEOUT_MS (told a little less, so that a slow
 * statement normally ends with its clean 57014 and its connection survives) and ends a session left idle in
 * a transaction for twice that, which frees the row locks of a process that stopped mid-transaction. The
 * client's read timeout is the one that ends a stall, when the server cannot answer at all.
 */
function timeoutOptions(serverSide: boolean) {
  const { DATABASE_STATEMENT_TIMEOUT_MS: statement, DATABASE_CONNECT_TIMEOUT_MS: connect } = currentEnv();
  const options: pg.PoolConfig = { connectionTimeoutMillis: connect };
  if (statement > 0) {
    options.query_timeout = statement;
    if (serverSide) {
      options.statement_timeout = Math.max(1, statement - Math.min(250, Math.floor(statement / 10)));
      options.idle_in_transaction_session_timeout = 2 * statement;
    }
  }
  return options;
}

type PooledClient = { query: (...args: unknown[]) => unknown; _queryable?: boolean; connection?: { stream?: { destroy?: () => void } } };

/**
 * pg's read timeout answers the caller but keeps the connection waiting for the timed-out statement: the
 * ROLLBACK that drizzle sends next would wait a whole timeout more behind it, the pool would lend the stuck
 * connection out again, and the statement would still run whenever the server resumed. So the connection of
 * a statement that timed out is closed at once, its client fails every later query with the same error, and
 * it is marked not queryable, which makes pg-pool discard it when it comes back (pg and Neon's bundled pg
 * both use that field).
 */
function dropClientOnReadTimeout(client: PooledClient) {
  const query = client.query.bind(client);
  let timedOut: Error | undefined;
  const drop = (error: unknown) => {
    if (timedOut || !(error instanceof Error) || error.message !== "Query read timeout") return;
    timedOut = error;
    client._queryable = false;
    client.connection?.stream?.destroy?.();
  };
  client.query = (...args: unknown[]) => {
    const callback = args.at(-1);
    if (typeof callback === "function") {
      // pool.query's form: (text or config, values, callback).
      if (timedOut) {
        const error = timedOut;
        queueMicrotask(() => callback(error));
        return undefined;
      }
      args[args.length - 1] = (error: unknown, ...rest: unknown[]) => {
        drop(error);
        callback(error, ...rest);
      };
      return query(...args);
    }
    if (timedOut) return Promise.reject(timedOut);
    const result = query(...args);
    if (result instanceof Promise) result.catch(drop);
    return result;
  };
}

function createPgHandle(config: pg.PoolConfig, options: { embedded: boolean; ready?: Promise<string> }): Handle {
  // PGlite is one Postgres session behind its socket server, whatever the number of connections: with more
  // than one, two transactions of this process would interleave in it, and named statements would collide.
  const { embedded, ready } = options;
  const pool = new pg.Pool({ max: embedded ? 1 : 10, idleTimeoutMillis: 30_000, ...timeoutOptions(true), ...config });
  pool.on("error", (error) => console.error("[db] idle client error:", error.message));
  pool.on("connect", (client) => dropClientOnReadTimeout(client as unknown as PooledClient));
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
    db: releaseEveryTransactionClient(
      drizzlePg(pool, { schema }) as unknown as Database,
      () => pool.connect(),
      (client) => drizzlePg(client, { schema }) as unknown as Database,
    ),
    query: ({ name, ...query }) => pool.query(embedded ? query : { name, ...query }),
    close: () => pool.end(),
  };
}

/** Neon's driver settings, global to the process: for the pool here and any other Neon client (lib/cache/notifications.ts). */
export function configureNeon() {
  neonConfig.webSocketConstructor = ws;
  const proxy = env().NEON_WS_PROXY;
  if (proxy) {
    // A local WebSocket-to-TCP proxy (tests, or local development against a plain Postgres).
    neonConfig.wsProxy = (host, port) => `${proxy}/v2?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
}

function createNeonHandle(url: string): Handle {
  configureNeon();
  // Neon's pooled endpoints ("-pooler" hosts) are PgBouncer, which refuses startup parameters it does not
  // track, such as statement_timeout: there the server-side limits belong on the role (ALTER ROLE … SET
  // statement_timeout = '5s'), and the client's own timeouts still apply.
  const direct = !new URL(url).hostname.includes("-pooler");
  const pool = new NeonPool({ connectionString: url, max: 10, ...timeoutOptions(direct) });
  pool.on("error", (error: Error) => console.error("[db] idle client error:", error.message));
  pool.on("connect", (client: unknown) => dropClientOnReadTimeout(client as PooledClient));
  return {
    db: releaseEveryTransactionClient(
      drizzleNeon(pool, { schema }) as unknown as Database,
      () => pool.connect(),
      (client) => drizzleNeon(client, { schema }) as unknown as Database,
    ),
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
