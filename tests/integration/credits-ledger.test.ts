import { randomUUID } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { creditLedger } from "@/db/schema";
import { withTransaction } from "@/db/transaction";
import {
  adjustCredits,
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

async function ledgerOf(organizationId: string) {
  return db.select().from(creditLedger).where(eq(creditLedger.organizationId, organizationId)).orderBy(asc(creditLedger.id));
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
  it("200 concurrent deductions of 7 from 1,000 succeed exactly 142 times and leave 6", async () => {
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

  it("applies one idempotency reference once, even 20 times concurrently", async () => {
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
});
