import { randomUUID } from "node:crypto";
import { connect } from "node:net";
import { eq, sql } from "drizzle-orm";
import { expect, test } from "@playwright/test";
import Redis from "ioredis";
import { db, queryRows } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { startInstance, type Instance } from "../support/instances";
import { serviceHeaders, serviceTestKit } from "../support/service-api";

/**
 * SIGTERM in the middle of a load of usage reports (lib/shutdown.ts): the instance finishes the requests in
 * flight, refuses new ones, flushes the Redis mirror and the lastUsedAt batch, closes its pools and exits.
 * Nothing it acknowledged may be missing, doubled or missing from Redis.
 */

const clients = 8;
const deadlineMs = 15_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let instance: Instance | undefined;
test.afterEach(async () => {
  await instance?.stop();
});

type Load = { acknowledged: Map<string, number>; unacknowledged: Set<string>; statuses: Map<number, number> };

/** One report; null when no complete answer came back (refused, reset, or cut off in the middle of its body). */
async function send(target: Instance, body: Record<string, unknown>) {
  try {
    const response = await fetch(`${target.url}/api/usage`, { method: "POST", headers: serviceHeaders(), body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as { success?: boolean } };
  } catch {
    return null;
  }
}

/** One client: reports with unique requestIds until the instance stops answering; a failed attempt is retried twice. */
async function reportUntilRefused(target: Instance, apiKey: string, client: string, load: Load) {
  for (let n = 0; n < 5_000; n++) {
    const requestId = `${client}-${n}`;
    const credits = 1 + (n % 3);
    let answer = await send(target, { apiKey, requestId, credits });
    for (let retry = 0; retry < 2 && !answer; retry++) {
      await sleep(50);
      answer = await send(target, { apiKey, requestId, credits });
    }
    if (!answer) {
      // Never answered: it may or may not have been recorded, and the data API would retry it elsewhere.
      load.unacknowledged.add(requestId);
      return;
    }
    load.statuses.set(answer.status, (load.statuses.get(answer.status) ?? 0) + 1);
    if (answer.status === 200 && answer.body.success) load.acknowledged.set(requestId, credits);
  }
}

/**
 * A readiness check already on the wire when the signal comes: its headers are sent in two halves around
 * it, so the connection is busy (not closed as idle) and the route runs while the instance drains.
 */
async function healthAcrossSignal(target: Instance, sendSignal: () => void) {
  const socket = connect(Number(new URL(target.url).port), "127.0.0.1");
  let reply = "";
  socket.on("data", (chunk) => (reply += chunk.toString()));
  // A reset shows as an empty or partial reply, which the assertions report.
  socket.on("error", () => undefined);
  const closed = new Promise((resolve) => socket.once("close", resolve));
  await new Promise((resolve) => socket.once("connect", resolve));
  socket.write("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  await sleep(100);
  sendSignal();
  await sleep(100);
  socket.write("\r\n");
  await closed;
  return reply;
}

test("SIGTERM mid-load: nothing acknowledged is lost or charged twice, and Redis equals Postgres without a resync", async () => {
  const kit = await serviceTestKit();
  const opening = 1_000_000;
  const { key, apiKey, organization, admin } = await kit.createOrganizationWithKey(opening);
  // Used once, right before the signal: only the shutdown's flush can write its lastUsedAt in time.
  const last = await kit.keys.createApiKey({ organizationId: organization.id, createdByUserId: admin.id, name: "last use", scopes: ["query"] });
  const target = (instance = await startInstance());
  const load: Load = { acknowledged: new Map(), unacknowledged: new Set(), statuses: new Map() };
  const run = randomUUID().slice(0, 8);

  const clientsDone = Promise.all(Array.from({ length: clients }, (_, client) => reportUntilRefused(target, key, `${run}-${client}`, load)));
  await expect.poll(() => load.acknowledged.size, { timeout: 20_000, intervals: [50] }).toBeGreaterThanOrEqual(300);
  const usedAt = Date.now();
  const verify = await fetch(`${target.url}/api/keys/verify`, { method: "POST", headers: serviceHeaders(), body: JSON.stringify({ apiKey: last.key }) });
  expect(await verify.json()).toMatchObject({ valid: true });

  let signalledAt = 0;
  const health = await healthAcrossSignal(target, () => {
    signalledAt = Date.now();
    target.signal("SIGTERM");
  });
  const exit = await Promise.race([target.exited, sleep(deadlineMs + 5_000).then(() => target.stop())]);
  await clientsDone;
  test.info().annotations.push({
    type: "load",
    description: `${load.acknowledged.size} acknowledged, ${load.unacknowledged.size} unanswered, exit ${exit.code} after ${exit.at - signalledAt} ms`,
  });

  // Drained: readiness said so, the process ended with Next's code for SIGTERM, well within the deadline.
  expect(health).toMatch(/^HTTP\/1\.1 503 /);
  expect(health).toMatch(/\r\nconnection: close\r\n/i);
  expect(health).toContain('{"status":"draining"}');
  expect([143, 0]).toContain(exit.code);
  expect(exit.at - signalledAt).toBeLessThan(deadlineMs);
  expect(target.output()).toContain("[shutdown] done");
  // Every answer was a success: no request in flight saw its database or Redis closed under it.
  expect([...load.statuses.keys()]).toEqual([200]);
  expect(load.unacknowledged.size).toBeLessThanOrEqual(clients);

  // Every acknowledged report is recorded exactly once, with its credits, and charged exactly once: a report
  // charged alone has its own ledger row, reports grouped into one statement share one row per organization
  // (lib/credits/usage-group.ts), so the usage rows of the ledger add up to exactly the recorded events.
  const events = await queryRows<{ request_id: string; credits: number }>(db, sql`
    select u.request_id, u.credits from usage_events u where u.api_key_id = ${apiKey.id}`);
  const recorded = new Map(events.map((event) => [event.request_id, event]));
  expect(recorded.size).toBe(events.length);
  for (const [requestId, credits] of load.acknowledged) {
    expect(recorded.get(requestId), requestId).toMatchObject({ credits });
  }
  // Beyond those, only reports that were never answered may have been recorded.
  for (const requestId of recorded.keys()) expect(load.acknowledged.has(requestId) || load.unacknowledged.has(requestId)).toBe(true);
  const [charged] = await queryRows<{ credits: string }>(db, sql`
    select coalesce(-sum(delta), 0)::text as credits from credit_ledger where organization_id = ${organization.id} and reason = 'usage'`);
  expect(Number(charged!.credits)).toBe(events.reduce((sum, event) => sum + event.credits, 0));

  const balance = await kit.credits.getBalance(organization.id);
  expect(balance).toBe(opening - events.reduce((sum, event) => sum + event.credits, 0));
  expect(await kit.credits.sumLedger(organization.id)).toBe(balance);

  // The instance is gone and nothing resynced: what Redis holds is what the instance mirrored before exiting.
  const redis = new Redis("redis://127.0.0.1:6379");
  try {
    expect(await redis.get(`${kit.stackEnv.REDIS_PREFIX}org:${organization.id}:credits`)).toBe(String(balance));
  } finally {
    redis.disconnect();
  }

  const lastUsed = await db.select({ id: apiKeys.id, lastUsedAt: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.organizationId, organization.id));
  const lastUsedOf = (id: string) => lastUsed.find((row) => row.id === id)?.lastUsedAt;
  expect(lastUsedOf(apiKey.id)).toBeInstanceOf(Date);
  expect(lastUsedOf(last.apiKey.id), "lastUsedAt of the key used right before the signal").toBeInstanceOf(Date);
  expect(lastUsedOf(last.apiKey.id)!.getTime()).toBeGreaterThanOrEqual(usedAt - 1000);
});
