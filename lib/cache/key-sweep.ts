import { sql } from "drizzle-orm";
import { db, queryRows } from "@/db/client";
import { enqueueMirrorWrites } from "./mirror";
import { keyRowsToWrites, selectKeysForMirror } from "./resync";

type SweepRow = Parameters<typeof keyRowsToWrites>[0][number];

const sweepIntervalMs = 30_000;
const globalForSweep = globalThis as typeof globalThis & { __keySweep?: { since: Date } };

/**
 * Expiry is a moment, not a write, so nothing commits when a key (or a rolled key's grace period) runs
 * out: this sweep rewrites the Redis status of keys that expired since the last sweep.
 */
export async function mirrorKeysExpiredBetween(since: Date, until: Date) {
  const rows = await queryRows<SweepRow>(
    db,
    sql`${selectKeysForMirror} where k.expires_at > ${since.toISOString()}::timestamptz and k.expires_at <= ${until.toISOString()}::timestamptz`,
  );
  enqueueMirrorWrites(keyRowsToWrites(rows, until));
  return rows.length;
}

/** After an organization is disabled or enabled again: its keys' status changes in Redis. */
export async function mirrorOrganizationKeys(organizationId: string) {
  const rows = await queryRows<SweepRow>(db, sql`${selectKeysForMirror} where k.organization_id = ${organizationId}`);
  enqueueMirrorWrites(keyRowsToWrites(rows));
  return rows.length;
}

export function startKeyExpirySweep() {
  if (globalForSweep.__keySweep) return;
  // On start, look back a day: expiries during downtime are caught up too.
  const state = (globalForSweep.__keySweep = { since: new Date(Date.now() - 86_400_000) });
  const timer = setInterval(async () => {
    const until = new Date();
    try {
      await mirrorKeysExpiredBetween(state.since, until);
      state.since = until;
    } catch (error) {
      console.error("[cache] key expiry sweep failed:", (error as Error).message);
    }
  }, sweepIntervalMs);
  timer.unref?.();
}
