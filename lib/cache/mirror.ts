import { redisBreaker, redisWriteTimeoutMs } from "@/lib/resilience/redis";
import { getCacheStore, type MirrorWrite } from "./store";

/**
 * The write-behind queue in front of Redis. Writes are coalesced per Redis key (the newest wins), sent in
 * one request per flush, and kept when Redis fails, to be retried with backoff: a Redis outage never blocks
 * or fails the change in Postgres, and the mirror catches up by itself once Redis answers again.
 */

type MirrorState = {
  pending: Map<string, MirrorWrite>;
  flushing: Promise<void> | null;
  timer: ReturnType<typeof setTimeout> | null;
  /** Settles when the scheduled flush has been tried. */
  scheduled: Promise<void> | null;
  failures: number;
};

const globalForMirror = globalThis as typeof globalThis & { __mirrorState?: MirrorState };
const state = (globalForMirror.__mirrorState ??= {
  pending: new Map(),
  flushing: null,
  timer: null,
  scheduled: null,
  failures: 0,
});

const maxBackoffMs = 30_000;
// Writes queued within this window go to Redis in one request: under load, one request per window
// instead of one per usage report, and a balance written many times in it is sent once.
const coalesceMs = 15;

// A write queued after another for the same Redis key may still be the older one (a sweep's snapshot read
// before a revoke, a failed batch put back after newer writes came in): the newer version stays queued.
function isSuperseded(candidate: MirrorWrite, existing: MirrorWrite | undefined) {
  return candidate.version !== undefined && existing?.version !== undefined && existing.version > candidate.version;
}

function keep(write: MirrorWrite) {
  if (!isSuperseded(write, state.pending.get(write.key))) state.pending.set(write.key, write);
}

function schedule(delayMs: number) {
  if (state.timer) return;
  state.scheduled = new Promise<void>((resolve) => {
    state.timer = setTimeout(() => {
      state.timer = null;
      state.scheduled = null;
      void flushMirror().then(resolve);
    }, delayMs);
    // A pending retry must not keep a CLI process or a test worker alive.
    state.timer.unref?.();
  });
}

async function flushOnce(evenIfOpen: boolean) {
  const batch = [...state.pending.values()];
  state.pending.clear();
  if (batch.length === 0) return;
  try {
    // Through Redis's breaker: a hung Redis fails the flush after the write timeout instead of holding it
    // (and the follow-ups awaiting it) for minutes, and while the breaker is open retries fail at once.
    await redisBreaker().run(() => getCacheStore().apply(batch), redisWriteTimeoutMs, { evenIfOpen });
    state.failures = 0;
  } catch (error) {
    for (const write of batch) keep(write);
    state.failures += 1;
    if (state.failures === 1) console.error("[cache] mirror write failed; retrying:", (error as Error).message);
    schedule(Math.min(maxBackoffMs, 100 * 2 ** state.failures));
  }
}

/**
 * Sends everything queued; resolves once this flush has been tried (it never throws). `evenIfOpen` also
 * tries while Redis's breaker is open, for the last flush before an instance exits.
 */
export function flushMirror(options: { evenIfOpen?: boolean } = {}): Promise<void> {
  const evenIfOpen = options.evenIfOpen ?? false;
  if (state.flushing) {
    return state.flushing.then(() => (state.pending.size > 0 && (state.failures === 0 || evenIfOpen) ? flushMirror(options) : undefined));
  }
  state.flushing = flushOnce(evenIfOpen).finally(() => {
    state.flushing = null;
  });
  return state.flushing;
}

/** Queues writes and schedules a flush shortly, so one burst of requests becomes one Redis request. */
export function enqueueMirrorWrites(writes: MirrorWrite[]) {
  for (const write of writes) keep(write);
  if (state.failures === 0) schedule(coalesceMs);
}

/**
 * Resolves once the writes queued so far have been sent with the next scheduled flush. While Redis is
 * failing it resolves at once: the writes stay queued for the retries, and nobody should wait on them.
 */
export function mirrorWritesSent(): Promise<void> {
  if (state.failures > 0) return Promise.resolve();
  if (state.scheduled) return state.scheduled;
  return state.pending.size > 0 ? flushMirror() : (state.flushing ?? Promise.resolve());
}

/** How many writes wait for Redis (health checks, tests). */
export function pendingMirrorWrites() {
  return state.pending.size;
}
