import { Redis } from "@upstash/redis";
import { env } from "@/lib/env";
import { redisWriteTimeoutMs } from "@/lib/resilience/redis";

/** One write to the mirror. Balances carry the ledger entry id they reflect, so an older write never wins. */
export type MirrorWrite =
  | { kind: "hash"; key: string; fields: Record<string, string> }
  | { kind: "balance"; key: string; balance: number; version: number };

/** The small interface the mirror needs; Upstash in production, in-memory when Upstash is not configured. */
export interface CacheStore {
  apply(writes: MirrorWrite[]): Promise<void>;
  getHash(key: string): Promise<Record<string, string> | null>;
  get(key: string): Promise<string | null>;
  ping(): Promise<boolean>;
}

export const versionKeyOf = (balanceKey: string) => `${balanceKey}:version`;

// Sets the balance only when this write reflects a ledger entry at least as new as the stored one:
// after-commit writes from concurrent requests (or processes) can reach Redis out of order.
const setIfNewer = `
local current = tonumber(redis.call('GET', KEYS[2]) or '-1')
if tonumber(ARGV[2]) >= current then
  redis.call('SET', KEYS[1], ARGV[1])
  redis.call('SET', KEYS[2], ARGV[2])
  return 1
end
return 0`;

export function createUpstashStore(redis: Redis): CacheStore {
  return {
    async apply(writes) {
      if (writes.length === 0) return;
      // One HTTP request, applied atomically: a reader never sees a key hash half rewritten.
      const transaction = redis.multi();
      for (const write of writes) {
        if (write.kind === "hash") {
          transaction.del(write.key);
          transaction.hset(write.key, write.fields);
        } else {
          transaction.eval(setIfNewer, [write.key, versionKeyOf(write.key)], [String(write.balance), String(write.version)]);
        }
      }
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
        if (write.kind === "hash") {
          hashes.set(write.key, { ...write.fields });
          continue;
        }
        const current = Number(strings.get(versionKeyOf(write.key)) ?? -1);
        if (write.version >= current) {
          strings.set(write.key, String(write.balance));
          strings.set(versionKeyOf(write.key), String(write.version));
        }
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
