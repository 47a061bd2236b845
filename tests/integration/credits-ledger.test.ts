import { randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditLog, creditLedger } from "@/db/schema";
import { withTransaction } from "@/db/transaction";
import { writeAudit } from "@/lib/audit";
import {
  adjustCredits,
  applyCreditMovement,
  deductCredits,
  getBalance,
  grantCredits,
  InsufficientCreditsError,
  onCreditsChanged,
  OrganizationNotFoundError,
  sumLedger,
  type CreditChange,
} from "@/lib/credits";
import { createTestOrganization } from "../helpers/organizations";
import { holdOrganizationRow, onServerDatabase } from "../helpers/row-lock";

async function ledgerOf(organizationId: string) {
  return db.select().from(creditLedger).where(eq(creditLedger.organizationId, organizationId)).orderBy(asc(creditLedger.id));
}

/** The credit changes the after-commit listeners hear for one organization, until `stop()`. */
function listenTo(organizationId: string) {
  const heard: CreditChange[] = [];
  const stop = onCreditsChanged(`test:${randomUUID()}`, (change) => {
    if (change.organizationId === organizationId) heard.push(change);
  });
  return { heard, stop };
}

async function auditRows(organizationId: string, action: string) {
  return db.select().from(auditLog).where(and(eq(auditLog.organizationId, organizationId), eq(auditLog.action, action)));
}

/** Replays the ledger in commit order: every step follows from the one before and none is negative. */
async function expectConsistentHistory(organizationId: string) {
  let running = 0;
  for (const entry of await ledgerOf(organizationId)) {
    running += entry.delta;
    expect(entry.balanceAfter).toBe(running);
    expect(entry.balanceAfter).toBeGreaterThanOrEqual(0);
  }
  expect(await getBalance(organizationId)).toBe(running);
  expect(await sumLedger(organizationId)).toBe(running);
}

describe("credit ledger", () => {
  it.skipIf(!onServerDatabase)("200 concurrent deductions of 7 from 1,000 succeed exactly 142 times and leave 6 (server database only: PGlite is one session)", async () => {
    const organization = await createTestOrganization(1_000);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 200 }, (_, index) =>
        deductCredits({ organizationId: organization.id, credits: 7, reference: `usage:${index}` }),
      ),
    );
    const succeeded = outcomes.filter((outcome) => outcome.status === "fulfilled");
    const refused = outcomes.filter((outcome) => outcome.status === "rejected");
    expect(succeeded).toHaveLength(142);
    expect(refused.every((outcome) => outcome.reason instanceof InsufficientCreditsError)).toBe(true);
    expect(await getBalance(organization.id)).toBe(6);
    await expectConsistentHistory(organization.id);
  });

  it.skipIf(!onServerDatabase)("applies one idempotency reference once, even 20 times concurrently (server database only: PGlite is one session)", async () => {
    const organization = await createTestOrganization(500);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        deductCredits({ organizationId: organization.id, credits: 30, reference: "charge:same" }),
      ),
    );
    expect(results.filter((result) => result.status === "applied")).toHaveLength(1);
    expect(results.filter((result) => result.status === "duplicate")).toHaveLength(19);
    expect(new Set(results.map((result) => result.balance))).toEqual(new Set([470]));
    expect(await getBalance(organization.id)).toBe(470);
    await expectConsistentHistory(organization.id);
  });

  it("refuses a deduction that would go below zero and changes nothing", async () => {
    const organization = await createTestOrganization(10);
    await expect(deductCredits({ organizationId: organization.id, credits: 11 })).rejects.toMatchObject({ balance: 10 });
    expect(await getBalance(organization.id)).toBe(10);
    expect(await ledgerOf(organization.id)).toHaveLength(1);
  });

  it("rejects unknown organizations and non-positive amounts", async () => {
    await expect(grantCredits({ organizationId: randomUUID(), credits: 5 })).rejects.toBeInstanceOf(OrganizationNotFoundError);
    const organization = await createTestOrganization(5);
    await expect(grantCredits({ organizationId: organization.id, credits: 0 })).rejects.toBeInstanceOf(RangeError);
    await expect(deductCredits({ organizationId: organization.id, credits: 1.5 })).rejects.toBeInstanceOf(RangeError);
    await expect(adjustCredits({ organizationId: organization.id, delta: 3, note: "  " })).rejects.toBeInstanceOf(RangeError);
    expect(await getBalance(organization.id)).toBe(5);
  });

  it("joins a caller's transaction: a rollback undoes the movement and tells no listener", async () => {
    const organization = await createTestOrganization(100);
    const heard: CreditChange[] = [];
    const stop = onCreditsChanged("test:rollback", (change) => {
      if (change.organizationId === organization.id) heard.push(change);
    });
    try {
      await expect(
        withTransaction(async (context) => {
          await grantCredits({ organizationId: organization.id, credits: 50, reason: "purchase" }, context);
          throw new Error("payment record failed");
        }),
      ).rejects.toThrow("payment record failed");
      expect(await getBalance(organization.id)).toBe(100);
      expect(heard).toEqual([]);

      await withTransaction((context) =>
        adjustCredits({ organizationId: organization.id, delta: -40, note: "goodwill correction" }, context),
      );
      expect(heard).toMatchObject([{ delta: -40, previousBalance: 100, balance: 60, reason: "adjustment" }]);
    } finally {
      stop();
    }
    await expectConsistentHistory(organization.id);
  });

  it("keeps balance = Σ ledger over random sequences of grants, deductions and adjustments", async () => {
    const operation = fc.oneof(
      fc.record({ kind: fc.constant("grant" as const), amount: fc.integer({ min: 1, max: 500 }) }),
      fc.record({ kind: fc.constant("deduct" as const), amount: fc.integer({ min: 1, max: 500 }) }),
      fc.record({ kind: fc.constant("adjust" as const), amount: fc.integer({ min: -500, max: 500 }).filter((n) => n !== 0) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 15 }), async (operations) => {
        const organization = await createTestOrganization(0);
        let expected = 0;
        for (const step of operations) {
          const delta = step.kind === "deduct" ? -step.amount : step.amount;
          const run =
            step.kind === "grant"
              ? grantCredits({ organizationId: organization.id, credits: step.amount })
              : step.kind === "deduct"
                ? deductCredits({ organizationId: organization.id, credits: step.amount })
                : adjustCredits({ organizationId: organization.id, delta: step.amount, note: "property test" });
          const allowed = expected + delta >= 0;
          if (allowed) {
            await run;
            expected += delta;
          } else {
            await expect(run).rejects.toBeInstanceOf(InsufficientCreditsError);
          }
        }
        expect(await getBalance(organization.id)).toBe(expected);
        expect(await sumLedger(organization.id)).toBe(expected);
      }),
      { numRuns: 25 },
    );
  });
  it("answers a replayed reference duplicate inside the caller's transaction, and that transaction commits", async () => {
    const organization = await createTestOrganization(100);
    const reference = `payment:${randomUUID()}`;
    const listener = listenTo(organization.id);
    // What a replayed payment does: the grant and the caller's own rows (its webhook event, its payment) in
    // one transaction. The duplicate must not abort it, or the replay could never be recorded.
    const fulfil = (attempt: string) =>
      withTransaction(async (context) => {
        const result = await applyCreditMovement({ organizationId: organization.id, delta: 50, reason: "purchase", reference }, context);
        await writeAudit({ action: "test.payment_fulfilled", organizationId: organization.id, targetType: "attempt", targetId: attempt }, context.tx);
        return result;
      });
    try {
      // On a server database both transactions first queue at the organization's row, so the second one
      // learns of the first's reference only after it committed: the replay that races its original.
      const lock = onServerDatabase ? await holdOrganizationRow(organization.id) : undefined;
      const racing = Promise.all([fulfil("first"), fulfil("second")]);
      await lock?.waitForWaiters(2);
      await lock?.release();
      const results = await racing;
      const applied = results.find((result) => result.status === "applied");
      expect(results.map((result) => result.status).sort()).toEqual(["applied", "duplicate"]);
      expect(results.find((result) => result.status === "duplicate")).toEqual({ status: "duplicate", entryId: applied!.entryId, balance: 150, delta: 50 });
      expect(await fulfil("third")).toEqual({ status: "duplicate", entryId: applied!.entryId, balance: 150, delta: 50 });

      expect((await auditRows(organization.id, "test.payment_fulfilled")).map((row) => row.targetId).sort()).toEqual(["first", "second", "third"]);
      expect((await ledgerOf(organization.id)).filter((entry) => entry.reference === reference)).toHaveLength(1);
      expect(await getBalance(organization.id)).toBe(150);
      expect(listener.heard).toMatchObject([{ delta: 50, previousBalance: 100, balance: 150, reason: "purchase" }]);
    } finally {
      listener.stop();
    }
    await expectConsistentHistory(organization.id);
  });

  it("refuses a zero adjustment, on its own and in a transaction, and writes nothing", async () => {
    const organization = await createTestOrganization(20);
    await expect(adjustCredits({ organizationId: organization.id, delta: 0, note: "nothing to move" })).rejects.toBeInstanceOf(RangeError);
    await expect(applyCreditMovement({ organizationId: organization.id, delta: 0, reason: "adjustment" })).rejects.toBeInstanceOf(RangeError);
    await expect(
      withTransaction((context) => adjustCredits({ organizationId: organization.id, delta: 0, note: "nothing to move" }, context)),
    ).rejects.toBeInstanceOf(RangeError);
    expect(await getBalance(organization.id)).toBe(20);
    expect(await ledgerOf(organization.id)).toHaveLength(1);
  });

  it("fails cleanly on an unknown organization: OrganizationNotFoundError, nothing written, nothing heard", async () => {
    const missing = randomUUID();
    const listener = listenTo(missing);
    const marker = await createTestOrganization(0);
    try {
      for (const move of [
        () => grantCredits({ organizationId: missing, credits: 5, reference: "grant:missing" }),
        () => deductCredits({ organizationId: missing, credits: 5 }),
        () => adjustCredits({ organizationId: missing, delta: 3, note: "up" }),
        () => adjustCredits({ organizationId: missing, delta: -3, note: "down" }),
      ]) {
        await expect(move()).rejects.toBeInstanceOf(OrganizationNotFoundError);
      }
      // Inside a caller's transaction the error reaches the caller as it is, and the caller's own writes roll back.
      await expect(
        withTransaction(async (context) => {
          await writeAudit({ action: "test.before_missing_grant", organizationId: marker.id }, context.tx);
          await grantCredits({ organizationId: missing, credits: 5, reason: "purchase" }, context);
        }),
      ).rejects.toBeInstanceOf(OrganizationNotFoundError);
      expect(await auditRows(marker.id, "test.before_missing_grant")).toEqual([]);
      expect(await ledgerOf(missing)).toEqual([]);
      expect(await getBalance(missing)).toBeNull();
      expect(listener.heard).toEqual([]);
    } finally {
      listener.stop();
    }
  });
});
