import { Redis } from "@upstash/redis";
import { env } from "@/lib/env";
import { redisWriteTimeoutMs } from "@/lib/resilience/redis";

/**
 * One write to the mirror, carrying the version of the state it reflects so that an older write never wins:
 * a balance the ledger entry id, a key hash its row's mirror version (lib/cache/index.ts). A hash written
 * without a version replaces whatever is there and clears the stored version, so the next versioned write
 * wins: only for tests that damage the mirror on purpose.
 */
export type MirrorWrite =
  | { kind: "hash"; key: string; fields: Record<string, string>; version?: number }
  | { kind: "balance"; key: string; balance: number; version: number };

/** The small interface the mirror needs; Upstash in production, in-memory when Upstash is not configured. */
export interface CacheStore {
  apply(writes: MirrorWrite[]): Promise<void>;
  getHash(key: string): Promise<Record<string, string> | null>;
  get(key: string): Promise<string | null>;
  ping(): Promise<boolean>;
}

/**
 * Where a mirrored value's version is kept: a string beside it, for balances and key hashes alike, so the
 * hash keeps exactly SPEC section 4's fields. A version left after its value was deleted does no harm: the
 * sweep and the resync rewrite at a version at least as new as any written before.
 */
export const versionKeyOf = (key: string) => `${key}:version`;

// Writes the value only when this write's version (ARGV[1]) is at least the stored one (KEYS[2]): after-commit
// writes from concurrent requests or instances, and a sweep's or a resync's snapshot, reach Redis out of
// order. An equal version rewrites the same state, which repairs a value deleted behind the mirror's back.
const ifNewer = (write: string) => `
if tonumber(ARGV[1]) < (tonumber(redis.call('GET', KEYS[2])) or -1) then
  return 0
end
redis.call('SET', KEYS[2], ARGV[1])
${write}
return 1`;
const setBalanceIfNewer = ifNewer(`redis.call('SET', KEYS[1], ARGV[2])`);
// The whole hash is replaced, so a reader never sees old and new fields mixed; ARGV[2..] are its fields and values.
const replaceHashIfNewer = ifNewer(`redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 2))`);

function queueWrite(transaction: ReturnType<Redis["multi"]>, write: MirrorWrite) {
  const keys = [write.key, versionKeyOf(write.key)];
  if (write.kind === "balance") {
    transaction.eval(setBalanceIfNewer, keys, [String(write.version), String(write.balance)]);
  } else if (write.version === undefined) {
    transaction.del(...keys);
    transaction.hset(write.key, write.fields);
  } else {
    transaction.eval(replaceHashIfNewer, keys, [String(write.version), ...Object.entries(write.fields).flat()]);
  }
}

export function createUpstashStore(redis: Redis): CacheStore {
  return {
    async apply(writes) {
      if (writes.length === 0) return;
      // One HTTP request, applied atomically: a reader never sees a key hash half rewritten.
      const transaction = redis.multi();
      for (const write of writes) queueWrite(transaction, write);
      await transaction.exec();
    },
    async getHash(key) {
      // Without automatic deserialization the SDK hands HGETALL back as the protocol's flat field/value list.
      const value = (await redis.hgetall(key)) as unknown;
      const entries = Array.isArray(value)
        ? Array.from({ length: value.length / 2 }, (_, index) => [String(value[2 * index]), String(value[2 * index + 1])])
        : Object.entries((value ?? {}) as Record<string, string>);
      return entries.length > 0 ? Object.fromEntries(entries) : null;
    },
    get: (key) => redis.get<string>(key),
    async ping() {
      return (await redis.ping()) === "PONG";
    },
  };
}

export function createMemoryStore(): CacheStore {
  const hashes = new Map<string, Record<string, string>>();
  const strings = new Map<string, string>();
  return {
    async apply(writes) {
      for (const write of writes) {
        const versionKey = versionKeyOf(write.key);
        if (write.version === undefined) strings.delete(versionKey);
        else if (write.version < Number(strings.get(versionKey) ?? -1)) continue;
        else strings.set(versionKey, String(write.version));
        if (write.kind === "hash") hashes.set(write.key, { ...write.fields });
        else strings.set(write.key, String(write.balance));
      }
    },
    getHash: async (key) => hashes.get(key) ?? null,
    get: async (key) => strings.get(key) ?? null,
    ping: async () => true,
  };
}

/**
 * Upstash clients tuned for a request path: no SDK retries (the mirror has its own), no telemetry, and every
 * HTTP request aborted after `timeoutMs`, so a hung Redis holds no socket longer than that.
 */
export function createUpstashClient(options: { deserialize: boolean; timeoutMs: number }) {
  const { UPSTASH_REDIS_REST_URL: url, UPSTASH_REDIS_REST_TOKEN: token } = env();
  if (!url || !token) return null;
  return new Redis({
    url,
    token,
    retry: false,
    enableTelemetry: false,
    automaticDeserialization: options.deserialize,
    keepAlive: true,
    signal: () => AbortSignal.timeout(options.timeoutMs),
  });
}

const globalForStore = globalThis as typeof globalThis & { __cacheStore?: CacheStore };

export function getCacheStore(): CacheStore {
  if (!globalForStore.__cacheStore) {
    const client = createUpstashClient({ deserialize: false, timeoutMs: redisWriteTimeoutMs });
    globalForStore.__cacheStore = client ? createUpstashStore(client) : createMemoryStore();
  }
  return globalForStore.__cacheStore;
}

/** Tests swap the store (for example for one whose Redis is unreachable). */
export function setCacheStore(store: CacheStore | undefined) {
  globalForStore.__cacheStore = store;
}
