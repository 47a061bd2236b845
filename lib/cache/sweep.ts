import { sql } from "drizzle-orm";
import { db, queryRows } from "@/db/client";
import { enqueueMirrorWrites } from "./mirror";
import { balanceRowsToWrites, keyRowsToWrites, selectBalancesForMirror, selectKeysForMirror, type KeyRow } from "./resync";

const sweepIntervalMs = 30_000;
// Each sweep looks this far behind its last one: a change committed by a transaction that began before the
// last sweep carries an earlier timestamp than that sweep, and must still be caught.
const overlapMs = 120_000;
type SweepState = { since: Date; lastRunAt?: Date };
const globalForSweep = globalThis as typeof globalThis & { __mirrorSweep?: SweepState };

/**
 * Rewrites in Redis what changed in Postgres between two moments: keys whose expiry (or a rolled key's grace
 * period) passed, since expiry is a moment and not a write, so nothing else would mirror it; and keys,
 * organizations disabled and balances changed recently. Their after-commit writes normally got there first;
 * this repairs a write that died with its instance, so the mirror heals within one sweep of any instance.
 * Every write carries the version it read, so a snapshot that a newer write overtook changes nothing.
 */
export async function mirrorChangesBetween(since: Date, until: Date) {
  const from = new Date(since.getTime() - overlapMs).toISOString();
  const [keys, balances] = await Promise.all([
    queryRows<KeyRow>(
      db,
      sql`${selectKeysForMirror}
          where (k.expires_at > ${since.toISOString()}::timestamptz and k.expires_at <= ${until.toISOString()}::timestamptz)
             or k.revoked_at > ${from}::timestamptz or k.created_at > ${from}::timestamptz
             or o.disabled_at > ${from}::timestamptz or u.disabled_at > ${from}::timestamptz`,
    ),
    queryRows<Parameters<typeof balanceRowsToWrites>[0][number]>(
      db,
      sql`${selectBalancesForMirror} where o.updated_at > ${from}::timestamptz`,
    ),
  ]);
  enqueueMirrorWrites([...keyRowsToWrites(keys, until), ...balanceRowsToWrites(balances)]);
  return { keys: keys.length, balances: balances.length };
}

export function startMirrorSweep() {
  if (globalForSweep.__mirrorSweep) return;
  // On start, look back a day: expiries during downtime are caught up too.
  const state: SweepState = (globalForSweep.__mirrorSweep = { since: new Date(Date.now() - 86_400_000) });
  const timer = setInterval(async () => {
    const until = new Date();
    try {
      await mirrorChangesBetween(state.since, until);
      state.since = until;
      state.lastRunAt = until;
    } catch (error) {
      console.error("[cache] mirror sweep failed:", (error as Error).message);
    }
  }, sweepIntervalMs);
  timer.unref?.();
}

/** When this instance's sweep last completed (the admin console's system page); null before its first run. */
export function lastMirrorSweepAt(): Date | null {
  return globalForSweep.__mirrorSweep?.lastRunAt ?? null;
}
