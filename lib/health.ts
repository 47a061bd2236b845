import { sql } from "drizzle-orm";
import { db } from "@/db/client";

export type ComponentStatus = "ok" | "error";

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
    return result === false ? "error" : "ok";
  } catch {
    return "error";
  }
}

/** Readiness of this instance: can it reach the database and the cache? */
export async function checkReadiness(pingCache: () => Promise<boolean>) {
  const [database, cache] = await Promise.all([probe(() => db.execute(sql`select 1`)), probe(pingCache)]);
  const healthy = database === "ok" && cache === "ok";
  return { healthy, body: { status: healthy ? "ok" : "error", db: database, cache } };
}
