import { subscribe } from "node:diagnostics_channel";
import type { ServerResponse } from "node:http";
import { closeDatabase } from "@/db/client";
import { flushMirror } from "@/lib/cache";
import { closeVerifyCache } from "@/lib/keys/verify-cache";
import { flushLastUsed } from "@/lib/keys/last-used";

/**
 * Graceful shutdown of a server instance, on SIGTERM (a deploy, a scale-in) and SIGINT.
 *
 * `next start` already handles both signals: it closes the HTTP server (no new connections; it waits for
 * the open ones), then closes the Next server (which awaits the `after()` follow-ups of the service
 * routes), then calls `process.exit(143)` (130 for SIGINT). What it cannot do is run our own last work,
 * which must come after all of that and before the process ends: the mirror writes still queued for
 * Redis, the `lastUsedAt` batch, then closing the database pools. Neither `exit` nor `beforeExit` can
 * wait for asynchronous work after an explicit `process.exit`, and replacing Next's handler
 * (NEXT_MANUAL_SIG_HANDLE) would lose its server close and its wait for `after()`. So once a signal has
 * arrived, and only then, `process.exit` is wrapped: Next's call first runs our tasks, then exits with
 * Next's code. A deadline ends the process anyway when anything hangs (a stalled database, a client
 * that never finishes its request).
 *
 * Node's `server.close()` keeps serving requests on keep-alive connections that stay busy, so a client
 * with a connection pool (the data API service, a load balancer) could keep an instance draining until
 * the deadline. While draining, every response therefore carries `Connection: close`: a connection ends
 * after the request it is serving, and the client opens its next one to another instance.
 */

const deadlineMs = 15_000;

type ShutdownState = { draining: boolean; inFlight: Set<ServerResponse> };

const globalForShutdown = globalThis as typeof globalThis & { __shutdown?: ShutdownState };

/** True once a shutdown signal arrived: readiness answers 503 so the load balancer stops sending traffic. */
export function isDraining() {
  return globalForShutdown.__shutdown?.draining ?? false;
}

function closeConnectionAfter(response: ServerResponse) {
  if (!response.headersSent) response.setHeader("Connection", "close");
}

async function runShutdownTasks() {
  // Both write through connections that closeDatabase and the process exit end, so they go first.
  // The mirror tries even while Redis's breaker is open: after this there is no retry, only the sweep.
  const results = await Promise.allSettled([flushMirror({ evenIfOpen: true }), flushLastUsed()]);
  for (const result of results) if (result.status === "rejected") console.error("[shutdown] flush failed:", result.reason);
  await closeVerifyCache();
  await closeDatabase().catch((error: unknown) => console.error("[shutdown] closing the database failed:", error));
}

function beginShutdown(state: ShutdownState, signal: NodeJS.Signals) {
  if (state.draining) return;
  state.draining = true;
  console.log(`[shutdown] ${signal}: draining ${state.inFlight.size} request(s) in flight`);
  for (const response of state.inFlight) closeConnectionAfter(response);

  const exit = process.exit.bind(process);
  const deadline = setTimeout(() => {
    console.error(`[shutdown] not finished after ${deadlineMs / 1000} s; exiting anyway`);
    exit(1);
  }, deadlineMs);
  deadline.unref();

  let exiting: Promise<void> | null = null;
  process.exit = ((code?: number | string | null) => {
    exiting ??= runShutdownTasks().finally(() => {
      console.log("[shutdown] done");
      exit(code);
    });
    // Returns to the caller (Next's cleanup, which has nothing left to do); the exit follows the tasks.
    return undefined as never;
  }) as typeof process.exit;
}

/** Installs the signal handlers and the request tracking; once per process (instrumentation.ts). */
export function installGracefulShutdown() {
  if (globalForShutdown.__shutdown) return;
  const state: ShutdownState = (globalForShutdown.__shutdown = { draining: false, inFlight: new Set() });

  // Published by Node's HTTP server for every request, before Next sees it: the only public way to reach
  // the Node response (and so the connection) of a request from inside the app.
  subscribe("http.server.request.start", (message) => {
    const { response } = message as { response: ServerResponse };
    if (state.draining) return closeConnectionAfter(response);
    state.inFlight.add(response);
    response.once("close", () => state.inFlight.delete(response));
  });

  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => beginShutdown(state, signal));
}
