import { and, eq, sql } from "drizzle-orm";
import { expect, test } from "@playwright/test";
import { Redis as UpstashRedis } from "@upstash/redis";
import Redis from "ioredis";
import { db, queryRows } from "@/db/client";
import { emailOutbox } from "@/db/schema";
import { createUpstashStore, flushMirror, setCacheStore } from "@/lib/cache";
import { listenerApplicationName } from "@/lib/cache/notifications";
import { hashApiKey } from "@/lib/keys/format";
import { startInstance, type Instance } from "../support/instances";
import { serviceHeaders, serviceTestKit } from "../support/service-api";

/**
 * Two more `next start` instances from the stack's build, on its database and Redis prefix, with a low
 * per-token limit. The load alternates between them: what one instance does, the other must see.
 */

const limit = 40;
// Known to these two instances only. The stack's own instance serves the other specs with e2e-service-token
// under its limit of 2000, leasing 100 requests of a window at a time: one such lease alone would spend a
// whole window of 40 and make this count meaningless.
const limitToken = "e2e-multi-instance-token";
// The other specs' token is spent by the stack's instance, in leases of 100, from the same Redis window: on
// these instances it could be refused at any moment. The specs here use a token of their own.
const instancesToken = "e2e-multi-instance-own-token";

type Sent = { instance: number; status: number; body: Record<string, unknown>; startedAt: number; endedAt: number };

let kit: Awaited<ReturnType<typeof serviceTestKit>>;
let instances: Instance[] = [];
let redis: Redis;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Resolves at the start of the next second-aligned window (timers may fire a little before Date.now() says). */
async function untilNextSecond() {
  const boundary = Math.floor(Date.now() / 1000) * 1000 + 1000;
  while (Date.now() < boundary) await sleep(boundary - Date.now());
  return boundary;
}

async function post(instance: number, path: string, data: unknown, token = instancesToken): Promise<Sent> {
  const startedAt = Date.now();
  const response = await fetch(`${instances[instance]!.url}${path}`, { method: "POST", headers: serviceHeaders(token), body: JSON.stringify(data) });
  const body = (await response.json()) as Record<string, unknown>;
  return { instance, status: response.status, body, startedAt, endedAt: Date.now() };
}

/** Sends `count` requests from `concurrency` clients, request n to instance n % 2; a 429 waits for the next window. */
async function alternate(count: number, concurrency: number, send: (n: number, instance: number) => Promise<Sent>) {
  const answers: Sent[] = [];
  let next = 0;
  const client = async () => {
    for (let n = next++; n < count; n = next++) {
      let sent = await send(n, n % 2);
      while (sent.status === 429) {
        await untilNextSecond();
        sent = await send(n, n % 2);
      }
      answers.push(sent);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return answers;
}

const report = (apiKey: string, requestId: string, credits: number) => (n: number, instance: number) =>
  post(instance, "/api/usage", { apiKey, requestId: `${requestId}-${n}`, credits });

test.beforeAll(async () => {
  kit = await serviceTestKit();
  const { stackEnv } = kit;
  // This process creates and revokes keys through lib/, as the CLI would, so its mirror writes to the stack's Redis too.
  const upstash = new UpstashRedis({
    url: stackEnv.UPSTASH_REDIS_REST_URL!,
    token: stackEnv.UPSTASH_REDIS_REST_TOKEN!,
    retry: false,
    automaticDeserialization: false,
    enableTelemetry: false,
  });
  setCacheStore(createUpstashStore(upstash));
  redis = new Redis("redis://127.0.0.1:6379");
  const overrides = { SERVICE_RATE_LIMIT_PER_SECOND: String(limit), USAGE_SERVICE_TOKENS: `${limitToken},${instancesToken}` };
  instances = await Promise.all([startInstance(overrides), startInstance(overrides)]);
});

test.afterAll(async () => {
  const exits = await Promise.all(instances.map((instance) => instance.stop()));
  setCacheStore(undefined);
  redis?.disconnect();
  for (const exit of exits) expect(exit.code).toBe(143);
});

test("the per-token limit holds across both instances", async () => {
  const { key } = await kit.createOrganizationWithKey(10);
  // Loads the verify route in both before the measured windows begin.
  for (const instance of [0, 1]) expect((await post(instance, "/api/keys/verify", { apiKey: key }, limitToken)).status).toBe(200);

  const answers: Sent[] = [];
  // A request counts in the window of the moment the portal spent it, somewhere between its start and its
  // end: those that began and ended inside a window certainly count in it.
  const inside = (window: number) => answers.filter((answer) => answer.startedAt >= window && answer.endedAt < window + 1000);
  // Loaded: enough was offered to both that two limits of their own would have accepted more than the shared one.
  const loaded = (window: number) => {
    const offered = [0, 1].map((instance) => inside(window).filter((answer) => answer.instance === instance).length);
    return Math.min(offered[0]!, limit) + Math.min(offered[1]!, limit) > limit;
  };
  const firstWindow = await untilNextSecond();
  const windows: number[] = [];
  let stop = false;
  // Windows go on (up to 8) until two were loaded, however slow the machine is today.
  const monitor = (async () => {
    for (let window = firstWindow; windows.filter(loaded).length < 2 && window < firstWindow + 8000; window += 1000) {
      while (Date.now() < window + 1000) await sleep(window + 1000 - Date.now());
      windows.push(window);
    }
    stop = true;
  })();
  let next = 0;
  const client = async () => {
    while (!stop) {
      const n = next++;
      answers.push(await post(n % 2, "/api/keys/verify", { apiKey: key }, limitToken));
    }
  };
  await Promise.all([monitor, ...Array.from({ length: 16 }, client)]);

  expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([200, 429]));
  for (const window of windows) {
    const accepted = inside(window).filter((answer) => answer.status === 200);
    test.info().annotations.push({
      type: `window ${(window - firstWindow) / 1000}`,
      description: `${inside(window).length} requests began and ended in it${loaded(window) ? " (loaded)" : ""}, ${accepted.length} accepted`,
    });
    expect(accepted.length).toBeLessThanOrEqual(limit);
    if (loaded(window)) expect(accepted.length).toBeGreaterThan(0);
  }
  expect(windows.some(loaded)).toBe(true);
  // Both shared the window, and the refusals carry the SPEC's code.
  for (const instance of [0, 1]) expect(answers.some((answer) => answer.instance === instance && answer.status === 200)).toBe(true);
  expect(answers.find((answer) => answer.status === 429)?.body).toMatchObject({ success: false, error: "rate_limited" });
});

test("a low-credit alert fires once when reports on both instances cross the threshold", async () => {
  // 250 credits, the default threshold of 100: 25 reports of 8 credits cross it once and stop at 50.
  const { key, organization, admin } = await kit.createOrganizationWithKey(250);
  const answers = await alternate(25, 8, report(key, "alert", 8));
  expect(answers.map((answer) => answer.status)).toEqual(Array(25).fill(200));
  expect(new Set(answers.map((answer) => answer.instance))).toEqual(new Set([0, 1]));
  expect(await kit.credits.getBalance(organization.id)).toBe(50);

  const alerts = () =>
    db.$count(emailOutbox, and(eq(emailOutbox.toAddress, admin.email), eq(emailOutbox.template, "low-credits")));
  await expect.poll(alerts, { timeout: 10_000 }).toBe(1);
  // The gate holds after the follow-ups of every report have run, not only at the first look.
  await sleep(1500);
  expect(await alerts()).toBe(1);
});

test("both mirrors converge on Postgres, and a key revoked through lib/ is refused by both instances", async () => {
  const { key, apiKey, organization } = await kit.createOrganizationWithKey(1000);
  const prefix = kit.stackEnv.REDIS_PREFIX!;
  const keyEntry = `${prefix}key:${hashApiKey(key)}`;
  const creditsEntry = `${prefix}org:${organization.id}:credits`;
  await flushMirror();
  expect(await redis.hget(keyEntry, "status")).toBe("active");

  const answers = await alternate(90, 8, (n, instance) => post(instance, "/api/usage", { apiKey: key, requestId: `mirror-${n}`, credits: 1 + (n % 3) }));
  expect(answers.every((answer) => answer.status === 200)).toBe(true);
  const balance = await kit.credits.getBalance(organization.id);
  expect(balance).toBe(1000 - 90 * 2);
  expect(await kit.credits.sumLedger(organization.id)).toBe(balance);
  // Each instance mirrored its own reports; the newest ledger entry wins whichever instance wrote last.
  await expect.poll(() => redis.get(creditsEntry), { timeout: 5_000 }).toBe(String(balance));

  await kit.keys.revokeApiKey({ organizationId: organization.id, keyId: apiKey.id, actorUserId: null });
  await flushMirror();
  expect(await redis.hget(keyEntry, "status")).toBe("revoked");
  // The 90 reports may have spent this window of 40: the answers below come from a fresh one.
  await untilNextSecond();
  for (const instance of [0, 1]) {
    // Verify answers from each instance's memory, told of the revocation through Postgres within a second.
    await expect.poll(async () => (await post(instance, "/api/keys/verify", { apiKey: key })).body, { timeout: 1_000 }).toEqual({ valid: false, code: "REVOKED" });
    const refused = await post(instance, "/api/usage", { apiKey: key, requestId: `after-revoke-${instance}`, credits: 1 });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ success: false, error: "revoked_api_key" });
  }
  expect(await kit.credits.getBalance(organization.id)).toBe(balance);
  expect(await redis.get(creditsEntry)).toBe(String(balance));
});

/** How long, from `since`, until verify answers REVOKED on the instance; fails after a second. */
async function revokedWithinASecond(instance: number, key: string, since: number) {
  await expect
    .poll(async () => (await post(instance, "/api/keys/verify", { apiKey: key })).body.code, { timeout: 1_000, intervals: [10] })
    .toBe("REVOKED");
  return Date.now() - since;
}

test("verify answers from memory, and a key revoked on one instance is refused by the other within a second, also after the notification connection was cut", async () => {
  for (const round of ["listening", "after a cut"]) {
    const { key, apiKey, organization } = await kit.createOrganizationWithKey(100);
    // The test before this one may have spent the token's window of 40; a fresh window leaves this test's few
    // requests far under it, so no answer here is a 429.
    await untilNextSecond();
    // Both instances cache the key: their next answers come from memory.
    for (const instance of [0, 1]) expect((await post(instance, "/api/keys/verify", { apiKey: key })).body).toMatchObject({ valid: true });
    if (round === "after a cut") {
      const listeners = () =>
        queryRows<{ count: number }>(db, sql`select count(*)::int as count from pg_stat_activity
          where application_name = ${listenerApplicationName} and datname = current_database()`).then((rows) => rows[0]!.count);
      const before = await listeners();
      expect(before).toBeGreaterThanOrEqual(2);
      await db.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${listenerApplicationName} and datname = current_database()`);
      // While the channel is down the instances answer from the database; they listen again within seconds.
      await expect.poll(listeners, { timeout: 15_000 }).toBeGreaterThanOrEqual(before);
      await untilNextSecond();
      for (const instance of [0, 1]) expect((await post(instance, "/api/keys/verify", { apiKey: key })).body).toMatchObject({ valid: true });
    }
    const revokedAt = Date.now();
    await kit.keys.revokeApiKey({ organizationId: organization.id, keyId: apiKey.id, actorUserId: null });
    for (const instance of [0, 1]) {
      const elapsed = await revokedWithinASecond(instance, key, revokedAt);
      test.info().annotations.push({ type: `instance ${instance}, ${round}`, description: `REVOKED after ${elapsed} ms` });
    }
  }
});
