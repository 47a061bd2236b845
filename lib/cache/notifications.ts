import { Client as NeonClient } from "@neondatabase/serverless";
import pg from "pg";
import { configureNeon, isNeonHost } from "@/db/client";
import { isEmbeddedDatabaseUrl } from "@/db/embedded";
import { env } from "@/lib/env";

/**
 * Tells every instance what the Redis mirror hears about, through Postgres LISTEN/NOTIFY on the database they
 * already share. Key and organization changes are notified by triggers (migration 0004): whoever writes them,
 * in the transaction that makes them, delivered exactly when it commits. Balances change with every usage
 * report: they are notified after commit with their ledger version, coalesced per tick into payloads under
 * Postgres's limit. Each instance keeps one listening connection; while it is down, and until it has listened
 * again, the channel reports itself down, and the caches that rely on it answer from the database instead.
 */

export const cacheChannel = "portal_cache";
export const listenerApplicationName = "portal-cache-listener";
// Postgres refuses a NOTIFY payload of 8000 bytes or more.
const maxPayloadBytes = 7_000;
const maxReconnectDelayMs = 5_000;

export type CacheNotification = {
  /** SHA-256 hex of API keys whose state changed (the api_keys trigger, migration 0004). */
  keys?: string[];
  /** Organizations disabled or enabled (the organizations trigger). */
  organizations?: string[];
  /** [organizationId, balance, ledger entry id] */
  balances?: Array<[string, number, number]>;
};

type Subscriber = {
  onNotification: (notification: CacheNotification) => void;
  /** The channel went down or came back: whatever was cached may have missed notifications. */
  onReset: () => void;
};

type ListenClient = {
  connect: () => Promise<unknown>;
  query: (text: string) => Promise<unknown>;
  end: () => Promise<void>;
  on: (event: string, listener: (...args: never[]) => void) => unknown;
};

function listenClient(url: string): ListenClient {
  const options = { connectionString: url, application_name: listenerApplicationName, connectionTimeoutMillis: env().DATABASE_CONNECT_TIMEOUT_MS };
  if (env().DATABASE_DRIVER === "neon" || isNeonHost(url)) {
    configureNeon();
    return new NeonClient(options) as unknown as ListenClient;
  }
  return new pg.Client(options) as unknown as ListenClient;
}

export type NotificationChannel = {
  /** True while this instance is listening: only then can a cache trust that it hears every change. */
  isUp: () => boolean;
  /** Counts the channel's resets, so a read that began before one knows not to cache its result. */
  epoch: () => number;
  subscribe: (subscriber: Subscriber) => void;
  close: () => Promise<void>;
};

/**
 * Listens on `url` until closed, reconnecting with backoff. The embedded PGlite is one session behind its
 * socket, which a connection parked on LISTEN would hold for good: there the channel stays down.
 */
export function startNotificationChannel(url: string | undefined): NotificationChannel {
  const subscribers: Subscriber[] = [];
  let up = false;
  let epoch = 0;
  let closed = false;
  let client: ListenClient | null = null;
  let failures = 0;
  let retry: ReturnType<typeof setTimeout> | null = null;

  const reset = () => {
    epoch += 1;
    for (const subscriber of subscribers) subscriber.onReset();
  };
  const down = () => {
    if (up) console.warn("[cache] notification channel lost; verify answers from the database until it is back");
    up = false;
    reset();
    const current = client;
    client = null;
    void current?.end().catch(() => undefined);
    if (closed || retry) return;
    failures += 1;
    retry = setTimeout(() => {
      retry = null;
      void connect();
    }, Math.min(maxReconnectDelayMs, 100 * 2 ** Math.min(failures, 6)));
    retry.unref?.();
  };
  const connect = async () => {
    if (!url || closed) return;
    const candidate = listenClient(url);
    client = candidate;
    candidate.on("error", () => down());
    candidate.on("end", () => {
      if (client === candidate) down();
    });
    candidate.on("notification", ((message: { channel: string; payload?: string }) => {
      if (message.channel !== cacheChannel || !message.payload) return;
      let notification: CacheNotification;
      try {
        notification = JSON.parse(message.payload) as CacheNotification;
      } catch {
        return;
      }
      for (const subscriber of subscribers) subscriber.onNotification(notification);
    }) as never);
    try {
      await candidate.connect();
      await candidate.query(`listen ${cacheChannel}`);
      if (client !== candidate || closed) return;
      failures = 0;
      // Anything cached before this moment may have missed a notification while nobody was listening.
      reset();
      up = true;
    } catch {
      if (client === candidate) down();
    }
  };
  if (url && !isEmbeddedDatabaseUrl(url)) void connect();
  return {
    isUp: () => up,
    epoch: () => epoch,
    subscribe: (subscriber) => subscribers.push(subscriber),
    close: async () => {
      closed = true;
      up = false;
      if (retry) clearTimeout(retry);
      const current = client;
      client = null;
      await current?.end().catch(() => undefined);
    },
  };
}

/** Splits balance changes into payloads under Postgres's limit. */
export function notificationPayloads(balances: Array<[string, number, number]>): string[] {
  const payloads: string[] = [];
  let current: Array<[string, number, number]> = [];
  let size = 16;
  for (const balance of balances) {
    const length = JSON.stringify(balance).length + 1;
    if (size + length > maxPayloadBytes && current.length > 0) {
      payloads.push(JSON.stringify({ balances: current }));
      current = [];
      size = 16;
    }
    current.push(balance);
    size += length;
  }
  if (current.length > 0) payloads.push(JSON.stringify({ balances: current }));
  return payloads;
}

type PublishState = { balances: Map<string, [string, number, number]>; scheduled: boolean };
const globalForPublish = globalThis as typeof globalThis & { __cachePublish?: PublishState };
const publishing = (globalForPublish.__cachePublish ??= { balances: new Map(), scheduled: false });

// Balance changes queued within this window go out in one NOTIFY. Per usage report, a NOTIFY would cost a
// statement and its commit takes Postgres's one notification-queue lock, which every notifying commit on
// the server queues behind; a balance that another instance learns of 50 ms later is still far fresher than
// its cache's own 10-second limit. Revocations are not sent from here: triggers notify them at their commit.
const publishWindowMs = 50;

/**
 * Queues committed balance changes for the other instances' caches; what is queued within one window goes
 * out together, a balance changed many times in it once (its newest version).
 */
export function publishBalances(balances: Array<[string, number, number]>, send: (payload: string) => Promise<unknown>) {
  for (const balance of balances) {
    const queued = publishing.balances.get(balance[0]);
    if (!queued || queued[2] < balance[2]) publishing.balances.set(balance[0], balance);
  }
  if (publishing.scheduled) return;
  publishing.scheduled = true;
  const timer = setTimeout(() => {
    publishing.scheduled = false;
    const payloads = notificationPayloads([...publishing.balances.values()]);
    publishing.balances.clear();
    for (const payload of payloads) {
      send(payload).catch((error: Error) => {
        // The other instances keep the balance they cached until its time-to-live ends (lib/keys/verify-cache.ts).
        console.error("[cache] could not notify the other instances:", error.message);
      });
    }
  }, publishWindowMs);
  // A queued notification must not keep a CLI process or a test worker alive.
  timer.unref?.();
}
