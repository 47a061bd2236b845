import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";

/**
 * The embedded default database: PGlite (Postgres in WebAssembly) with its data in `.data/`, served over
 * the Postgres wire protocol so the dev server, the CLI and tests all reach it through the same `pg` code.
 * Whichever process needs it first hosts it; the others connect to that one.
 */

export const embeddedDataDir = path.join(process.cwd(), ".data", "pglite");
// Which process hosts this checkout's embedded database, and on which port (another checkout has its own).
const hostFile = path.join(process.cwd(), ".data", "embedded-host.json");

const embeddedApplicationName = "pglite-embedded";

export function embeddedDatabaseUrl(port: number) {
  return `postgres://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable&application_name=${embeddedApplicationName}`;
}

/** An embedded server's URL says so, for every process that connects to it (tests, a second process). */
export function isEmbeddedDatabaseUrl(url: string) {
  return new URL(url).searchParams.get("application_name") === embeddedApplicationName;
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.end();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export type EmbeddedServer = { url: string; stop: () => Promise<void> };

export async function startEmbeddedServer(options: { port: number; dataDir?: string }): Promise<EmbeddedServer> {
  const dataDir = options.dataDir ?? embeddedDataDir;
  mkdirSync(dataDir, { recursive: true });
  // Imported lazily: PGlite is a large WebAssembly module that a deployment on a real Postgres never loads.
  const [{ PGlite }, { PGLiteSocketServer }, { drizzle }, { migrate }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("@electric-sql/pglite-socket"),
    import("drizzle-orm/pglite"),
    import("drizzle-orm/pglite/migrator"),
  ]);
  const pglite = await PGlite.create(dataDir);
  await migrate(drizzle(pglite), { migrationsFolder: path.join(process.cwd(), "db", "migrations") });
  const server = new PGLiteSocketServer({ db: pglite, port: options.port, host: "127.0.0.1", maxConnections: 100 });
  try {
    await server.start();
  } catch (error) {
    await pglite.close();
    throw error;
  }
  return {
    url: embeddedDatabaseUrl(options.port),
    stop: async () => {
      await server.stop();
      await pglite.close();
    },
  };
}

export function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

type EmbeddedState = { ready?: Promise<string>; server?: EmbeddedServer };
const globalState = globalThis as typeof globalThis & { __embeddedDatabase?: EmbeddedState };

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function runningHostPort(): Promise<number | undefined> {
  try {
    const host = JSON.parse(readFileSync(hostFile, "utf8")) as { pid: number; port: number };
    if (host.pid !== process.pid && isAlive(host.pid) && (await isListening(host.port))) return host.port;
  } catch {
    // No host file, or an unreadable one: nobody is hosting.
  }
  return undefined;
}

/** Connects to this checkout's embedded database, hosting it in this process when no other process does. */
export function ensureEmbeddedDatabase(port: number): Promise<string> {
  const state = (globalState.__embeddedDatabase ??= {});
  state.ready ??= (async () => {
    const hostPort = await runningHostPort();
    if (hostPort) return embeddedDatabaseUrl(hostPort);
    // The preferred port may belong to another checkout's embedded database.
    const freePort = (await isListening(port)) ? await anyFreePort() : port;
    state.server = await startEmbeddedServer({ port: freePort });
    writeFileSync(hostFile, JSON.stringify({ pid: process.pid, port: freePort }));
    // Close PGlite cleanly on Ctrl-C so the next start does not have to recover its data directory.
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.once(signal, () => void stopEmbeddedDatabase().finally(() => process.exit(0)));
    }
    return state.server.url;
  })();
  return state.ready;
}

/** Stops the embedded server if this process hosts it, flushing PGlite's data to disk. */
export async function stopEmbeddedDatabase() {
  const state = globalState.__embeddedDatabase;
  if (!state?.server) return;
  await state.server.stop();
  rmSync(hostFile, { force: true });
  globalState.__embeddedDatabase = undefined;
}
