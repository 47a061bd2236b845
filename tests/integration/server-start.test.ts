import { afterAll, describe, expect, it, vi } from "vitest";
import { cacheKeys, flushMirror, getCacheStore } from "@/lib/cache";
import { env } from "@/lib/env";
import { hashApiKey } from "@/lib/keys";
import { createOrganizationWithKey, eventually, setUpRedisMirror } from "../helpers/usage";

/**
 * README (Deploying): "every instance's 30-second sweep rewrites the keys and balances changed in the last
 * minutes". The sweep itself is tested in mirror-ordering.test.ts; this shows that an instance's start
 * (instrumentation.ts's `register`, which `next start` runs) schedules it, every 30 s, on a fake interval
 * clock: setInterval alone is faked, so the database, Redis and the mirror's own timers run for real.
 */

// register() also starts the outbox's delivery loop on the same faked interval clock: far enough apart that
// it never fires here and delivers other test files' messages from the shared database.
process.env.EMAIL_OUTBOX_INTERVAL_SECONDS = "86400";
const mirror = setUpRedisMirror();
const hashKeyOf = (key: string) => cacheKeys.apiKey(hashApiKey(key));

// register() installs the graceful-shutdown handlers; a test worker must still end on SIGTERM.
const signalListeners = new Map((["SIGTERM", "SIGINT"] as const).map((signal) => [signal, process.listeners(signal)]));
afterAll(() => {
  for (const [signal, before] of signalListeners) {
    for (const listener of process.listeners(signal)) if (!before.includes(listener)) process.off(signal, listener);
  }
});

async function mirrored(organizationId: string, key: string) {
  return { status: (await getCacheStore().getHash(hashKeyOf(key)))?.status, credits: await getCacheStore().get(cacheKeys.credits(organizationId)) };
}

/** As if the instance that wrote them had died with the writes queued: Redis lost the key and the balance. */
async function loseMirror(organizationId: string, key: string) {
  await mirror.redis.del(cacheKeys.credits(organizationId), hashKeyOf(key));
  expect(await mirrored(organizationId, key)).toEqual({ status: undefined, credits: null });
}

describe("an instance's start", () => {
  it("schedules the mirror sweep every 30 seconds, which repairs what Redis lost", async () => {
    expect(env().EMAIL_OUTBOX_INTERVAL_SECONDS).toBe(86_400);
    const { organization, key } = await createOrganizationWithKey(40);
    await flushMirror();
    expect(await mirrored(organization.id, key)).toEqual({ status: "active", credits: "40" });

    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    try {
      process.env.NEXT_RUNTIME = "nodejs";
      const { register } = await import("@/instrumentation");
      await register();

      for (const sweep of [1, 2]) {
        await loseMirror(organization.id, key);
        vi.advanceTimersByTime(29_999);
        // Nothing else rewrites them: without the sweep they stay lost.
        await new Promise((resolve) => setTimeout(resolve, 200));
        await flushMirror();
        expect(await mirrored(organization.id, key), `before sweep ${sweep}`).toEqual({ status: undefined, credits: null });
        vi.advanceTimersByTime(1);
        await eventually(async () => {
          await flushMirror();
          const now = await mirrored(organization.id, key);
          return now.status === "active" && now.credits === "40";
        }, 5_000);
      }
    } finally {
      vi.useRealTimers();
    }
  });
});
