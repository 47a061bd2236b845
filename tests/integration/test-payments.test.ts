import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditLog, creditLedger, creditPackages, payments, users } from "@/db/schema";
import { getBalance, sumLedger } from "@/lib/credits";
import { purchaseWithTestPayment } from "@/lib/payments";
import { createTestOrganization } from "../helpers/organizations";
import { onServerDatabase } from "../helpers/row-lock";

async function createBuyer(organizationId: string) {
  const [user] = await db
    .insert(users)
    .values({ email: `buyer-${randomUUID()}@example.com`, organizationId, role: "client_admin", emailVerified: new Date() })
    .returning();
  return user!;
}

describe("test payments", () => {
  it("records the payment, grants the package's credits once and audits it, all together", async () => {
    const organization = await createTestOrganization(0);
    const buyer = await createBuyer(organization.id);
    const [pack] = await db.insert(creditPackages).values({ name: "Trial", credits: 250, priceCents: 300 }).returning();
    const purchase = (requestId: string) =>
      purchaseWithTestPayment({ organizationId: organization.id, packageId: pack!.id, userId: buyer.id, requestId });

    const first = await purchase(randomUUID());
    const second = await purchase(randomUUID());

    expect(first.balance).toBe(250);
    expect(second.balance).toBe(500);
    expect(await getBalance(organization.id)).toBe(500);
    expect(await sumLedger(organization.id)).toBe(500);
    const recorded = await db.select().from(payments).where(eq(payments.organizationId, organization.id));
    expect(recorded.map((payment) => [payment.status, payment.credits, payment.amountCents])).toEqual([
      ["completed", 250, 300],
      ["completed", 250, 300],
    ]);
    const ledger = await db.select().from(creditLedger).where(eq(creditLedger.organizationId, organization.id));
    expect(ledger.map((entry) => entry.reference).sort()).toEqual(recorded.map((payment) => `payment:${payment.id}`).sort());
    const audits = await db.select().from(auditLog).where(eq(auditLog.organizationId, organization.id));
    expect(audits.filter((entry) => entry.action === "payment.completed")).toHaveLength(2);
  });

  it.skipIf(!onServerDatabase)("buys once for one request id, however often and however concurrently it is sent (server database only: PGlite is one session)", async () => {
    const organization = await createTestOrganization(0);
    const buyer = await createBuyer(organization.id);
    const [pack] = await db.insert(creditPackages).values({ name: "Double", credits: 100, priceCents: 100 }).returning();
    const requestId = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => purchaseWithTestPayment({ organizationId: organization.id, packageId: pack!.id, userId: buyer.id, requestId })),
    );

    expect(new Set(answers.map((answer) => answer.paymentId)).size).toBe(1);
    expect(answers.every((answer) => answer.credits === 100 && answer.balance === 100)).toBe(true);
    expect(await db.select().from(payments).where(eq(payments.organizationId, organization.id))).toHaveLength(1);
    expect(await getBalance(organization.id)).toBe(100);
    expect(await sumLedger(organization.id)).toBe(100);
  });

  it("never lets another organization's request id reach its payment", async () => {
    const owner = await createTestOrganization(0);
    const other = await createTestOrganization(0);
    const [pack] = await db.insert(creditPackages).values({ name: "Owned", credits: 100, priceCents: 100 }).returning();
    const requestId = randomUUID();
    await purchaseWithTestPayment({ organizationId: owner.id, packageId: pack!.id, userId: (await createBuyer(owner.id)).id, requestId });

    await expect(
      purchaseWithTestPayment({ organizationId: other.id, packageId: pack!.id, userId: (await createBuyer(other.id)).id, requestId }),
    ).rejects.toMatchObject({ code: "not_found" });
    expect(await getBalance(other.id)).toBe(0);
    expect(await db.select().from(payments).where(eq(payments.organizationId, other.id))).toEqual([]);
    expect(await sumLedger(owner.id)).toBe(100);
  });

  it("refuses an inactive or unknown package and changes nothing", async () => {
    const organization = await createTestOrganization(10);
    const buyer = await createBuyer(organization.id);
    const [retired] = await db
      .insert(creditPackages)
      .values({ name: "Retired", credits: 99, priceCents: 100, active: false })
      .returning();
    for (const packageId of [retired!.id, randomUUID()]) {
      await expect(
        purchaseWithTestPayment({ organizationId: organization.id, packageId, userId: buyer.id, requestId: randomUUID() }),
      ).rejects.toMatchObject({ code: "package_unavailable" });
    }
    expect(await getBalance(organization.id)).toBe(10);
    expect(await sumLedger(organization.id)).toBe(10);
    expect(await db.select().from(payments).where(eq(payments.organizationId, organization.id))).toEqual([]);
  });
});
