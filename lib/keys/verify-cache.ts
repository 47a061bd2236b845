import { sql } from "drizzle-orm";
import { queryPrepared } from "@/db/client";
import { onCreditsChanged } from "@/lib/credits/hooks";
import { env } from "@/lib/env";
import { cacheChannel, publishBalances, startNotificationChannel, type CacheNotification, type NotificationChannel } from "@/lib/cache/notifications";

/**
 * Key state and balances for POST /api/keys/verify, held in this process so that a verify costs no round
 * trip. Entries are trusted only while the notification channel is up: every change the Redis mirror hears
 * about also reaches each instance through it (lib/cache/notifications.ts), and an instance drops what it
 * holds whenever the channel goes down or comes back. Key changes are notified by the database itself; a
 * balance's notification can be lost to a process that died between its commit and its NOTIFY, which the
 * balance's short time-to-live bounds.
 */

export type KeyState = {
  id: string;
  organizationId: string;
  revoked: boolean;
  /** Epoch milliseconds, or null: expiry is a moment, so it is checked when answering, not notified. */
  expiresAt: number | null;
  scopes: string[];
  rateLimitPerMinute: number | null;
  /** Its organization or the user who created it is disabled (SPEC section 4). */
  disabled: boolean;
};

/** What a cache miss loads: the key, its organization's state and balance. */
export type VerifyRow = {
  id: string;
  organization_id: string;
  revoked: boolean;
  expires_at: Date | string | null;
  scopes: string[];
  rate_limit_per_minute: number | null;
  balance: string | number;
  disabled: boolean;
};

const keyTtlMs = 60_000;
const balanceTtlMs = 10_000;
// Bounds the memory a stream of random (unknown) keys can take.
const maxEntries = 100_000;
// A balance read from the database has no ledger version: any notified version replaces it, never the reverse.
const unversioned = -1;

type Cached<T> = { value: T; at: number };
type BalanceEntry = { balance: number; version: number; at: number };

export type VerifyCache = ReturnType<typeof createVerifyCache>;

export function createVerifyCache(channel: NotificationChannel, load: (keyHash: string) => Promise<VerifyRow | undefined>) {
  const keys = new Map<string, Cached<KeyState | null>>();
  const balances = new Map<string, BalanceEntry>();
  // Bumped by every key notification: a database read that overlapped one may predate it and is not kept.
  let keyGeneration = 0;
  const stats = { hits: 0, misses: 0 };

  const bounded = <V>(map: Map<string, V>, key: string, value: V) => {
    map.delete(key);
    map.set(key, value);
    if (map.size > maxEntries) map.delete(map.keys().next().value!);
  };
  const setBalance = (organizationId: string, balance: number, version: number) => {
    const entry = balances.get(organizationId);
    const fresh = entry && Date.now() - entry.at < balanceTtlMs;
    if (fresh && entry.version > version) return;
    if (fresh && version === unversioned && entry.version !== unversioned) return;
    bounded(balances, organizationId, { balance, version, at: Date.now() });
  };
  const apply = (notification: CacheNotification) => {
    if (notification.keys?.length) {
      keyGeneration += 1;
      for (const key of notification.keys) keys.delete(key);
    }
    if (notification.organizations?.length) {
      keyGeneration += 1;
      const changed = new Set(notification.organizations);
      for (const [keyHash, cached] of keys) if (cached.value && changed.has(cached.value.organizationId)) keys.delete(keyHash);
    }
    for (const [organizationId, balance, version] of notification.balances ?? []) setBalance(organizationId, balance, version);
  };
  channel.subscribe({
    onNotification: apply,
    onReset: () => {
      keyGeneration += 1;
      keys.clear();
      balances.clear();
    },
  });

  return {
    stats,
    /** Applies this instance's own changes at once, before their notification comes back. */
    apply,
    async lookup(keyHash: string): Promise<{ key: KeyState; balance: number } | null> {
      const now = Date.now();
      if (channel.isUp()) {
        const cached = keys.get(keyHash);
        if (cached && now - cached.at < keyTtlMs) {
          if (cached.value === null) {
            stats.hits += 1;
            return null;
          }
          const balance = balances.get(cached.value.organizationId);
          if (balance && now - balance.at < balanceTtlMs) {
            stats.hits += 1;
            return { key: cached.value, balance: balance.balance };
          }
        }
      }
      stats.misses += 1;
      const [epoch, generation] = [channel.epoch(), keyGeneration];
      const row = await load(keyHash);
      const key: KeyState | null = row
        ? {
            id: row.id,
            organizationId: row.organization_id,
            revoked: row.revoked,
            expiresAt: row.expires_at === null ? null : new Date(row.expires_at).getTime(),
            scopes: row.scopes,
            rateLimitPerMinute: row.rate_limit_per_minute,
            disabled: row.disabled,
          }
        : null;
      if (channel.isUp() && channel.epoch() === epoch) {
        if (keyGeneration === generation) bounded(keys, keyHash, { value: key, at: Date.now() });
        if (row) setBalance(row.organization_id, Number(row.balance), unversioned);
      }
      return key && row ? { key, balance: Number(row.balance) } : null;
    },
  };
}

function loadKeyState(keyHash: string) {
  return queryPrepared<VerifyRow>("api_key_verify", sql`
    select k.id, k.organization_id, k.revoked_at is not null as revoked, k.expires_at, k.scopes, k.rate_limit_per_minute,
           o.balance, (o.disabled_at is not null or u.disabled_at is not null) as disabled
    from api_keys k join organizations o on o.id = k.organization_id left join users u on u.id = k.created_by_user_id
    where k.key_hash = ${keyHash}`).then((rows) => rows[0]);
}

const globalForVerifyCache = globalThis as typeof globalThis & { __verifyCache?: { cache: VerifyCache; channel: NotificationChannel } };

/** This process's cache, listening from its first use on; the same one for every route bundle. */
export function verifyCache(): VerifyCache {
  if (!globalForVerifyCache.__verifyCache) {
    const channel = startNotificationChannel(env().DATABASE_URL);
    globalForVerifyCache.__verifyCache = { cache: createVerifyCache(channel, loadKeyState), channel };
  }
  return globalForVerifyCache.__verifyCache.cache;
}

/** Stops listening (tests, shutdown). */
export async function closeVerifyCache() {
  const current = globalForVerifyCache.__verifyCache;
  globalForVerifyCache.__verifyCache = undefined;
  await current?.channel.close();
}

const sendNotification = (payload: string) => queryPrepared("cache_notify", sql`select pg_notify(${cacheChannel}, ${payload})`);

/**
 * After a committed key change, this instance forgets the keys at once, so its next verify reads its own
 * write; the other instances hear of it from the trigger's notification.
 */
export function forgetCachedKeys(keyHashes: string[]) {
  globalForVerifyCache.__verifyCache?.cache.apply({ keys: keyHashes });
}

/** Applies every committed balance change here and tells the other instances; idempotent (a named listener). */
export function registerVerifyCacheListener() {
  onCreditsChanged("verify-cache", (change) => {
    const balances: Array<[string, number, number]> = [[change.organizationId, change.balance, change.entryId]];
    globalForVerifyCache.__verifyCache?.cache.apply({ balances });
    publishBalances(balances, sendNotification);
  });
}
