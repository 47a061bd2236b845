import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll } from "vitest";
import { db, queryRows } from "@/db/client";
import { users } from "@/db/schema";
import { createUpstashStore, getCacheStore, setCacheStore, type MirrorWrite } from "@/lib/cache";
import { createApiKey } from "@/lib/keys";
import { deductForUsage } from "@/lib/credits";
import { answerFor, parseUsageReport } from "@/lib/usage/report";
import { startUsageWorkers } from "@/lib/usage/workers";
import { startUpstashRestServer } from "../fakes/upstash-rest-server";
import { createTestOrganization } from "./organizations";

/** An organization with `balance` credits, one client admin and one API key with every scope. */
export async function createOrganizationWithKey(balance: number, keyOptions: { rateLimitPerMinute?: number; expiresAt?: Date } = {}) {
  const organization = await createTestOrganization(balance);
  const [admin] = await db
    .insert(users)
    .values({ email: `admin-${randomUUID()}@example.test`, role: "client_admin", organizationId: organization.id, emailVerified: new Date() })
    .returning();
  const { apiKey, key } = await createApiKey({
    organizationId: organization.id,
    createdByUserId: admin!.id,
    name: "test key",
    scopes: ["query", "public"],
    ...keyOptions,
  });
  return { organization, admin: admin!, apiKey, key };
}

/**
 * For one test file: before its tests, start the Upstash-REST server over the local redis-server, point the
 * mirror at it and start the usage workers (mirror and alert listeners); afterwards, stop it all.
 */
export function setUpRedisMirror() {
  const mirror = {} as { server: Awaited<ReturnType<typeof startUpstashRestServer>>; redis: Redis };
  beforeAll(async () => {
    mirror.server = await startUpstashRestServer();
    mirror.redis = new Redis({
      url: mirror.server.url,
      token: mirror.server.token,
      retry: false,
      automaticDeserialization: false,
      enableTelemetry: false,
    });
    setCacheStore(createUpstashStore(mirror.redis));
    startUsageWorkers({ sweep: false });
  });
  afterAll(async () => {
    setCacheStore(undefined);
    await mirror.server.close();
  });
  return mirror;
}

export async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("The condition did not hold in time");
}

/**
 * Wraps the mirror's store for one test: records every batch it applies, in order, and can hold the next
 * batch that writes a given Redis key until released, as a slow request of a resync or of another instance
 * would be held, while later writes go through.
 */
export function tapMirrorStore() {
  const real = getCacheStore();
  const applied: MirrorWrite[][] = [];
  let hold: { key: string; capture: (writes: MirrorWrite[]) => void; released: Promise<void> } | null = null;
  setCacheStore({
    ...real,
    async apply(writes) {
      const held = hold && writes.some((write) => write.key === hold!.key) ? hold : null;
      if (held) {
        hold = null;
        held.capture(writes);
        await held.released;
      }
      await real.apply(writes);
      applied.push(writes);
    },
  });
  return {
    applied,
    /** The writes to `key` in the batches applied so far, oldest first. */
    writesTo: (key: string) => applied.flat().filter((write) => write.key === key),
    /** Holds the next batch that writes `key`; `batch` resolves with it once it is held. */
    holdNext(key: string) {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const batch = new Promise<MirrorWrite[]>((capture) => (hold = { key, capture, released }));
      return { batch, release };
    },
    restore: () => setCacheStore(real),
  };
}

/**
 * The organization's daily rollups beside the same sums computed from its raw usage events, both sorted: a
 * test that expects the rollups exact asserts the two are equal.
 */
export async function rollupsAndEventSums(organizationId: string) {
  type Row = { day: string; api_key_id: string; endpoint: string; requests: string; credits: string };
  const rollups = await queryRows<Row>(db, sql`
    select day::text, api_key_id, endpoint, requests::text, credits::text from usage_daily
    where organization_id = ${organizationId} order by 1, 2, 3`);
  const eventSums = await queryRows<Row>(db, sql`
    select (occurred_at at time zone 'UTC')::date::text as day, api_key_id, coalesce(endpoint, '') as endpoint,
           count(*)::text as requests, sum(credits)::text as credits
    from usage_events where organization_id = ${organizationId} group by 1, 2, 3 order by 1, 2, 3`);
  return { rollups, eventSums };
}

/**
 * A report as another instance of the portal sends it: its own single statement, never grouped with this
 * process's reports (lib/credits/usage-group.ts). Races between instances meet at the database, and these
 * tests force them there.
 */
export async function reportUsageFromAnotherInstance(body: unknown) {
  const parsed = parseUsageReport(body);
  if ("answer" in parsed) return parsed.answer;
  return answerFor(await deductForUsage(parsed.deduction));
}
