import { sql } from "drizzle-orm";
import { db } from "@/db/client";
import { getCacheStore } from "@/lib/cache";
import { redisBreaker, redisRequestTimeoutMs } from "@/lib/resilience/redis";

export type ComponentStatus = "ok" | "down";
export type ReadinessChecks = { database: () => Promise<unknown>; cache: () => Promise<unknown> };

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timed out")), CHECK_TIMEOUT_MS).unref()),
  ]);
}

async function probe(check: () => Promise<unknown>): Promise<ComponentStatus> {
  try {
    const result = await withTimeout(check());
    return result === false ? "down" : "ok";
  } catch {
    return "down";
  }
}

const defaultChecks: ReadinessChecks = {
  database: () => db.execute(sql`select 1`),
  // Through Redis's breaker, with the request path's timeout: while the breaker is open the answer is "down" at
  // once (this instance runs on its local fallbacks), and a hung Redis never makes the check slower than a
  // load balancer's own timeout. Past the cool-down, the health check is a probe like any other call.
  cache: () => redisBreaker().run(() => getCacheStore().ping(), redisRequestTimeoutMs),
};

/**
 * Readiness of this instance (SPEC section 2). Only the database makes it unready: without Redis the usage
 * path keeps working (limits are counted per instance, mirror writes wait in the queue), so a Redis outage
 * is "degraded" and a load balancer must not pull every instance for it.
 */
export async function checkReadiness(checks: ReadinessChecks = defaultChecks) {
  const [database, cache] = await Promise.all([probe(checks.database), probe(checks.cache)]);
  const ready = database === "ok";
  const status = !ready ? "down" : cache === "ok" ? "ok" : "degraded";
  return { ready, body: { status, db: database, cache } };
}
