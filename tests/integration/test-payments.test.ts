import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { auditLog, creditLedger, creditPackages, payments, users } from "@/db/schema";
import { getBalance, sumLedger } from "@/lib/credits";
import { purchaseWithTestPayment } from "@/lib/payments";
import { createTestOrganization } from "../helpers/organizations";

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

    const first = await purchaseWithTestPayment({ organizationId: organization.id, packageId: pack!.id, userId: buyer.id });
    const second = await purchaseWithTestPayment({ organizationId: organization.id, packageId: pack!.id, userId: buyer.id });

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

  it("refuses an inactive or unknown package and changes nothing", async () => {
    const organization = await createTestOrganization(10);
    const buyer = await createBuyer(organization.id);
    const [retired] = await db
      .insert(creditPackages)
      .values({ name: "Retired", credits: 99, priceCents: 100, active: false })
      .returning();
    for (const packageId of [retired!.id, randomUUID()]) {
      await expect(
        purchaseWithTestPayment({ organizationId: organization.id, packageId, userId: buyer.id }),
      ).rejects.toMatchObject({ code: "package_unavailable" });
    }
    expect(await getBalance(organization.id)).toBe(10);
    expect(await db.select().from(payments).where(eq(payments.organizationId, organization.id))).toEqual([]);
  });
});
