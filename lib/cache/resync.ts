import { sql } from "drizzle-orm";
import { db, queryRows } from "@/db/client";
import { keyStatus } from "@/lib/keys/status";
import { mirrorKeyWrite } from "./index";
import { cacheKeys } from "./keys";
import { getCacheStore, type MirrorWrite } from "./store";

export type KeyRow = {
  id: string;
  organization_id: string;
  key_hash: string;
  scopes: string[];
  expires_at: Date | string | null;
  revoked_at: Date | string | null;
  disabled: boolean;
  mirror_version: string | number;
};

const toDate = (value: Date | string | null) => (value === null ? null : new Date(value));
const chunkSize = 500;

/**
 * The writes of a snapshot of keys, each with the mirror version it read: one that reaches Redis after a
 * newer write of the same key (a revoke that committed after the snapshot was read) is refused there.
 */
export function keyRowsToWrites(rows: KeyRow[], now = new Date()): MirrorWrite[] {
  return rows.map((row) => {
    const dates = { revokedAt: toDate(row.revoked_at), expiresAt: toDate(row.expires_at) };
    return mirrorKeyWrite({
      keyHash: row.key_hash,
      keyId: row.id,
      organizationId: row.organization_id,
      scopes: row.scopes,
      expiresAt: dates.expiresAt,
      status: keyStatus(dates, row.disabled, now),
      mirrorVersion: Number(row.mirror_version),
    });
  });
}

// One statement: the key, its organization's and its creator's state and its mirror version come from one snapshot.
export const selectKeysForMirror = sql`
  select k.id, k.organization_id, k.key_hash, k.scopes, k.expires_at, k.revoked_at,
         (o.disabled_at is not null or u.disabled_at is not null) as disabled, k.mirror_version
  from api_keys k join organizations o on o.id = k.organization_id left join users u on u.id = k.created_by_user_id`;

type BalanceRow = { id: string; balance: string | number; version: string | number };

// The newest ledger entry id is the balance's version, read in the same snapshot as the balance, so a
// rewrite from Postgres and a live write never overwrite a newer value with an older one.
export const selectBalancesForMirror = sql`
  select o.id, o.balance, coalesce((select max(l.id) from credit_ledger l where l.organization_id = o.id), 0) as version
  from organizations o`;

export function balanceRowsToWrites(rows: BalanceRow[]): MirrorWrite[] {
  return rows.map((row) => ({
    kind: "balance" as const,
    key: cacheKeys.credits(row.id),
    balance: Number(row.balance),
    version: Number(row.version),
  }));
}

/** Rewrites the whole mirror from Postgres (SPEC section 5, `redis:resync`), directly rather than queued. */
export async function resyncMirror() {
  const keys = await queryRows<KeyRow>(db, selectKeysForMirror);
  const balances = await queryRows<BalanceRow>(db, selectBalancesForMirror);
  const writes: MirrorWrite[] = [...keyRowsToWrites(keys), ...balanceRowsToWrites(balances)];
  const store = getCacheStore();
  for (let start = 0; start < writes.length; start += chunkSize) {
    await store.apply(writes.slice(start, start + chunkSize));
  }
  return { keys: keys.length, balances: balances.length };
}
