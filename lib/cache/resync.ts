import { sql } from "drizzle-orm";
import { db, queryRows } from "@/db/client";
import { keyStatus } from "@/lib/keys/status";
import { mirrorKeyWrite } from "./index";
import { cacheKeys } from "./keys";
import { getCacheStore, type MirrorWrite } from "./store";

type KeyRow = {
  id: string;
  organization_id: string;
  key_hash: string;
  scopes: string[];
  expires_at: Date | string | null;
  revoked_at: Date | string | null;
  disabled: boolean;
};

const toDate = (value: Date | string | null) => (value === null ? null : new Date(value));
const chunkSize = 500;

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
    });
  });
}

export const selectKeysForMirror = sql`
  select k.id, k.organization_id, k.key_hash, k.scopes, k.expires_at, k.revoked_at, (o.disabled_at is not null) as disabled
  from api_keys k join organizations o on o.id = k.organization_id`;

/** Rewrites the whole mirror from Postgres (SPEC section 5, `redis:resync`), directly rather than queued. */
export async function resyncMirror() {
  const keys = await queryRows<KeyRow>(db, selectKeysForMirror);
  // The newest ledger entry id is the balance's version, so a resync and a live write never overwrite a newer value.
  const balances = await queryRows<{ id: string; balance: string | number; version: string | number }>(
    db,
    sql`select o.id, o.balance, coalesce((select max(l.id) from credit_ledger l where l.organization_id = o.id), 0) as version
        from organizations o`,
  );
  const writes: MirrorWrite[] = [
    ...keyRowsToWrites(keys),
    ...balances.map((row) => ({
      kind: "balance" as const,
      key: cacheKeys.credits(row.id),
      balance: Number(row.balance),
      version: Number(row.version),
    })),
  ];
  const store = getCacheStore();
  for (let start = 0; start < writes.length; start += chunkSize) {
    await store.apply(writes.slice(start, start + chunkSize));
  }
  return { keys: keys.length, balances: balances.length };
}
