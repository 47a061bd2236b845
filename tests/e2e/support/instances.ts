import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { readStackEnv, type StackEnv } from "./stack-env";

/**
 * More `next start` instances from the same build as the stack's, sharing its database and Redis prefix,
 * for the cross-instance and shutdown specs. Each runs in a process group of its own, so that stopping it
 * also stops any child (a wrapper such as `npx` leaves its `next-server` child running when killed alone).
 */

export type Exit = { code: number | null; signal: NodeJS.Signals | null; at: number };

export type Instance = {
  url: string;
  pid: number;
  /** Settles when the process has exited. */
  exited: Promise<Exit>;
  /** What the process printed, for assertions and failure messages. */
  output(): string;
  /** Sends a signal to the server process alone, as a supervisor would. */
  signal(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL to the whole group if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<Exit>;
};

const running = new Set<ChildProcess>();
// A worker that dies mid-test must not leave servers behind.
process.once("exit", () => {
  for (const child of running) killGroup(child, "SIGKILL");
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // Already gone.
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === "string") throw new Error("no free port");
  return address.port;
}

async function waitUntilLive(url: string, exited: Promise<Exit>, output: () => string, timeoutMs: number) {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gone) {
    try {
      if ((await fetch(`${url}/api/health/live`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the instance at ${url} did not start:\n${output().slice(-4000)}`);
}

/** Starts `next start` on a free port with the stack's environment plus `overrides`; resolves once it is live. */
export async function startInstance(overrides: StackEnv = {}, options: { timeoutMs?: number } = {}): Promise<Instance> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(path.join("node_modules", ".bin", "next"), ["start", "-p", String(port)], {
    env: { ...process.env, ...readStackEnv(), ...overrides },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  running.add(child);
  let log = "";
  const append = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-200_000);
  };
  child.stdout!.on("data", append);
  child.stderr!.on("data", append);
  const exited = new Promise<Exit>((resolve) => {
    child.once("exit", (code, signal) => {
      running.delete(child);
      resolve({ code, signal, at: Date.now() });
    });
  });
  const output = () => log;
  await waitUntilLive(url, exited, output, options.timeoutMs ?? 30_000);

  return {
    url,
    pid: child.pid!,
    exited,
    output,
    signal: (signal) => child.kill(signal),
    async stop(graceMs = 20_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => killGroup(child, "SIGKILL"), graceMs);
      const exit = await exited;
      clearTimeout(timer);
      // Whatever it started in its group goes with it.
      killGroup(child, "SIGKILL");
      return exit;
    },
  };
}
