import { sql } from "drizzle-orm";
import { env } from "@/lib/env";
import { queryPrepared } from "./client";

/**
 * How far the database's clock is from this process's, so that a statement can carry a deadline on the
 * database's own clock. A statement's client gives up after DATABASE_STATEMENT_TIMEOUT_MS and answers
 * 503 "nothing was recorded"; a server that was stalled (SIGSTOP, a frozen VM) may still run that
 * statement when it resumes, and must then do nothing. Measured with one round trip, refreshed in the
 * background; until it is known no deadline is set (the statement runs as it always did).
 */

const refreshMs = 5 * 60_000;
// The deadline falls this much before the client's own timeout, for the offset's error (half a round trip).
const marginMs = 250;

type ClockState = { offsetMs: number | null; measuredAt: number; measuring: boolean };
const globalForClock = globalThis as typeof globalThis & { __databaseClock?: ClockState };
const state = (globalForClock.__databaseClock ??= { offsetMs: null, measuredAt: 0, measuring: false });

async function measure() {
  state.measuring = true;
  try {
    const sent = Date.now();
    const [row] = await queryPrepared<{ now_ms: number | string }>(
      "database_clock",
      sql`select (extract(epoch from clock_timestamp()) * 1000)::float8 as now_ms`,
    );
    const received = Date.now();
    state.offsetMs = Number(row!.now_ms) - (sent + received) / 2;
    state.measuredAt = received;
  } catch {
    // Unknown for now: statements go without a deadline, and the next call measures again.
  } finally {
    state.measuring = false;
  }
}

/**
 * The moment, on the database's clock, after which a statement sent now must not apply, as an ISO string;
 * null while the offset is unknown or statement timeouts are off.
 */
export function statementDeadline(): string | null {
  if (!state.measuring && Date.now() - state.measuredAt > refreshMs) void measure();
  const timeoutMs = env().DATABASE_STATEMENT_TIMEOUT_MS;
  if (state.offsetMs === null || timeoutMs <= 0) return null;
  return new Date(Date.now() + state.offsetMs + Math.max(0, timeoutMs - marginMs)).toISOString();
}

/** Measures now (tests, and the server's start so the first reports already carry a deadline). */
export async function measureDatabaseClock() {
  await measure();
  return state.offsetMs;
}
