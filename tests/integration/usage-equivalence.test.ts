import { asc, eq, inArray } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, inject, it } from "vitest";
import { db } from "@/db/client";
import { apiKeys, organizations, usageEvents } from "@/db/schema";
import { getBalance, sumLedger } from "@/lib/credits";
import { createApiKey, generateApiKey, revokeApiKey } from "@/lib/keys";
import { serviceErrors, type ServiceErrorCode } from "@/lib/service-api/errors";
import { createTestOrganization } from "../helpers/organizations";
import { rollupsAndEventSums } from "../helpers/usage";

process.env.USAGE_SERVICE_TOKENS = "equivalence-test-token";
const { POST: singleRoute } = await import("@/app/api/usage/route");
const { POST: batchRoute } = await import("@/app/api/usage/batch/route");

/**
 * SPEC section 2: a batch event "succeeds or fails on its own, exactly as the single route would answer it".
 * lib/credits/usage-batch.ts decides in TypeScript what the single statement of usage-deduction.ts decides in
 * SQL, so one random history goes through both on twin organizations (same balances, same key states) and
 * everything a client or an auditor can see must come out equal. `USAGE_EQUIVALENCE_SEED` replays a failure.
 */

type KeyState = "active" | "revoked" | "expired";
type World = Array<{ balance: number; disabled: boolean; keys: KeyState[] }>;
type KeyRef = { kind: "key"; org: number; key: number } | { kind: "unknown" };
type Body = { requestId: string; credits: number; endpoint?: string; metadata?: Record<string, unknown>; occurredAt?: string };
type Step =
  | { kind: "report"; key: KeyRef; body: Body }
  | { kind: "repeat"; of: number; credits?: number }
  | { kind: "revoke"; org: number; key: number };
type Twin = { organizationIds: string[]; keys: Array<Array<{ id: string; key: string }>> };

// Explicit times, two of them the same instant written with another offset (the same body for the hash).
const instants = ["2026-01-02T03:04:05.678Z", "2026-01-02T05:04:05.678+02:00", "2025-06-01T00:00:00Z"];
const normalisedInstants = new Set(instants.map((instant) => new Date(instant).toISOString()));

const worldArbitrary: fc.Arbitrary<World> = fc.array(
  fc.record({
    balance: fc.integer({ min: 0, max: 300 }),
    disabled: fc.boolean(),
    // The first key is active; the others may be revoked or expired from the start.
    keys: fc
      .array(fc.constantFrom<KeyState>("active", "revoked", "expired"), { maxLength: 2 })
      .map((others): KeyState[] => ["active", ...others]),
  }),
  { minLength: 1, maxLength: 3 },
);

const bodyArbitrary: fc.Arbitrary<Body> = fc.record(
  {
    // Few enough requestIds per key that some reports reuse one with another body.
    requestId: fc.oneof({ weight: 30, arbitrary: fc.integer({ min: 1, max: 20 }).map((n) => `r${n}`) }, { weight: 1, arbitrary: fc.constant("") }),
    credits: fc.oneof({ weight: 30, arbitrary: fc.integer({ min: 1, max: 45 }) }, { weight: 1, arbitrary: fc.constant(0) }),
    endpoint: fc.constantFrom("/v1/query", "/v1/export"),
    // Two spellings of one object (key order) and its variants.
    metadata: fc.constantFrom<Record<string, unknown>>({ a: 1, b: "x" }, { b: "x", a: 1 }, { a: 2 }, { nested: { list: [1, "two", null] } }),
    occurredAt: fc.constantFrom(...instants),
  },
  { requiredKeys: ["requestId", "credits"] },
);

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 30,
    arbitrary: fc.record({
      kind: fc.constant("report" as const),
      key: fc.oneof(
        { weight: 8, arbitrary: fc.record({ kind: fc.constant("key" as const), org: fc.nat(), key: fc.nat() }) },
        { weight: 1, arbitrary: fc.constant({ kind: "unknown" as const }) },
      ),
      body: bodyArbitrary,
    }),
  },
  // The same report again (a retry), or its requestId with other credits (a conflict).
  { weight: 12, arbitrary: fc.record({ kind: fc.constant("repeat" as const), of: fc.nat(), credits: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 45 }) }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("revoke" as const), org: fc.nat(), key: fc.nat() }) },
);

/** Steps with every index resolved: a repeat names an earlier report, a key names one that exists. */
function resolve(world: World, steps: Step[]) {
  const reports: Array<{ key: KeyRef; body: Body }> = [];
  const resolved: Array<{ kind: "report"; key: KeyRef; body: Body } | { kind: "revoke"; org: number; key: number }> = [];
  for (const step of steps) {
    if (step.kind === "revoke") {
      const org = step.org % world.length;
      resolved.push({ kind: "revoke", org, key: step.key % world[org]!.keys.length });
      continue;
    }
    let report: { key: KeyRef; body: Body };
    if (step.kind === "repeat") {
      if (reports.length === 0) continue;
      // One of the last few reports, so that a repeat often falls in its original's batch.
      const original = reports[reports.length - 1 - (step.of % Math.min(3, reports.length))]!;
      report = { key: original.key, body: step.credits === undefined ? original.body : { ...original.body, credits: step.credits } };
    } else if (step.key.kind === "key") {
      const org = step.key.org % world.length;
      report = { key: { kind: "key", org, key: step.key.key % world[org]!.keys.length }, body: step.body };
    } else {
      report = step;
    }
    reports.push(report);
    resolved.push({ kind: "report", ...report });
  }
  return resolved;
}

async function createTwin(world: World): Promise<Twin> {
  const twin: Twin = { organizationIds: [], keys: [] };
  for (const spec of world) {
    const organization = await createTestOrganization(spec.balance);
    const keys = [];
    for (const [index, state] of spec.keys.entries()) {
      const { apiKey, key } = await createApiKey({ organizationId: organization.id, createdByUserId: null, name: `key ${index}`, scopes: ["query"] });
      if (state === "revoked") await revokeApiKey({ organizationId: organization.id, keyId: apiKey.id, actorUserId: null });
      if (state === "expired") await db.update(apiKeys).set({ expiresAt: new Date(Date.now() - 60_000) }).where(eq(apiKeys.id, apiKey.id));
      keys.push({ id: apiKey.id, key });
    }
    if (spec.disabled) await db.update(organizations).set({ disabledAt: new Date() }).where(eq(organizations.id, organization.id));
    twin.organizationIds.push(organization.id);
    twin.keys.push(keys);
  }
  return twin;
}

async function post(route: (request: Request) => Promise<Response>, body: unknown) {
  const response = await route(
    new Request("http://portal.test/api/usage", {
      method: "POST",
      headers: { authorization: "Bearer equivalence-test-token", "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const unknownKey = generateApiKey().key;
const eventFor = (twin: Twin, key: KeyRef, body: Body) => ({ apiKey: key.kind === "key" ? twin.keys[key.org]![key.key]!.key : unknownKey, ...body });
const revoke = (twin: Twin, org: number, key: number) =>
  revokeApiKey({ organizationId: twin.organizationIds[org]!, keyId: twin.keys[org]![key]!.id, actorUserId: null });

/**
 * The answers as a client compares them, with a status for every one (a batch result's is its error code's).
 * Usage ids become their order of first appearance, so a duplicate must name the same usage on both sides;
 * `usageDateTime` is compared when the report gave `occurredAt` (otherwise it is the time it was received).
 */
function comparable(answers: Array<{ status: number; body: Record<string, unknown> }>, bodies: Body[]) {
  const ids = new Map<unknown, number>();
  return answers.map(({ status, body: { index: _index, usageId, usageDateTime, ...rest } }, position) => {
    if (usageId !== undefined && !ids.has(usageId)) ids.set(usageId, ids.size);
    return {
      status,
      ...rest,
      ...(usageId === undefined ? {} : { usage: ids.get(usageId) }),
      ...(bodies[position]!.occurredAt === undefined ? {} : { usageDateTime }),
    };
  });
}

/** Balances, ledger sums and usage rows of a twin, with keys named by their position in the world. */
async function recorded(twin: Twin) {
  const position = new Map(twin.keys.flatMap((keys, org) => keys.map((key, index) => [key.id, `${org}.${index}`] as const)));
  const rows = await db
    .select()
    .from(usageEvents)
    .where(inArray(usageEvents.organizationId, twin.organizationIds))
    .orderBy(asc(usageEvents.apiKeyId), asc(usageEvents.requestId));
  const organizationIndex = new Map(twin.organizationIds.map((id, index) => [id, index]));
  return {
    balances: await Promise.all(twin.organizationIds.map((id) => getBalance(id))),
    ledgerSums: await Promise.all(twin.organizationIds.map((id) => sumLedger(id))),
    rowCounts: twin.organizationIds.map((id) => rows.filter((row) => row.organizationId === id).length),
    rollupsExact: await Promise.all(
      twin.organizationIds.map(async (id) => {
        const { rollups, eventSums } = await rollupsAndEventSums(id);
        return JSON.stringify(rollups) === JSON.stringify(eventSums);
      }),
    ),
    rows: rows
      .map((row) => ({
        organization: organizationIndex.get(row.organizationId),
        key: position.get(row.apiKeyId),
        requestId: row.requestId,
        credits: row.credits,
        endpoint: row.endpoint,
        metadata: row.metadata,
        bodyHash: row.bodyHash,
        balanceAfter: row.balanceAfter,
        occurredAt: normalisedInstants.has(row.occurredAt.toISOString()) ? row.occurredAt.toISOString() : "when received",
      }))
      .sort((x, y) => `${x.key}\u0000${x.requestId}`.localeCompare(`${y.key}\u0000${y.requestId}`)),
  };
}

const seed = process.env.USAGE_EQUIVALENCE_SEED ? Number(process.env.USAGE_EQUIVALENCE_SEED) : undefined;
// Through the Neon driver each report costs a WebSocket round trip more: fewer histories there, the same
// decisions (lib/credits) having been explored on pg.
const numRuns = inject("databaseKind") === "neon" ? 10 : 25;

/** What kind of answer each report got, with a batch's duplicates told apart by where their original was. */
function kinds(answers: Array<{ status: number; body: Record<string, unknown> }>, batchOf: number[]) {
  const firstBatch = new Map<unknown, number>();
  return answers.map(({ body }, position) => {
    if (!body.success) return body.error as string;
    if (!body.duplicate) {
      firstBatch.set(body.usageId, batchOf[position]!);
      return "applied";
    }
    return firstBatch.get(body.usageId) === batchOf[position] ? "duplicate in its batch" : "duplicate of an earlier batch";
  });
}

// A history written out, run before the random ones, that reaches every kind of answer at least once.
const report = (org: number, key: number, body: Body): Step => ({ kind: "report", key: { kind: "key", org, key }, body });
const example: [World, Step[], boolean[]] = [
  [
    { balance: 100, disabled: false, keys: ["active", "revoked", "expired"] },
    { balance: 10, disabled: true, keys: ["active"] },
  ],
  [
    report(0, 0, { requestId: "r1", credits: 30, metadata: { a: 1, b: "x" }, occurredAt: instants[0] }), // applied, 70 left
    report(1, 0, { requestId: "r1", credits: 8, endpoint: "/v1/query" }), // applied, 2 left
    report(0, 0, { requestId: "r5", credits: 5 }), // applied, 65 left
    report(0, 0, { requestId: "r1", credits: 30, metadata: { b: "x", a: 1 }, occurredAt: instants[1] }), // the same body: duplicate, 70
    report(0, 0, { requestId: "r2", credits: 80 }), // insufficient_credits, 65
    report(0, 1, { requestId: "r9", credits: 1 }), // revoked_api_key
    report(0, 2, { requestId: "r9", credits: 1 }), // expired_api_key
    { kind: "report", key: { kind: "unknown" }, body: { requestId: "r1", credits: 1 } }, // invalid_api_key
    report(0, 0, { requestId: "r1", credits: 31 }), // idempotency_conflict
    report(0, 0, { requestId: "", credits: 1 }), // invalid_request; the first batch ends here
    report(0, 0, { requestId: "r1", credits: 30, metadata: { a: 1, b: "x" }, occurredAt: instants[0] }), // duplicate of the first batch
    { kind: "revoke", org: 0, key: 0 },
    { kind: "repeat", of: 0 }, // that report again after the revocation: still its duplicate
    report(0, 0, { requestId: "r3", credits: 1 }), // revoked_api_key
    report(1, 0, { requestId: "r2", credits: 2 }), // applied, 0 left
    report(1, 0, { requestId: "r3", credits: 1 }), // insufficient_credits, 0
  ],
  Array.from({ length: 40 }, (_, index) => index === 9),
];

describe("the single and batch usage routes", () => {
  it("answer one random history alike, event by event, and record the same balances, ledger sums and usage rows", async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        worldArbitrary,
        fc.array(stepArbitrary, { minLength: 1, maxLength: 40, size: "max" }),
        // Where the batch side ends a batch (about one event in six): later batches find the earlier ones'
        // reports in the database, and a batch's own repeats are decided in memory.
        fc.array(fc.integer({ min: 0, max: 5 }).map((draw) => draw === 0), { minLength: 40, maxLength: 40 }),
        async (world, steps, cuts) => {
          const history = resolve(world, steps);
          const [single, batched] = [await createTwin(world), await createTwin(world)];
          const bodies = history.flatMap((step) => (step.kind === "report" ? [step.body] : []));

          const singleAnswers = [];
          for (const step of history) {
            if (step.kind === "revoke") await revoke(single, step.org, step.key);
            else singleAnswers.push(await post(singleRoute, eventFor(single, step.key, step.body)));
          }

          const batchAnswers: Array<{ status: number; body: Record<string, unknown> }> = [];
          const batchOf: number[] = [];
          let pending: Array<ReturnType<typeof eventFor>> = [];
          let batches = 0;
          const send = async () => {
            if (pending.length === 0) return;
            const answer = await post(batchRoute, { events: pending });
            expect(answer.status).toBe(200);
            const results = answer.body.results as Array<Record<string, unknown>>;
            expect(results.map((result) => result.index)).toEqual(pending.map((_, index) => index));
            for (const result of results) {
              batchAnswers.push({ status: result.success ? 200 : serviceErrors[result.error as ServiceErrorCode], body: result });
              batchOf.push(batches);
            }
            batches += 1;
            pending = [];
          };
          for (const [index, step] of history.entries()) {
            if (step.kind === "revoke") {
              // A revocation falls between batches, where it fell between single reports.
              await send();
              await revoke(batched, step.org, step.key);
              continue;
            }
            pending.push(eventFor(batched, step.key, step.body));
            if (cuts[index]) await send();
          }
          await send();

          expect(comparable(batchAnswers, bodies)).toEqual(comparable(singleAnswers, bodies));
          const [batchedRecord, singleRecord] = [await recorded(batched), await recorded(single)];
          expect(batchedRecord).toEqual(singleRecord);
          expect(singleRecord.rollupsExact.every(Boolean), "the daily rollups equal the sums of the usage events").toBe(true);
          for (const kind of kinds(batchAnswers, batchOf)) seen.add(kind);
        },
      ),
      { numRuns, examples: [example], interruptAfterTimeLimit: 30_000, markInterruptAsFailure: true, ...(seed === undefined ? {} : { seed }) },
    );
    // The histories (the written one at least) reached every answer the two implementations could disagree on.
    expect([...seen].sort()).toEqual(
      [
        "applied", "duplicate in its batch", "duplicate of an earlier batch", "expired_api_key", "idempotency_conflict",
        "insufficient_credits", "invalid_api_key", "invalid_request", "revoked_api_key",
      ],
    );
  });
});
