import { randomBytes } from "node:crypto";
import Redis from "ioredis";

/** A REDIS_PREFIX of its own for one test run, so runs never see each other's keys on the shared Redis. */
export function testRedisPrefix(label: string) {
  return `test-${label}-${randomBytes(4).toString("hex")}:`;
}

/** Removes every key a test run wrote under its prefix from the local redis-server. */
export async function deleteRedisKeys(prefix: string, url = "redis://127.0.0.1:6379") {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 })) {
      if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
    }
  } finally {
    redis.disconnect();
  }
}
