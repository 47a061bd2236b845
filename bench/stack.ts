import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import Redis from "ioredis";

/**
 * The system under test: the built app under `next start`, with the Upstash REST server in front of the
 * local redis-server, and the floor server it is compared with. Every process is started in a process group
 * of its own, so that stopping it also stops what it spawned (`next start` runs the server in a `next-server`
 * child).
 */

const nextBin = "node_modules/.bin/next";
const redisUrl = "redis://127.0.0.1:6379";

export type Upstash = { url: string; token: string; process: ChildProcess };

function stopGroup(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const pid = child.pid;
  return new Promise((resolve) => {
    const kill = setTimeout(() => signalGroup(pid, "SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(kill);
      // The group leader may exit before its children; make sure none is left listening.
      signalGroup(pid, "SIGKILL");
      resolve();
    });
    signalGroup(pid, "SIGTERM");
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", env });
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited with ${code}`))));
  });
}

/** `next build` only when this checkout has no build yet; a stale build is the caller's choice to keep. */
export async function ensureBuilt() {
  if (existsSync(".next/BUILD_ID")) return;
  console.log("[bench] no .next/BUILD_ID: running next build");
  await run(nextBin, ["build"]);
}

/** A bench script under tsx in a process group of its own; it prints one JSON line on stdout once it listens. */
async function startScriptProcess<Ready>(script: string, label: string, env: Record<string, string>) {
  const child = spawn("node_modules/.bin/tsx", [script], {
    detached: true,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, ...env },
  });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`${label} exited with ${code}`)));
  });
  return { ready: JSON.parse(first) as Ready, child };
}

export async function startUpstash(port = 0): Promise<Upstash> {
  const { ready, child } = await startScriptProcess<{ url: string; token: string }>("bench/upstash-process.ts", "the Upstash REST server", {
    UPSTASH_PORT: String(port),
  });
  return { ...ready, process: child };
}

/** bench/floor-server.ts: the usage deduction behind plain node:http, on `databaseUrl`. */
export async function startFloor(databaseUrl: string, serviceToken: string) {
  const { ready, child } = await startScriptProcess<{ url: string }>("bench/floor-server.ts", "the floor server", {
    DATABASE_URL: databaseUrl,
    FLOOR_SERVICE_TOKEN: serviceToken,
  });
  return { url: ready.url, process: child };
}

export async function startApp(port: number, env: Record<string, string>) {
  const child = spawn(nextBin, ["start", "-p", String(port), "-H", "127.0.0.1"], {
    detached: true,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, ...env },
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    const live = await fetch(`${url}/api/health/live`).then((response) => response.ok, () => false);
    if (live) return { url, process: child };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stopGroup(child);
  throw new Error("next start did not answer /api/health/live within 60 s");
}

export const stopProcess = stopGroup;
export { signalGroup };

/** Deletes what this run left in Redis (the mirror's keys and balances, rate-limit windows). */
export async function deleteRedisPrefix(prefix: string) {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

export type Cleanup = () => Promise<unknown> | unknown;

/**
 * Runs a bench-style script: `main` answers its exit code; the cleanups (pushed as things start) run in
 * reverse order afterwards, and also on Ctrl-C or SIGTERM, so no cluster, server or Redis key is left behind.
 */
export function runScript(label: string, main: () => Promise<number>, cleanups: Cleanup[]) {
  let exiting = false;
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.error(`[${label}] cleanup failed:`, error);
      }
    }
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      if (exiting) return;
      exiting = true;
      void cleanUp().then(() => process.exit(130));
    });
  }
  main()
    .catch((error: unknown) => {
      console.error(`[${label}] failed:`, error);
      return 1;
    })
    .then(async (code) => {
      exiting = true;
      await cleanUp();
      process.exit(code);
    });
}
